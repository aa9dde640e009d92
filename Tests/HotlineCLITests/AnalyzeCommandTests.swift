import Foundation
import Testing

/// `hotline analyze` end to end on a generated tiny city.
struct AnalyzeCommandTests {
  @Test func writesEveryAnalysisAndItsTimings() throws {
    let c = try CallersCommandTests.city()
    defer { try? FileManager.default.removeItem(at: c.dir) }
    let out = c.dir.appendingPathComponent("analysis")
    let r = try CLI.run(["analyze", "--db", c.db, "--out", out.path, "--seed", "3", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let timings = try #require(r.json as? [String: Any])
    let stages = try #require(timings["stages"] as? [String: [String: Any]])
    let order = try #require(timings["order"] as? [String])
    #expect(order.first == "load")
    for name in ["load", "segment", "topics", "hotspots", "recurring", "scope", "callers", "kpi", "brief"] {
      let s = try #require(stages[name], "stage \(name)")
      #expect(((s["wall_s"] as? Double) ?? -1) >= 0)
      #expect(((s["peak_rss_mb"] as? Double) ?? 0) > 0)
    }
    func read(_ name: String) throws -> [String: Any] {
      let data = try Data(contentsOf: out.appendingPathComponent(name))
      return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name)")
    }
    // The files have the shapes of the single commands.
    let topics = try read("topics.json")
    let ticketCount = try #require(topics.int("tickets"))
    let topicList = try #require(topics["topics"] as? [[String: Any]])
    let outliers = try #require((topics["outliers"] as? [String: Any])?.int("size"))
    #expect(topicList.reduce(0) { $0 + ($1.int("size") ?? 0) } + outliers == ticketCount)
    let hot = try read("hotspots.json")
    #expect(hot["hotspots"] is [Any])
    // The pipeline's methods (the scan and the daily alerts) say how long they took.
    let methodSeconds = try #require((hot["summary"] as? [String: Any])?["method_seconds"] as? [String: Double])
    #expect(Set(methodSeconds.keys) == ["scan", "alerts"])
    #expect(methodSeconds.values.allSatisfy { $0 >= 0 })
    // The scan's clusters are tested across categories by default.
    #expect((hot["summary"] as? [String: Any])?["scan_family"] as? String == "categories")
    #expect(try read("recurring.json")["classes"] is [Any])
    #expect(try read("incidents.json")["incidents"] is [Any])
    #expect(try read("callers.json")["callers"] is [Any])
    let scope = try read("scope.json")
    #expect(((scope["out_of_scope"] as? [Any]) ?? []).count == scope.int("flagged"))
    #expect((try read("kpi.json")["report"] as? [String: Any])?["below_threshold"] != nil)
    #expect(try read("timings.json")["stages"] != nil)
    // The briefings are written, in Chinese, with no raw number inside.
    let html = try String(contentsOf: out.appendingPathComponent("leadership.html"), encoding: .utf8)
    #expect(html.contains("<svg") && html.contains("满意率"))
    #expect(html.range(of: #"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"#, options: .regularExpression) == nil)
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("monthly.html").path))
    // The same seed gives the same topics.
    let again = c.dir.appendingPathComponent("again")
    let text = try CLI.run(["analyze", "--db", c.db, "--out", again.path, "--seed", "3"])
    #expect(text.status == 0)
    let a = try Data(contentsOf: out.appendingPathComponent("topics.json"))
    let b = try Data(contentsOf: again.appendingPathComponent("topics.json"))
    #expect(a == b)
    // Without --json the digest of the findings follows the timings, its
    // counts those of the files.
    let hotspotCount = ((hot["hotspots"] as? [Any]) ?? []).count
    let classCount = ((try read("recurring.json")["classes"] as? [Any]) ?? []).count
    let flaggedCallers = try #require(try read("callers.json").int("flagged"))
    for line in [
      "发现（共 \(ticketCount) 条工单）", "主题 \(topicList.count) 个，离群 \(outliers) 条", "热点 \(hotspotCount) 个",
      "类案 \(classCount) 个", "建议联合研判的来电人 \(flaggedCallers) 位",
      "不合理不合规诉求线索 \(try #require(scope.int("flagged"))) 条", "服务指标：响应率",
    ] {
      #expect(text.stdout.contains(line), "\(line) in \(text.stdout)")
    }
    // Each hotspot shown carries its evidence: observed, expected and p.
    let shown = text.stdout.split(separator: "\n").filter { $0.hasPrefix("    ") && $0.contains("预期") }
    #expect(shown.count == min(hotspotCount, 3))
    #expect(shown.allSatisfy { $0.contains("p=") })
  }
}

extension AnalyzeCommandTests {
  /// Hotspots scanned over the whole data: the briefing of the last month
  /// lists only those of that month, with their tickets as evidence.
  @Test func briefingListsTheHotspotsOfItsMonth() throws {
    let c = try CallersCommandTests.city()
    defer { try? FileManager.default.removeItem(at: c.dir) }
    let out = c.dir.appendingPathComponent("year")
    let r = try CLI.run(["analyze", "--db", c.db, "--out", out.path, "--seed", "3", "--hotspot-days", "400", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let hot = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("hotspots.json")))
        as? [String: Any])
    let list = try #require(hot["hotspots"] as? [[String: Any]])
    // The briefing's month: the last ticket's (the KPIs' as-of time).
    let kpi = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("kpi.json"))) as? [String: Any])
    let month = try #require(kpi["as_of_time"] as? String).prefix(7)
    let evidence = try String(contentsOf: out.appendingPathComponent("leadership.evidence.csv"), encoding: .utf8)
    var groups: [String: Set<String>] = [:]
    for line in evidence.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",", omittingEmptySubsequences: false)
      if f.count >= 3 { groups[String(f[0]), default: []].insert(String(f[2])) }
    }
    var earlier = 0
    for h in list {
      let ids = Set((h["ticket_ids"] as? [String]) ?? [])
      let end = String(((h["end"] as? String) ?? "").prefix(10)), start = String(((h["start"] as? String) ?? "").prefix(10))
      let listed = groups.values.contains(ids)
      if end < month + "-01" {
        earlier += 1
        #expect(!listed, "hotspot of \(start)–\(end) listed in the briefing of \(month)")
      }
    }
    #expect(list.count > earlier, "a hotspot in \(month)")
    // Those of the month are listed, the strongest five at most.
    let ofMonth = list.filter { String((($0["end"] as? String) ?? "").prefix(10)) >= month + "-01" }
    let listedOfMonth = ofMonth.filter { groups.values.contains(Set(($0["ticket_ids"] as? [String]) ?? [])) }
    #expect(listedOfMonth.count == min(5, ofMonth.count))
    #expect(earlier > 0, "hotspots before the last month")
  }
}

/// `hotline hotspots --trends`: the labels say how their weeks were judged.
struct TrendsCommandTests {
  @Test func trendsNameTheirTest() throws {
    let c = try CallersCommandTests.city()
    defer { try? FileManager.default.removeItem(at: c.dir) }
    func run(_ extra: [String]) throws -> [String: Any] {
      let r = try CLI.run(["hotspots", "--db", c.db, "--trends", "--json", "--seed", "2"] + extra)
      #expect(r.status == 0, "\(r.stderr)")
      return try #require(r.json as? [String: Any])
    }
    let strict = try run([])
    #expect(strict["fdr"] as? Bool == true && strict["p_value"] as? String == "permutation")
    #expect(strict["alpha"] as? Double == 0.1)
    let loose = try run(["--no-trend-fdr", "--trend-p", "normal"])
    #expect(loose["fdr"] as? Bool == false && loose["p_value"] as? String == "normal")
    let strictCount = try #require(strict["trends"] as? [Any]).count
    let looseCount = try #require(loose["trends"] as? [Any]).count
    #expect(looseCount >= strictCount)
    #expect(looseCount > 0)
    let text = try CLI.run(["hotspots", "--db", c.db, "--trends", "--seed", "2"])
    #expect(text.stdout.contains("FDR 10%"))
  }
}

/// `hotline hotspots --population` and `--prospective`: the scan's model and analysis are
/// named in the summary; a population file that lacks an area is refused with its name.
struct ScanOptionsCommandTests {
  @Test func populationAndProspectiveAreNamedAndMissingAreasRefused() throws {
    let c = try CallersCommandTests.city()
    defer { try? FileManager.default.removeItem(at: c.dir) }
    let plain = try CLI.run(["hotspots", "--db", c.db, "--method", "scan", "--json", "--seed", "2"])
    #expect(plain.status == 0, "\(plain.stderr)")
    let summary = try #require((plain.json as? [String: Any])?["summary"] as? [String: Any])
    #expect(summary["scan_model"] as? String == "space_time_permutation" && summary["scan_analysis"] as? String == "retrospective")
    let areas = try CLI.run(["hotspots", "--db", c.db, "--method", "scan", "--population", "/nonexistent.csv"])
    #expect(areas.status == 1 && areas.stderr.contains("人口文件"))
    let few = c.dir.appendingPathComponent("few.csv")
    try "area,population\n不存在区/某街道,100\n".write(to: few, atomically: true, encoding: .utf8)
    let refused = try CLI.run(["hotspots", "--db", c.db, "--method", "scan", "--population", few.path, "--lang", "en"])
    #expect(refused.status == 1 && refused.stderr.contains("lacks a positive population for"), "\(refused.stderr)")
    let prospective = try CLI.run(["hotspots", "--db", c.db, "--method", "scan", "--prospective", "--json", "--seed", "2"])
    #expect(prospective.status == 0, "\(prospective.stderr)")
    let p = try #require(prospective.json as? [String: Any])
    #expect((p["summary"] as? [String: Any])?["scan_analysis"] as? String == "prospective")
    for h in (p["hotspots"] as? [[String: Any]]) ?? [] {
      #expect(h["end"] as? String != nil && (h["recurrence_interval_days"] as? Double ?? 0) >= 1)
    }
  }
}

