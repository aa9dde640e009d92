import Foundation
import HotlineCore
import HotlineImport
import Testing

/// Helpers shared by the import tests.
enum TestFiles {
  static let keyer = CallerKeyer(secret: Array("test-secret".utf8))

  /// One directory per test process, removed when the process exits.
  static let scratchRoot: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-import-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: TestFiles.scratchRoot) }
    return url
  }()

  /// A fresh temporary directory for one test, inside `scratchRoot`.
  static func tempDir() -> URL {
    let url = scratchRoot.appendingPathComponent(UUID().uuidString)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func write(_ text: String, name: String = "t.csv") -> String {
    write(Array(text.utf8), name: name)
  }

  static func write(_ bytes: [UInt8], name: String) -> String {
    let url = tempDir().appendingPathComponent(name)
    #expect(FileManager.default.createFile(atPath: url.path, contents: Data(bytes)))
    return url.path
  }

  static func read(_ path: String, _ configure: (inout ImportOptions) -> Void = { _ in }) throws -> (
    TicketReader, [Ticket], [RowRejection], [Int]
  ) {
    var o = ImportOptions(keyer: keyer)
    configure(&o)
    let r = try TicketReader(path: path, options: o)
    var tickets: [Ticket] = []
    var rejects: [RowRejection] = []
    var lines: [Int] = []
    for row in try r.readAll() {
      switch row {
      case .ticket(let t, let line):
        tickets.append(t)
        lines.append(line)
      case .rejected(let rej): rejects.append(rej)
      }
    }
    return (r, tickets, rejects, lines)
  }

  /// `<package root>/../shared/data`, located from this file's path.
  static var sharedData: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")
  }

  static func shared(_ relative: String) -> String? {
    let p = sharedData.appendingPathComponent(relative).path
    return FileManager.default.fileExists(atPath: p) ? p : nil
  }

  static let generatorHeader =
    "工单编号,来电时间,来电号码,诉求渠道,诉求类型,问题分类,工单标题,诉求内容,所属区县,街道,社区,详细地址,经度,纬度,坐标系,派单时间,办理时限,承办单位,转办次数,办结时间,办理状态,是否解决,满意度,关联工单"

  static func generatorRow(
    id: String, time: String = "2024-03-01 08:15:00", phone: String = "13812345678",
    text: String = "小区门口夜间施工噪音扰民，请尽快处理", crs: String = "GCJ-02"
  ) -> String {
    "\(id),\(time),\(phone),电话,投诉,生态环境->噪声,夜间施工噪音,\(text),朝阳区,望京街道,花家地社区,望京西路1号院,116.4700,39.9960,\(crs),2024-03-01 09:00:00,2024-03-08 09:00:00,区住建委;区城管委,2,2024-03-05 17:30:00,已办结,已解决,满意,"
  }
}
