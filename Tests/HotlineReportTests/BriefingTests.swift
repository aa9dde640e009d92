import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineReport
import HotlineStats
import Testing

/// Two months of made-up tickets: May and June 2025, with a June rise of
/// 排水与积水 in one street and a ticket whose text tries to inject HTML.
enum BriefFixture {
  static let clock = ZoneClock.shanghai
  static let streets = [("甲区", "一街道", 118.80, 32.00), ("甲区", "二街道", 118.85, 32.02), ("乙区", "三街道", 118.90, 31.95)]
  static let categories = [["城市管理", "环境卫生与垃圾清运"], ["物业管理", "物业收费"], ["公用事业", "排水与积水"]]
  static let injection = "<script>alert('x')</script> & \"引号\" 积水"

  static func tickets(month: Int, seed: UInt64) -> [Ticket] {
    let rng = GSLRandom(seed: seed)
    var out: [Ticket] = []
    for day in 1...CivilDateTime.daysIn(year: 2025, month: month) {
      for i in 0..<(12 + rng.uniformInt(4)) {
        let s = streets[rng.uniformInt(3)]
        var c = categories[rng.uniformInt(2)]
        if month == 6 && i < 3 && rng.uniform() < 0.8 { c = categories[2] }
        let t = clock.epoch(CivilDateTime(year: 2025, month: month, day: day, hour: 8 + i % 10))
        let late = rng.uniform() < 0.1
        out.append(Ticket(
          id: String(format: "25%02d%02d%04d", month, day, i), receivedAt: t, dispatchedAt: t + 3600, deadlineAt: t + 5 * 86_400,
          closedAt: t + (late ? 7 : 2) * 86_400, category: c, title: c[1], text: "\(s.1)\(c[1])问题，请处理。", district: s.0, street: s.1,
          location: Coordinate(lon: s.2 + rng.uniform() * 0.01, lat: s.3 + rng.uniform() * 0.01), departments: [s.0 + "城管局"],
          transferCount: rng.uniformInt(3), status: "已办结", resolution: rng.uniform() < 0.8 ? .resolved : .unresolved,
          satisfaction: rng.uniform() < 0.85 ? "满意" : "不满意"))
      }
    }
    if month == 6 { out[5].text = injection; out[5].title = injection }
    return out
  }

  static func data(_ kind: BriefingKind, lang: Language = .zh, findings: BriefingFindings = BriefingFindings(), topic: String? = nil) -> BriefingData {
    let june = tickets(month: 6, seed: 2), may = tickets(month: 5, seed: 1)
    let input = BriefingInput(
      kind: kind, period: ReportPeriod(parsing: "2025-06")!, topic: topic, current: june, previous: may, yearEarlierCount: nil,
      trend: [.init(label: "2025-05", count: may.count, lastYear: nil), .init(label: "2025-06", count: june.count, lastYear: nil)],
      findings: findings, asOf: clock.epoch(CivilDateTime(year: 2025, month: 7, day: 1)))
    return BriefingBuilder.build(input, lang: lang)
  }

  static func html(_ kind: BriefingKind, lang: Language = .zh, findings: BriefingFindings = BriefingFindings(), topic: String? = nil) -> String {
    BriefingRenderer(lang: lang).render(data(kind, lang: lang, findings: findings, topic: topic), generatedAt: "2025-07-01T08:00:00+08:00").html
  }
}

struct BriefingTests {
  @Test func everyKindRendersSelfContainedEscapedHTML() {
    for kind in BriefingKind.allCases {
      let html = BriefFixture.html(kind, topic: kind == .special ? "积水" : nil)
      #expect(html.hasPrefix("<!DOCTYPE html>"), "\(kind)")
      #expect(!html.contains("<script"), "\(kind): unescaped ticket text")
      #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="), "\(kind): network reference")
      #expect(html.contains("<svg"), "\(kind): no chart")
      // Every evidence link has its appendix entry.
      let links = Set(html.matches(of: /href="#(ev\d+)"/).map { String($0.1) })
      let anchors = Set(html.matches(of: /id="(ev\d+)"/).map { String($0.1) })
      #expect(!links.isEmpty && links.isSubset(of: anchors), "\(kind)")
    }
  }

  /// A rate keeps its first 50 failing tickets: an appendix entry that holds
  /// fewer than the rate's failing count says how many it lists of how many.
  @Test func truncatedRateEvidenceSaysSo() throws {
    let d = BriefFixture.data(.monthly)
    let r = d.kpi.resolution
    let failing = r.denominator - r.numerator
    try #require(failing > 50)  // the fixture's June has more unresolved tickets than a rate keeps
    let evidence = BriefingRenderer(lang: .zh).render(d, generatedAt: "2025-07-01T08:00:00+08:00").evidence
    let entry = try #require(evidence.first { $0.label.hasPrefix("解决率未达标工单") }, "\(evidence.map(\.label))")
    #expect(entry.label == "解决率未达标工单（前50件，共\(failing)件）")
    #expect(entry.count == 50 && entry.ticketIds == r.failingTicketIds)
    // Every rate entry that says nothing of a limit lists all its failing tickets.
    for e in evidence where e.label.hasSuffix("未达标工单") {
      let rate = [d.kpi.response, d.kpi.onTime, d.kpi.resolution, d.kpi.satisfaction].first { $0.failingTicketIds == e.ticketIds }
      #expect(rate.map { $0.denominator - $0.numerator == e.count } ?? true, "\(e.label)")
    }
  }

  @Test func specialReportShowsTheEscapedTypicalCase() {
    let html = BriefFixture.html(.special, topic: "积水")
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;引号&quot;"))
    #expect(html.contains("12345热线专报"))
  }

  @Test func risingCategoryIsFound() throws {
    let d = BriefFixture.data(.monthly)
    let top = try #require(d.rising.first)
    #expect(top.category == "公用事业->排水与积水")
    #expect(top.observed > 50 && top.pValue < 1e-6)
    #expect(top.ticketIds.count == top.observed)
    #expect(d.alerts.contains { $0.level == .red && $0.text.contains("排水与积水") })
  }

  @Test func emptyFindingsSayNone() {
    let html = BriefFixture.html(.leadership)
    #expect(html.contains("本期无"))
    #expect(html.contains("12345热线领导参阅"))
  }

  @Test func findingsAreDrawn() {
    let f = BriefingFindings(
      hotspots: [BriefHotspot(
        title: "一街道停水", area: "甲区/一街道", category: "公用事业->供水", start: "2025-06-03", end: "2025-06-05", observed: 30,
        expected: 4.2, pValue: 1e-9, leadDepartment: "市水务集团", typicalTicket: "停水三天<b>", typicalTicketId: "H1",
        ticketIds: ["H1", "H2"], location: Coordinate(lon: 118.8, lat: 32.0))],
      recurring: [BriefRecurringClass(
        title: "某小区漏水", area: "乙区", category: "物业管理", start: "2025-03-01", end: "2025-06-30", tickets: 12, callers: 9,
        departments: ["A", "B"], resolutionRate: 0.1, ticketIds: ["R1"])],
      callers: [BriefCallerReview(route: "纳入联合研判", count: 3)])
    let html = BriefFixture.html(.leadership, findings: f)
    #expect(html.contains("一街道停水") && html.contains("某小区漏水") && html.contains("纳入联合研判"))
    #expect(html.contains("stroke=\"#e67e22\""))  // the hotspot ring on the map
    let monthly = BriefFixture.html(.monthly, findings: f)
    #expect(monthly.contains("停水三天&lt;b&gt;") && monthly.contains("市水务集团"))
  }

  @Test func englishIsSelectable() {
    let html = BriefFixture.html(.weekly, lang: .en)
    #expect(html.contains("Alerts") || html.contains("Warnings"))
    #expect(!html.contains("受理概况"))
  }

  @Test func monthlyTopicRanksCandidates() throws {
    let d = BriefFixture.data(.monthlyTopic)
    #expect(d.candidates.count == 3)
    #expect(d.candidates.map(\.score) == d.candidates.map(\.score).sorted(by: >))
    #expect(d.candidates.allSatisfy { !$0.exampleTicketIds.isEmpty })
  }

  /// Renders the leadership page to PNG in headless Chromium and checks it is
  /// not blank: its PNG must be far larger than a blank page's of the same size.
  @Test func rendersToNonBlankPNGInChromium() throws {
    guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
      print("BriefingTests: skipped the PNG check: headless Chromium is not installed (apt-get install chromium)")
      return
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-brief-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    func shoot(_ html: String, _ name: String) throws -> Int {
      let page = dir.appendingPathComponent(name + ".html"), png = dir.appendingPathComponent(name + ".png")
      try html.write(to: page, atomically: true, encoding: .utf8)
      let p = Process()
      p.executableURL = URL(fileURLWithPath: chromium)
      p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=900,1200", "--screenshot=" + png.path, page.absoluteString]
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      p.waitUntilExit()
      let data = try Data(contentsOf: png)
      #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
      return data.count
    }
    let blank = try shoot("<!DOCTYPE html><html><body></body></html>", "blank")
    let page = try shoot(BriefFixture.html(.leadership), "leadership")
    #expect(page > 10 * blank, "PNG of the briefing: \(page) bytes, blank page: \(blank) bytes")
  }
}

extension BriefingTests {
  /// The map counts the spellings of a street (一街道, 一街道办事处, "一 街道") as one
  /// point, named by the most frequent, this month and last.
  @Test func mapFoldsSpellingsOfAStreet() {
    func respell(_ ts: [Ticket]) -> [Ticket] {
      ts.enumerated().map { i, t in
        var t = t
        if t.street == "一街道" && i % 3 == 1 { t.street = "一街道办事处" }
        if t.street == "一街道" && i % 3 == 2 { t.street = "一 街道" }
        return t
      }
    }
    let june = BriefFixture.tickets(month: 6, seed: 2), may = BriefFixture.tickets(month: 5, seed: 1)
    func input(_ cur: [Ticket], _ prev: [Ticket]) -> BriefingInput {
      BriefingInput(
        kind: .leadership, period: ReportPeriod(parsing: "2025-06")!, topic: nil, current: cur, previous: prev,
        yearEarlierCount: nil, trend: [], findings: BriefingFindings(),
        asOf: BriefFixture.clock.epoch(CivilDateTime(year: 2025, month: 7, day: 1)))
    }
    let plain = BriefingBuilder.build(input(june, may), lang: .zh).areas
    let respelled = BriefingBuilder.build(input(respell(june), respell(may)), lang: .zh).areas
    #expect(plain.count == 3)
    #expect(respelled.map(\.area) == plain.map(\.area))
    #expect(respelled.map(\.tickets) == plain.map(\.tickets))
    #expect(respelled.map(\.previous) == plain.map(\.previous))
    #expect(plain.contains { $0.area == "甲区/一街道" && $0.tickets > 0 && $0.previous > 0 })
  }
}
