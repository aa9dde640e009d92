import Foundation
import Testing

/// `kpi`, `brief` and `campaigns` end to end on a generated tiny city.
struct BriefingCommandTests {
  static func tinyDatabase() throws -> (dir: URL, db: String) {
    let dir = try makeTemporaryDirectory()
    let city = dir.appendingPathComponent("city")
    let gen = try CLI.run(["generate", "--preset", "tiny", "--seed", "9", "--out", city.path, "--json"])
    #expect(gen.status == 0, "\(gen.stderr)")
    let db = dir.appendingPathComponent("t.sqlite").path
    let imp = try CLI.run(["import", city.appendingPathComponent("tickets.csv").path, "--db", db, "--json"])
    #expect(imp.status == 0, "\(imp.stderr)")
    return (dir, db)
  }

  @Test func kpiBriefAndCampaignsRun() throws {
    let (dir, db) = try Self.tinyDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }

    let k = try CLI.run(["kpi", "--db", db, "--by", "district", "--period", "2025-06", "--json"])
    #expect(k.status == 0, "\(k.stderr)")
    let kj = try #require(k.json as? [String: Any])
    let report = try #require(kj["report"] as? [String: Any])
    let overall = try #require(report["overall"] as? [String: Any])
    let tickets = try #require(overall.int("tickets"))
    #expect(tickets > 100 && tickets < 600)
    let units = try #require(report["units"] as? [[String: Any]])
    #expect(units.reduce(0) { $0 + ($1.int("tickets") ?? 0) } == tickets)
    let sat = try #require(overall["satisfaction"] as? [String: Any])
    #expect(sat["value"] is NSNumber && sat["failing_ticket_ids"] is [Any])

    let text = try CLI.run(["kpi", "--db", db, "--by", "street", "--lang", "en"])
    #expect(text.status == 0 && text.stdout.contains("Response"))

    let html = dir.appendingPathComponent("m.html")
    let b = try CLI.run(["brief", "--db", db, "--kind", "monthly", "--period", "2025-06", "--out", html.path, "--json"])
    #expect(b.status == 0, "\(b.stderr)")
    let page = try String(contentsOf: html, encoding: .utf8)
    #expect(page.contains("12345热线月报") && page.contains("<svg"))
    let csv = try String(contentsOf: dir.appendingPathComponent("m.evidence.csv"), encoding: .utf8)
    #expect(csv.hasPrefix("evidence_id,label,ticket_id\n") && csv.split(separator: "\n").count > tickets)
    let bj = try #require(b.json as? [String: Any])
    #expect((bj["data"] as? [String: Any])?.int("tickets") == tickets)

    let special = try CLI.run(["brief", "--db", db, "--kind", "special", "--out", dir.appendingPathComponent("s.html").path])
    #expect(special.status != 0)  // --topic is required

    let c = try CLI.run(["campaigns", "--db", db, "--weeks", "4", "--top", "3", "--json"])
    #expect(c.status == 0, "\(c.stderr)")
    let cj = try #require(c.json as? [String: Any])
    #expect(((cj["total"] as? [String: Any])?["forecast"] as? [Any])?.count == 4)
    #expect(cj["origin"] as? String == "2026-01-01")
    #expect(!((cj["suggestions"] as? [Any]) ?? []).isEmpty)  // heating season, year-end fees, wages

    let e = try CLI.run(["campaigns", "--db", db, "--evaluate", "--category", "公用事业->供暖", "--from", "2025-11-15", "--to", "2025-12-14", "--json"])
    #expect(e.status == 0, "\(e.stderr)")
    let windows = try #require((e.json as? [String: Any])?["windows"] as? [[String: Any]])
    #expect(windows.map { $0["name"] as? String } == ["before", "during", "after"])
    #expect((e.json as? [String: Any])?["method"] as? String == "before × (all tickets: window / before)")
    // The table names the expectation in the chosen language; JSON keeps the English `method`.
    let args = ["campaigns", "--db", db, "--evaluate", "--category", "公用事业->供暖", "--from", "2025-11-15", "--to", "2025-12-14"]
    let zh = try CLI.run(args)
    #expect(zh.status == 0, "\(zh.stderr)")
    #expect(zh.stdout.contains("预期方法：行动前 × 全部工单的变化"), "\(zh.stdout)")
    #expect(!zh.stdout.contains("all tickets"))
    let en = try CLI.run(args + ["--lang", "en"])
    #expect(en.stdout.contains("Expectation: before × (all tickets: window / before)"), "\(en.stdout)")
  }
}
