import Foundation
import Testing

/// `hotline incidents` links within the same window as `analyze` (48 hours by default).
struct IncidentsCommandTests {
  /// Two copies of one report 60 hours apart and an unrelated ticket.
  static let csv = """
    工单编号,来电时间,来电号码,诉求类型,问题分类,工单标题,诉求内容,所属区县,街道,社区,详细地址
    B001,2025/3/1 8:00:00,13812340001,投诉,公用事业->供水,翠湖花园停水,翠湖花园3栋从早上开始停水，没有任何通知，请尽快恢复供水。,青溪区,望江街道,翠湖社区,翠湖花园3栋
    B002,2025/3/3 20:00:00,13812340002,投诉,公用事业->供水,翠湖花园停水,翠湖花园3栋从早上开始停水，没有任何通知，请尽快恢复供水。,青溪区,望江街道,翠湖社区,翠湖花园3栋
    B003,2025/3/10 9:00:00,13812340003,咨询,劳动和社会保障->社会保险,社保卡办理,咨询社保卡如何办理。,江北区,柳岸街道,柳岸社区,

    """

  static func groups(_ r: CLI.Result) throws -> [[String]] {
    let incidents = try #require((r.json as? [String: Any])?["incidents"] as? [[String: Any]], "\(r.stderr)")
    return incidents.map { $0["ticket_ids"] as? [String] ?? [] }
  }

  @Test func defaultWindowIsAnalyzesAndTheOptionWidensIt() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("t.csv")
    try Self.csv.write(to: file, atomically: true, encoding: .utf8)
    let db = dir.appendingPathComponent("t.sqlite").path
    #expect(try CLI.run(["import", file.path, "--db", db, "--json"]).status == 0)

    // 60 hours apart: outside the default 48-hour window ...
    let byDefault = try CLI.run(["incidents", "--db", db, "--json"])
    #expect(byDefault.status == 0, "\(byDefault.stderr)")
    #expect(try Self.groups(byDefault).isEmpty)
    // ... as in analyze's incidents.json ...
    let out = dir.appendingPathComponent("analysis")
    let analyze = try CLI.run(["analyze", "--db", db, "--out", out.path, "--json"])
    #expect(analyze.status == 0, "\(analyze.stderr)")
    let data = try Data(contentsOf: out.appendingPathComponent("incidents.json"))
    let written = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect((written["incidents"] as? [Any])?.isEmpty == true)
    // ... and inside a 72-hour one.
    let wider = try CLI.run(["incidents", "--db", db, "--json", "--window-hours", "72"])
    #expect(try Self.groups(wider) == [["B001", "B002"]])
  }
}
