import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineStats
import Testing

/// A two-year daily series with a known growth, weekday pattern, yearly season,
/// holiday dip (×0.5 on statutory holidays) and Poisson noise.
enum SeasonalFixture {
  static let start = CivilDateTime.daysFromCivil(year: 2023, month: 1, day: 1)
  static let weekday = [1.1, 1.1, 1.05, 1.05, 1.0, 0.85, 0.85]

  static func mean(_ day: Int) -> Double {
    let (_, m, _) = CivilDateTime.civilFromDays(day)
    let season = 1 + 0.4 * sin(Double(m - 4) / 12 * 2 * .pi)
    let kind = HolidayCalendar.china.kind(ofDay: day)
    let h = kind == .holiday ? 0.5 : 1
    let growth = 1 + 0.15 * Double(day - start) / 365  // +15 % a year
    return 100 * growth * season * weekday[HolidayCalendar.weekday(ofDay: day)] * h
  }

  static func series(days: Int = 730, seed: UInt64 = 7) -> DailySeries {
    let rng = GSLRandom(seed: seed)
    return DailySeries(startDay: start, counts: (0..<days).map { Double(rng.poisson(mean(start + $0))) })
  }
}

struct SeasonalTests {
  @Test func profileFindsTheShape() throws {
    let p = SeasonalProfile(SeasonalFixture.series())
    let july = try #require(p.month[6]), january = try #require(p.month[0])
    #expect(july > 1.2 && january < 0.9)
    let mon = try #require(p.weekday[0]), sun = try #require(p.weekday[6])
    #expect(abs(mon / sun - 1.1 / 0.85) < 0.1)
    let h = try #require(p.holidayVsWorkday)
    #expect(h > 0.35 && h < 0.7)
  }

  @Test func forecastBeatsNaiveBaselines() throws {
    let s = SeasonalFixture.series()
    let a = try #require(ForecastAccuracy.backtest(s, weeks: 12, name: "fixture"))
    #expect(a.mape < 0.08)
    let sn = try #require(a.seasonalNaiveMape)
    #expect(a.mape < sn)
    #expect(a.mape < a.naiveMape)
    #expect(a.coverage >= 0.75)
  }

  @Test func forecastTracksTheKnownMean() {
    let s = SeasonalFixture.series(days: 700)
    let f = SeasonalForecaster().forecast(s, weeks: 4)
    #expect(f.count == 4)
    for w in f {
      let truth = (w.startDay..<(w.startDay + 7)).map(SeasonalFixture.mean).reduce(0, +)
      #expect(abs(w.expected - truth) / truth < 0.12, "\(w.start): \(w.expected) vs \(truth)")
      #expect(w.low < truth && truth < w.high)
      #expect(w.lastYear != nil)
    }
  }

  @Test func shortHistoryStillForecasts() {
    let s = SeasonalFixture.series(days: 90)
    let f = SeasonalForecaster().forecast(s, weeks: 6)
    #expect(f.count == 6 && f.allSatisfy { $0.expected > 0 && $0.low <= $0.expected && $0.high >= $0.expected })
    #expect(f.allSatisfy { $0.lastYear == nil })
  }
}

struct CampaignTests {
  static let clock = ZoneClock.shanghai
  static func ticket(_ id: String, day: Int, category: [String], district: String = "甲区") -> Ticket {
    let (y, m, d) = CivilDateTime.civilFromDays(day)
    let t = clock.epoch(CivilDateTime(year: y, month: m, day: d, hour: 10))
    return Ticket(id: id, receivedAt: t, deadlineAt: t + 5 * 86_400, closedAt: t + 86_400, category: category, district: district,
                  departments: ["生态环境局"], resolution: .resolved, satisfaction: "满意")
  }

  /// 2 noise tickets a day before and after, 6 a day during the campaign window, and a flat background.
  @Test func evaluationComparesWithExpectation() throws {
    let start = CivilDateTime.daysFromCivil(year: 2025, month: 5, day: 20), end = start + 9
    var tickets: [Ticket] = []
    for day in (start - 10)...(end + 10) {
      let n = day >= start && day <= end ? 6 : 2
      for i in 0..<n { tickets.append(Self.ticket("N\(day)-\(i)", day: day, category: ["生态环境", "施工/工业/商业噪声"])) }
      for i in 0..<20 { tickets.append(Self.ticket("B\(day)-\(i)", day: day, category: ["城市管理", "其他"])) }
    }
    let e = CampaignEvaluation.evaluate(
      tickets: tickets, category: "生态环境->施工", area: "甲区", start: start, end: end, asOf: Int64.max / 2)
    #expect(e.windows.map(\.tickets) == [20, 60, 20])
    let during = try #require(e.duringRatio)
    #expect(abs(during - 60 / (20 * 260.0 / 220)) < 1e-9)  // expected: before × all tickets during / before
    #expect(try #require(e.pValue) < 1e-6)
    #expect(abs(try #require(e.afterRatio) - 1) < 0.01)
    #expect(try #require(e.afterPValue) > 0.5)
    #expect(e.windows[1].satisfaction == 1)
    // Another district: nothing.
    let other = CampaignEvaluation.evaluate(tickets: tickets, category: "生态环境", area: "乙区", start: start, end: end, asOf: 0)
    #expect(other.windows.map(\.tickets) == [0, 0, 0])
  }

  /// The area matches any spelling of a district or street.
  @Test func areaMatchesItsSpellings() {
    let start = CivilDateTime.daysFromCivil(year: 2025, month: 5, day: 20), end = start + 9
    let cat = ["生态环境", "施工/工业/商业噪声"]
    var tickets: [Ticket] = []
    for (i, d) in ["锦江区", "锦江", " 锦江区", "青羊区"].enumerated() {
      tickets.append(Self.ticket("D\(i)", day: start + 1, category: cat, district: d))
    }
    var t = Self.ticket("S1", day: start + 2, category: cat, district: "青羊区")
    t.street = "府南街道办事处"
    tickets.append(t)
    func during(_ area: String) -> Int {
      CampaignEvaluation.evaluate(tickets: tickets, category: "生态环境", area: area, start: start, end: end, asOf: 0)
        .windows[1].tickets
    }
    #expect(during("锦江区") == 3)
    #expect(during("锦江") == 3)
    #expect(during("青羊区") == 2)
    #expect(during("府南街道") == 1)
    #expect(during("青羊区府南街道") == 1)
    #expect(during("成华区") == 0)
  }

  @Test func planSuggestsSeasonalCampaigns() throws {
    // A year of noise complaints with a rise in the exam window, then the plan from mid-April 2026.
    let first = CivilDateTime.daysFromCivil(year: 2025, month: 4, day: 1)
    let last = CivilDateTime.daysFromCivil(year: 2026, month: 4, day: 20)
    let rng = GSLRandom(seed: 3)
    var tickets: [Ticket] = []
    for day in first...last {
      let (_, m, d) = CivilDateTime.civilFromDays(day)
      let exam = (m == 5 && d >= 15) || (m == 6 && d <= 25)
      for i in 0..<rng.poisson(exam ? 12 : 4) { tickets.append(Self.ticket("Z\(day)-\(i)", day: day, category: ["生态环境", "施工/工业/商业噪声"])) }
    }
    let plan = CampaignPlan.make(tickets: tickets, weeks: 12, level: 2, top: 5, lang: true)
    let s = try #require(plan.suggestions.first { $0.campaign == "exam_noise" })
    #expect(s.categories == ["生态环境->施工/工业/商业噪声"])
    #expect(try #require(s.lastYearRatio) > 2)
    #expect(s.ticketIds.count == 20)
    let c = try #require(plan.categories.first)
    #expect(!c.peakWeeks.isEmpty)
  }
}
