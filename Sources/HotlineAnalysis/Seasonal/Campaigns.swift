import Foundation
import HotlineCore
import HotlineStats

/// A recurring campaign season (专项治理) from the seasonal calendar of domain
/// research §6, matched to categories by words of the category path.
public struct CampaignTemplate: Sendable, Hashable {
  public var id: String
  public var nameZh: String
  public var nameEn: String
  /// A category path containing any of these words belongs to the campaign.
  public var keywords: [String]
  /// The suggested lead department.
  public var leadZh: String
  public var leadEn: String
  /// The window in a given year (day numbers), or nil.
  public var window: @Sendable (Int, HolidayCalendar) -> ClosedRange<Int>?

  public static func == (a: Self, b: Self) -> Bool { a.id == b.id }
  public func hash(into h: inout Hasher) { h.combine(id) }

  public func matches(category path: String) -> Bool { keywords.contains { path.contains($0) } }

  /// The first day of the 春节 break in `year` (from the holiday calendar).
  public static func springFestival(_ year: Int, _ cal: HolidayCalendar) -> Int? {
    let a = CivilDateTime.daysFromCivil(year: year, month: 1, day: 15)
    return (a..<(a + 45)).first { cal.entry(ofDay: $0)?.name == "春节" && cal.kind(ofDay: $0) == .holiday }
  }

  static func fixed(_ m1: Int, _ d1: Int, _ m2: Int, _ d2: Int) -> @Sendable (Int, HolidayCalendar) -> ClosedRange<Int>? {
    { y, _ in
      let a = CivilDateTime.daysFromCivil(year: y, month: m1, day: d1)
      let b = CivilDateTime.daysFromCivil(year: m2 < m1 ? y + 1 : y, month: m2, day: d2)
      return a...b
    }
  }

  /// The seasons of domain research §6.
  public static let standard: [CampaignTemplate] = [
    CampaignTemplate(
      id: "exam_noise", nameZh: "中高考噪声严控", nameEn: "Exam-period noise control",
      keywords: ["噪声", "噪音", "夜间施工", "施工管理"], leadZh: "生态环境局（住建局、公安分局协办）",
      leadEn: "Ecology and Environment Bureau (with Housing and Construction, Police)", window: fixed(5, 15, 6, 25)),
    CampaignTemplate(
      id: "flood_season", nameZh: "汛期积水防范", nameEn: "Flood season",
      keywords: ["积水", "排水", "防汛", "内涝"], leadZh: "水务局（应急管理局协办）",
      leadEn: "Water Affairs Bureau (with Emergency Management)", window: fixed(6, 1, 7, 31)),
    CampaignTemplate(
      id: "summer_power", nameZh: "夏季用电保障", nameEn: "Summer power supply",
      keywords: ["供电", "停电", "用电"], leadZh: "供电公司", leadEn: "Power supply company", window: fixed(7, 1, 8, 31)),
    CampaignTemplate(
      id: "school_start", nameZh: "开学季入学学位", nameEn: "School start (enrolment)",
      keywords: ["入学", "学区", "学位", "幼儿园"], leadZh: "教育局", leadEn: "Education Bureau", window: fixed(8, 10, 9, 10)),
    CampaignTemplate(
      id: "heating_season", nameZh: "供暖季保障", nameEn: "Heating season",
      keywords: ["供暖", "暖气", "采暖"], leadZh: "住建局（热力公司）", leadEn: "Housing and Construction (heating company)",
      window: fixed(11, 15, 3, 15)),
    CampaignTemplate(
      id: "year_end_fees", nameZh: "年底物业费纠纷", nameEn: "Year-end property fees",
      keywords: ["物业收费", "物业费"], leadZh: "住建局（物业科）", leadEn: "Housing and Construction (property management)",
      window: fixed(12, 1, 1, 20)),
    CampaignTemplate(
      id: "wage_arrears", nameZh: "春节前欠薪治理（冬季行动）", nameEn: "Pre-Spring-Festival unpaid wages",
      keywords: ["欠薪", "拖欠工资", "劳资"], leadZh: "人社局（劳动保障监察支队）",
      leadEn: "Human Resources and Social Security (labour inspection)",
      window: { y, cal in
        // The window before the 春节 of year y + 1 when it starts in year y (late Dec), else of year y.
        guard let sf = springFestival(y, cal) else { return nil }
        return (sf - 50)...(sf - 3)
      }),
  ]
}

/// A coming peak: a campaign season (or an unusual forecast rise) in the
/// forecast horizon, with the evidence for it.
public struct CampaignSuggestion: Sendable, Codable, Hashable {
  public var campaign: String
  public var name: String
  public var start: String
  public var end: String
  public var categories: [String]
  /// Forecast tickets in the window's part inside the horizon.
  public var forecast: Double
  public var forecastLow: Double
  public var forecastHigh: Double
  /// The same window one year earlier: tickets, and its daily rate over the rest of that year's daily rate.
  public var lastYear: Double?
  public var lastYearRatio: Double?
  public var leadDepartment: String
  /// Ticket ids from last year's window (first 20): the evidence.
  public var ticketIds: [String]

  enum CodingKeys: String, CodingKey {
    case campaign, name, start, end, categories, forecast
    case forecastLow = "forecast_low"
    case forecastHigh = "forecast_high"
    case lastYear = "last_year"
    case lastYearRatio = "last_year_ratio"
    case leadDepartment = "lead_department"
    case ticketIds = "ticket_ids"
  }
}

/// Before/during/after volumes and service quality of one campaign.
public struct CampaignEvaluation: Sendable, Codable, Hashable {
  public struct Window: Sendable, Codable, Hashable {
    public var name: String
    public var start: String
    public var end: String
    public var tickets: Int
    /// Seasonal expectation for the window (see `evaluate`).
    public var expected: Double?
    public var onTime: Double?
    public var resolution: Double?
    public var satisfaction: Double?
    public var ticketIds: [String]
    enum CodingKeys: String, CodingKey {
      case name, start, end, tickets, expected, resolution, satisfaction
      case onTime = "on_time"
      case ticketIds = "ticket_ids"
    }
  }
  public var category: String
  public var area: String?
  public var windows: [Window]
  /// During vs expected: ratio and two-sided Poisson p-value.
  public var duringRatio: Double?
  public var pValue: Double?
  /// After vs expected.
  public var afterRatio: Double?
  public var afterPValue: Double?
  public var method: String

  enum CodingKeys: String, CodingKey {
    case category, area, windows, method
    case duringRatio = "during_ratio"
    case pValue = "p_value"
    case afterRatio = "after_ratio"
    case afterPValue = "after_p_value"
  }

  /// Evaluates a campaign on `category` (path prefix) in `area` (district or
  /// street in any spelling, nil = everywhere) over days `[start, end]`: the before window is
  /// the same length just before, the after window the same length after.
  /// Expected volume: the matching tickets of the before window scaled by the
  /// city-wide seasonal change of the category between the same windows one
  /// year earlier when the data reaches back that far, else by the ratio of
  /// all tickets (during / before) — so a citywide seasonal rise is not taken
  /// for a campaign effect.
  public static func evaluate(
    tickets: [Ticket], category: String, area: String?, start: Int, end: Int, asOf: Int64,
    clock: ZoneClock = .shanghai, definitions: KPIDefinitions = KPIDefinitions()
  ) -> CampaignEvaluation {
    let len = end - start + 1
    let spans = [("before", start - len, start - 1), ("during", start, end), ("after", end + 1, end + len)]
    func inCategory(_ t: Ticket) -> Bool { t.categoryPath.hasPrefix(category) }
    // Any spelling of the area (锦江区, 锦江, 锦江区安河街道办事处 …), as a
    // district or as a street, matched by `AreaName.key`.
    let districtKey = area.map { AreaName.key($0, level: .district) }
    let streetKey = area.map { AreaName.key($0, level: .street) }
    var districtMemo: [String: Bool] = [:], streetMemo: [[String]: Bool] = [:]
    func inArea(_ t: Ticket) -> Bool {
      guard let districtKey, let streetKey else { return true }
      if let d = t.district {
        let hit: Bool
        if let m = districtMemo[d] { hit = m } else {
          hit = AreaName.key(d, level: .district) == districtKey
          districtMemo[d] = hit
        }
        if hit { return true }
      }
      guard let s = t.street else { return false }
      let parts = [t.district ?? "", s]
      if let m = streetMemo[parts] { return m }
      let hit = AreaName.key(s, level: .street, parents: [parts[0]]) == streetKey
      streetMemo[parts] = hit
      return hit
    }
    var sel: [[Ticket]] = [[], [], []], yearAgo = [0.0, 0.0, 0.0], allTickets = [0.0, 0.0, 0.0]
    var firstDay = Int.max
    for t in tickets {
      let d = clock.dayNumber(t.receivedAt)
      firstDay = min(firstDay, d)
      for (i, s) in spans.enumerated() {
        if d >= s.1 && d <= s.2 {
          allTickets[i] += 1
          if inCategory(t) && inArea(t) { sel[i].append(t) }
        }
        if d >= s.1 - 364 && d <= s.2 - 364 && inCategory(t) && inArea(t) { yearAgo[i] += 1 }
      }
    }
    let haveYear = firstDay <= start - len - 364 && yearAgo[0] > 0
    let before = Double(sel[0].count)
    var windows: [Window] = []
    for (i, s) in spans.enumerated() {
      let k = KPIReport(tickets: sel[i], grouping: .district, asOf: asOf, definitions: definitions).overall
      var expected: Double? = nil
      if i > 0 {
        if haveYear { expected = before * yearAgo[i] / yearAgo[0] } else if allTickets[0] > 0 {
          expected = before * allTickets[i] / allTickets[0]
        }
      }
      windows.append(Window(
        name: s.0, start: ReportPeriod.dayString(s.1), end: ReportPeriod.dayString(s.2), tickets: sel[i].count,
        expected: expected, onTime: k.onTime.value, resolution: k.resolution.value, satisfaction: k.satisfaction.value,
        ticketIds: Array(sel[i].prefix(50).map(\.id))))
    }
    func test(_ w: Window) -> (Double?, Double?) {
      guard let e = w.expected, e > 0 else { return (nil, nil) }
      let k = w.tickets
      let upper = Distributions.poissonAtLeast(k, mean: e)
      let lower = k == 0 ? 1 : 1 - Distributions.poissonAtLeast(k + 1, mean: e)
      return (Double(k) / e, min(1, 2 * min(upper, lower)))
    }
    let (dr, dp) = test(windows[1]), (ar, ap) = test(windows[2])
    return CampaignEvaluation(
      category: category, area: area, windows: windows, duringRatio: dr, pValue: dp, afterRatio: ar, afterPValue: ap,
      method: haveYear ? "before × (same windows one year earlier: window / before)" : "before × (all tickets: window / before)")
  }
}

/// Seasonal profiles, forecasts and coming peaks for the busiest categories.
public struct CampaignPlan: Sendable, Codable {
  public struct CategoryPlan: Sendable, Codable {
    public var category: String
    public var tickets: Int
    public var profile: SeasonalProfile
    public var forecast: [WeekForecast]
    /// Forecast weeks at least 1.3 × the category's mean week of the last year.
    public var peakWeeks: [String]
    enum CodingKeys: String, CodingKey {
      case category, tickets, profile, forecast
      case peakWeeks = "peak_weeks"
    }
  }
  public var origin: String
  public var weeks: Int
  public var total: CategoryPlan
  public var categories: [CategoryPlan]
  public var suggestions: [CampaignSuggestion]

  enum CodingKeys: String, CodingKey { case origin, weeks, total, categories, suggestions }

  /// - Parameters:
  ///   - level: category depth (1 = L1, 2 = L1->L2).
  ///   - top: how many of the busiest categories get a profile and forecast
  ///     (the categories of campaign seasons in the horizon are always added).
  public static func make(
    tickets: [Ticket], weeks: Int, level: Int, top: Int, lang zh: Bool, clock: ZoneClock = .shanghai,
    calendar: HolidayCalendar = .china
  ) -> CampaignPlan {
    var b = DailySeriesBuilder(clock: clock, key: { categoryKey($0, level: level) })
    for t in tickets { b.add(t) }
    let (total, by) = b.finish()
    return make(total: total, byKey: by, weeks: weeks, top: top, lang: zh, calendar: calendar) { cats, from, to in
      tickets.lazy.filter { t in
        let d = clock.dayNumber(t.receivedAt)
        return d >= from && d <= to && categoryKey(t, level: level).map { cats.contains($0) } == true
      }.prefix(20).map(\.id)
    }
  }

  /// The category key of a ticket at depth `level`.
  public static func categoryKey(_ t: Ticket, level: Int) -> String? {
    t.category.isEmpty ? nil : t.category.prefix(level).joined(separator: Ticket.categorySeparator)
  }

  /// From daily series; `evidence(categories, fromDay, toDay)` gives up to 20
  /// ticket ids of those categories in those days.
  public static func make(
    total: DailySeries, byKey by: [String: DailySeries], weeks: Int, top: Int, lang zh: Bool,
    calendar: HolidayCalendar = .china, evidence: (Set<String>, Int, Int) throws -> [String]
  ) rethrows -> CampaignPlan {
    let fc = SeasonalForecaster(calendar: calendar)
    let originDay = total.endDay + 1
    let hStart = originDay, hEnd = originDay + weeks * 7 - 1
    func plan(_ name: String, _ s: DailySeries) -> CategoryPlan {
      let f = fc.forecast(s, weeks: weeks)
      let lastYear = s.counts.suffix(364)
      let meanWeek = lastYear.reduce(0, +) / Double(max(1, lastYear.count)) * 7
      let peaks = f.filter { meanWeek > 0 && $0.expected >= 1.3 * meanWeek }.map(\.start)
      return CategoryPlan(category: name, tickets: Int(s.counts.reduce(0, +)), profile: SeasonalProfile(s, calendar: calendar), forecast: f, peakWeeks: peaks)
    }
    // Campaign windows overlapping the horizon.
    var suggestions: [CampaignSuggestion] = []
    var campaignCats = Set<String>()
    let (y0, _, _) = CivilDateTime.civilFromDays(hStart)
    for tpl in CampaignTemplate.standard {
      for y in (y0 - 1)...(y0 + 1) {
        guard let w = tpl.window(y, calendar), w.upperBound >= hStart, w.lowerBound <= hEnd else { continue }
        let cats = by.keys.filter { tpl.matches(category: $0) }.sorted()
        guard !cats.isEmpty else { continue }
        campaignCats.formUnion(cats)
        var sum = DailySeries(startDay: total.startDay, counts: [Double](repeating: 0, count: total.counts.count))
        for c in cats { for (i, v) in by[c]!.counts.enumerated() { sum.counts[i] += v } }
        let f = fc.forecast(sum, weeks: weeks)
        var e = 0.0, varSum = 0.0, lo = 0.0, hi = 0.0
        for wk in f where wk.startDay + 6 >= w.lowerBound && wk.startDay <= w.upperBound {
          let overlap = Double(min(wk.startDay + 6, w.upperBound) - max(wk.startDay, w.lowerBound) + 1) / 7
          e += wk.expected * overlap
          let sd = (wk.high - wk.expected) / 1.96 * overlap
          varSum += sd * sd
          lo += 0; hi += 0
        }
        lo = max(0, e - 1.96 * varSum.squareRoot())
        hi = e + 1.96 * varSum.squareRoot()
        var ly: Double? = nil, ratio: Double? = nil
        var ids: [String] = []
        if w.lowerBound - 364 >= sum.startDay {
          let a = w.lowerBound - 364, b = w.upperBound - 364
          ly = sum.sum(from: a, to: b)
          // Ordinary: the rest of the year up to the window's end (as far as the data reaches).
          let lo = max(sum.startDay, b - 364), hi = min(sum.endDay, b)
          let outside = sum.sum(from: lo, to: hi) - ly!, outsideDays = (hi - lo + 1) - (b - a + 1)
          if outsideDays >= 28 && outside > 0 { ratio = ly! / Double(b - a + 1) / (outside / Double(outsideDays)) }
          ids = try evidence(Set(cats), a, b)
        }
        suggestions.append(CampaignSuggestion(
          campaign: tpl.id, name: zh ? tpl.nameZh : tpl.nameEn, start: ReportPeriod.dayString(w.lowerBound),
          end: ReportPeriod.dayString(w.upperBound), categories: cats, forecast: e, forecastLow: lo, forecastHigh: hi,
          lastYear: ly, lastYearRatio: ratio, leadDepartment: zh ? tpl.leadZh : tpl.leadEn, ticketIds: ids))
      }
    }
    let busiest = by.sorted { ($0.value.counts.reduce(0, +), $1.key) > ($1.value.counts.reduce(0, +), $0.key) }.prefix(top).map(\.key)
    let names = busiest + campaignCats.subtracting(busiest).sorted()
    return CampaignPlan(
      origin: ReportPeriod.dayString(originDay), weeks: weeks, total: plan(zh ? "全部" : "all", total),
      categories: names.map { plan($0, by[$0]!) }, suggestions: suggestions.sorted { ($0.start, $0.campaign) < ($1.start, $1.campaign) })
  }
}
