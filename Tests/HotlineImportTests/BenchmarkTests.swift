import Foundation
import HotlineCore
import HotlineText
import HotlineImport
import Testing

/// Writes generator-shaped CSV rows (24 columns, ~100-character texts).
enum GeneratorCSV {
  static let texts = [
    "小区门口夜间施工噪音扰民，影响孩子中考复习，请相关部门尽快处理。", "拖欠农民工工资三个月未发放，多次讨要无果，希望劳动监察部门介入。",
    "物业费收费标准不合理，住建局值班电话无人接听，要求核实收费依据。", "房屋拆迁后没有收到补偿款，已经等待半年以上，请求尽快落实补偿。",
    "菜市场附近有商户占道经营，油烟污染严重，希望城管执法队依法查处。", "某培训机构停业后拒不退还预交学费共计28000元，多次协商无果。",
    "出租车拒载并且绕路多收费35元，车牌号京B12345，请求处理。", "商家预付卡跑路，余额无法退还，涉及会员二百余人，联系电话13912345678。",
  ]

  static func row(_ i: Int, rng: inout SplitMix64) -> String {
    let day = 1 + Int(rng.next() % 28)
    let h = Int(rng.next() % 24)
    let m = Int(rng.next() % 60)
    let s = Int(rng.next() % 60)
    let time = String(format: "2024-03-%02d %02d:%02d:%02d", day, h, m, s)
    let phone = "13\(800_000_000 + Int(rng.next() % 100_000))"
    let t1 = texts[Int(rng.next() % UInt64(texts.count))]
    let t2 = texts[Int(rng.next() % UInt64(texts.count))]
    var text = t1 + t2
    if text.contains(",") || text.contains("\"") { text = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    let lon = 116.3 + Double(rng.next() % 10_000) / 50_000
    let lat = 39.8 + Double(rng.next() % 10_000) / 50_000
    return
      "GD2024\(String(format: "%07d", i)),\(time),\(phone),电话,投诉,生态环境->噪声,夜间施工噪音扰民,\(text),朝阳区,望京街道,花家地社区,望京西路\(i % 300)号院,\(String(format: "%.6f", lon)),\(String(format: "%.6f", lat)),GCJ-02,\(time),2024-04-01 09:00:00,区住建委;区城管委,\(i % 4),2024-03-29 17:30:00,已办结,已解决,满意,"
  }

  static func write(rows: Int, to path: String) {
    var rng = SplitMix64(seed: 12_345)
    var out = TestFiles.generatorHeader + "\n"
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let fh = FileHandle(forWritingAtPath: path)!
    for i in 0..<rows {
      out += row(i, rng: &rng)
      out += "\n"
      if out.utf8.count > 1 << 20 {
        fh.write(Data(out.utf8))
        out = ""
      }
    }
    fh.write(Data(out.utf8))
    try? fh.close()
  }
}

struct BenchmarkTests {
  /// Throughput on a 300k-row generator-shaped CSV. Runs only with
  /// HOTLINE_BENCH=1 (use a release build: `swift test -c release --filter BenchmarkTests`).
  @Test func generatorCSVThroughput() throws {
    guard ProcessInfo.processInfo.environment["HOTLINE_BENCH"] == "1" else {
      print("SKIP generatorCSVThroughput: set HOTLINE_BENCH=1 to run")
      return
    }
    let rows = Int(ProcessInfo.processInfo.environment["HOTLINE_BENCH_ROWS"] ?? "") ?? 300_000
    let path = TestFiles.tempDir().appendingPathComponent("bench.csv").path
    GeneratorCSV.write(rows: rows, to: path)
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    for threads in [1, 2, 1, 2] {
      let start = Date()
      let r = try TicketReader(path: path, options: ImportOptions(keyer: TestFiles.keyer, threads: threads))
      var n = 0
      var textBytes = 0
      while let batch = try r.next(maxRows: 65_536) {
        for o in batch { if case .ticket(let t, _) = o { n += 1; textBytes &+= t.text.utf8.count } }
      }
      let secs = Date().timeIntervalSince(start)
      print(
        "BENCH threads=\(threads): \(n) tickets, \(r.stats.rejected) rejected, \(String(format: "%.2f", secs)) s, \(Int(Double(n) / secs)) rows/s, \(String(format: "%.0f", Double(size) / secs / 1e6)) MB/s (\(size / max(1, rows)) B/row)"
      )
      #expect(n == rows)
    }
  }

  /// The byte-level pre-check that skips `PII.mask` must never skip a value
  /// that `PII.mask` would change.
  @Test func maskPrefilterIsConservative() throws {
    var rng = SplitMix64(seed: 7)
    let pieces = [
      "1", "3", "8", "0", "9", "13812345678", "+86", " ", "-", "—", "\u{3000}", "京", "B", "粤B·D", "A", "x", "电话",
      "：", "１３８", "Ｂ", "号码", "010-", "110105199001011234", "12345", "挂", ".", ":", "中", "a",
    ]
    var csv = "工单编号,来电时间,诉求内容\n"
    var originals: [String] = []
    for i in 0..<3000 {
      var s = ""
      for _ in 0..<(1 + Int(rng.next() % 12)) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
      s = s.trimmingCharacters(in: .whitespaces)
      originals.append(s)
      csv += "\(i),2020-01-01,\"\(s)\"\n"
    }
    let (_, tickets, _, _) = try TestFiles.read(TestFiles.write(csv))
    #expect(tickets.count == originals.count)
    for (t, o) in zip(tickets, originals) where t.text != PII.mask(o) {
      Issue.record("prefilter skipped \(o)")
    }
  }
}
