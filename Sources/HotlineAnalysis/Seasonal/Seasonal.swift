import Foundation
import HotlineCore

/// Daily counts from `startDay` (a day number) on.
public struct DailySeries: Sendable, Hashable {
  public var startDay: Int = 0
  public var counts: [Double]

  public init(startDay: Int, counts: [Double]) {
    self.startDay = startDay
    self.counts = counts
  }

  public var endDay: Int { startDay + counts.count - 1 }

  public func count(day: Int) -> Double? {
    let i = day - startDay
    return i >= 0 && i < counts.count ? counts[i] : nil
  }

  /// Sum over days `[from, to]` (days outside the series count 0).
  public func sum(from: Int, to: Int) -> Double {
    let a = max(from, startDay), b = min(to, endDay)
    guard a <= b else { return 0 }
    return counts[(a - startDay)...(b - startDay)].reduce(0, +)
  }

  /// The series cut to `[startDay, day)`.
  public func prefix(beforeDay day: Int) -> DailySeries {
    DailySeries(startDay: startDay, counts: Array(counts.prefix(max(0, day - startDay))))
  }

  /// Daily counts of all tickets and of each category key, over the days
  /// `[first, last]` the tickets cover.
  public static func build(
    _ tickets: [Ticket], clock: ZoneClock = .shanghai, key: (Ticket) -> String?
  ) -> (total: DailySeries, byKey: [String: DailySeries]) {
    guard !tickets.isEmpty else { return (DailySeries(startDay: 0, counts: []), [:]) }
    let days = tickets.map { clock.dayNumber($0.receivedAt) }
    let first = days.min()!, last = days.max()!
    var total = [Double](repeating: 0, count: last - first + 1)
    var by: [String: [Double]] = [:]
    for (t, d) in zip(tickets, days) {
      total[d - first] += 1
      if let k = key(t) {
        if by[k] == nil { by[k] = [Double](repeating: 0, count: last - first + 1) }
        by[k]![d - first] += 1
      }
    }
    return (DailySeries(startDay: first, counts: total), by.mapValues { DailySeries(startDay: first, counts: $0) })
  }
}

/// Streams tickets into daily series (all tickets and per key).
public struct DailySeriesBuilder {
  let clock: ZoneClock
  let key: (Ticket) -> String?
  var total: [Int: Double] = [:]
  var by: [String: [Int: Double]] = [:]

  public init(clock: ZoneClock = .shanghai, key: @escaping (Ticket) -> String?) {
    self.clock = clock
    self.key = key
  }

  public mutating func add(_ t: Ticket) {
    let d = clock.dayNumber(t.receivedAt)
    total[d, default: 0] += 1
    if let k = key(t) { by[k, default: [:]][d, default: 0] += 1 }
  }

  public func finish() -> (total: DailySeries, byKey: [String: DailySeries]) {
    guard let first = total.keys.min(), let last = total.keys.max() else { return (DailySeries(startDay: 0, counts: []), [:]) }
    func series(_ m: [Int: Double]) -> DailySeries {
      var c = [Double](repeating: 0, count: last - first + 1)
      for (d, v) in m { c[d - first] = v }
      return DailySeries(startDay: first, counts: c)
    }
    return (series(total), by.mapValues(series))
  }
}

/// The calendar shape of a series: month, week-of-year, weekday and day-kind
/// indices (1 = the series' mean daily volume).
public struct SeasonalProfile: Sendable, Codable, Hashable {
  public var meanDaily: Double
  /// Index per month 1…12 (nil where the series has no day in that month).
  public var month: [Double?]
  /// Index per ISO week 1…53.
  public var weekOfYear: [Double?]
  /// Index per weekday, Monday first (ordinary days only).
  public var weekday: [Double?]
  /// Index per day kind: workday, weekend, holiday, makeup_workday.
  public var dayKind: [String: Double]
  /// Mean daily volume on holidays and on 调休 make-up workdays relative to ordinary workdays.
  public var holidayVsWorkday: Double?
  public var makeupVsWorkday: Double?

  enum CodingKeys: String, CodingKey {
    case month, weekday
    case meanDaily = "mean_daily"
    case weekOfYear = "week_of_year"
    case dayKind = "day_kind"
    case holidayVsWorkday = "holiday_vs_workday"
    case makeupVsWorkday = "makeup_vs_workday"
  }

  public init(_ s: DailySeries, calendar: HolidayCalendar = .china) {
    let mean = s.counts.isEmpty ? 0 : s.counts.reduce(0, +) / Double(s.counts.count)
    meanDaily = mean
    var mSum = [Double](repeating: 0, count: 13), mN = [Double](repeating: 0, count: 13)
    var wSum = [Double](repeating: 0, count: 54), wN = [Double](repeating: 0, count: 54)
    var dSum = [Double](repeating: 0, count: 7), dN = [Double](repeating: 0, count: 7)
    var kSum: [DayKind: Double] = [:], kN: [DayKind: Double] = [:]
    for (i, c) in s.counts.enumerated() {
      let day = s.startDay + i
      let (_, m, _) = CivilDateTime.civilFromDays(day)
      mSum[m] += c; mN[m] += 1
      let w = SeasonalProfile.isoWeek(day)
      wSum[w] += c; wN[w] += 1
      let kind = calendar.kind(ofDay: day)
      kSum[kind, default: 0] += c; kN[kind, default: 0] += 1
      if kind == .workday || kind == .weekend {
        let wd = HolidayCalendar.weekday(ofDay: day)
        dSum[wd] += c; dN[wd] += 1
      }
    }
    func idx(_ s: Double, _ n: Double) -> Double? { n > 0 && mean > 0 ? s / n / mean : nil }
    month = (1...12).map { idx(mSum[$0], mN[$0]) }
    weekOfYear = (1...53).map { idx(wSum[$0], wN[$0]) }
    weekday = (0..<7).map { idx(dSum[$0], dN[$0]) }
    var dk: [String: Double] = [:]
    for k in DayKind.allCases { if let n = kN[k], let v = idx(kSum[k] ?? 0, n) { dk[k.rawValue] = v } }
    dayKind = dk
    let work = dk[DayKind.workday.rawValue]
    holidayVsWorkday = work.flatMap { w in dk[DayKind.holiday.rawValue].map { $0 / w } }
    makeupVsWorkday = work.flatMap { w in dk[DayKind.makeupWorkday.rawValue].map { $0 / w } }
  }

  /// ISO week number 1…53 of a day.
  public static func isoWeek(_ day: Int) -> Int {
    let thursday = day - HolidayCalendar.weekday(ofDay: day) + 3
    let (y, _, _) = CivilDateTime.civilFromDays(thursday)
    return (thursday - CivilDateTime.daysFromCivil(year: y, month: 1, day: 1)) / 7 + 1
  }
}

/// One forecast week.
public struct WeekForecast: Sendable, Codable, Hashable {
  /// Monday (or the first day) of the week.
  public var start: String
  public var startDay: Int = 0
  public var expected: Double
  /// 95 % prediction interval.
  public var low: Double
  public var high: Double
  /// The same seven days one year (364 days) earlier, when known.
  public var lastYear: Double?
  public var actual: Double?

  enum CodingKeys: String, CodingKey {
    case start, expected, low, high, actual
    case lastYear = "last_year"
  }
}

/// Weekly forecasts from daily counts.
///
/// Model (multiplicative, Holt-Winters in spirit, fitted in closed form):
/// expected(d) = level × season(d) × weekday(d) × dayKind(d), where
/// - weekday and day-kind (holiday, 调休 make-up workday) factors are mean
///   ratios of each day to its centred 29-day mean over the last year;
/// - level is the mean calendar-adjusted volume of the last 28 days;
/// - season(d) is, when a year of history exists, the calendar-adjusted volume
///   around d − 364 days (±7 days) relative to the 28 days before the origin
///   − 364 (so moving holidays such as 春节 are not double counted); with
///   exactly about one year of history, the calendar-adjusted volume around
///   d − 364 itself (a smoothed seasonal naive); 1 with less than a year.
/// The 95 % interval is Poisson plus a multiplicative error whose size is
/// measured by backtests at earlier origins.
public struct SeasonalForecaster: Sendable {
  public var calendar: HolidayCalendar
  public init(calendar: HolidayCalendar = .china) { self.calendar = calendar }

  struct Factors { var weekday: [Double]; var holiday: Double; var makeup: Double }

  func factors(_ s: DailySeries) -> Factors {
    let n = s.counts.count
    let from = max(0, n - 371)
    var prefix = [0.0]
    for c in s.counts { prefix.append(prefix.last! + c) }
    func centred(_ i: Int) -> Double {
      let a = max(0, i - 14), b = min(n - 1, i + 14)
      return (prefix[b + 1] - prefix[a]) / Double(b - a + 1)
    }
    var wS = [Double](repeating: 0, count: 7), wN = [Double](repeating: 0, count: 7)
    var hS = 0.0, hN = 0.0, mS = 0.0, mN = 0.0
    var ratios: [(Int, DayKind, Double)] = []
    for i in from..<n {
      let m = centred(i)
      guard m > 0 else { continue }
      let r = s.counts[i] / m
      let day = s.startDay + i
      let kind = calendar.kind(ofDay: day)
      let wd = HolidayCalendar.weekday(ofDay: day)
      ratios.append((wd, kind, r))
      if kind == .workday || kind == .weekend { wS[wd] += r; wN[wd] += 1 }
    }
    var weekday = (0..<7).map { wN[$0] > 0 ? wS[$0] / wN[$0] : 1 }
    let wMean = weekday.reduce(0, +) / 7
    if wMean > 0 { weekday = weekday.map { $0 / wMean } }
    for (wd, kind, r) in ratios {
      let w = max(weekday[wd], 1e-6)
      if kind == .holiday { hS += r / w; hN += 1 }
      if kind == .makeupWorkday { mS += r / w; mN += 1 }
    }
    // Shrink toward 1 when few days were seen.
    let holiday = (hS + 3) / (hN + 3), makeup = (mS + 3) / (mN + 3)
    return Factors(weekday: weekday, holiday: holiday, makeup: makeup)
  }

  func factor(_ f: Factors, day: Int) -> Double {
    let w = f.weekday[HolidayCalendar.weekday(ofDay: day)]
    switch calendar.kind(ofDay: day) {
    case .holiday: return w * f.holiday
    case .makeupWorkday: return w * f.makeup
    default: return w
    }
  }

  /// Point forecasts for the `days` days after the series ends.
  public func pointForecast(_ s: DailySeries, days: Int) -> [Double] {
    let n = s.counts.count
    guard n >= 14 else {
      let m = n == 0 ? 0 : s.counts.reduce(0, +) / Double(n)
      return [Double](repeating: m, count: days)
    }
    let f = factors(s)
    let adjusted = s.counts.enumerated().map { $0.element / max(factor(f, day: s.startDay + $0.offset), 1e-6) }
    func mean(_ a: Int, _ b: Int) -> Double {  // indices [a, b)
      let lo = max(0, a), hi = min(n, b)
      guard hi > lo else { return 0 }
      return adjusted[lo..<hi].reduce(0, +) / Double(hi - lo)
    }
    var level = mean(n - 28, n)
    var yearAgoBase = mean(n - 364 - 28, n - 364)
    var seasonal = n >= 364 + 28 && yearAgoBase > 0
    if !seasonal && n >= 364 && days <= 364 {
      // Exactly about one year: no window before the year-ago origin, so the
      // season is the year-ago volume itself (smoothed seasonal naive on the
      // calendar-adjusted series); the level is the year's mean.
      level = mean(0, n)
      yearAgoBase = level
      seasonal = yearAgoBase > 0
    }
    return (0..<days).map { k in
      let day = s.startDay + n + k
      var season = 1.0
      if seasonal {
        let j = n + k - 364
        season = mean(j - 7, j + 8) / yearAgoBase
      }
      return max(0, level * season * factor(f, day: day))
    }
  }

  /// Weekly forecasts for `weeks` weeks after the series ends, with 95 % intervals.
  public func forecast(_ s: DailySeries, weeks: Int) -> [WeekForecast] {
    let days = pointForecast(s, days: weeks * 7)
    let cv = errorScale(s, weeks: weeks)
    return (0..<weeks).map { w in
      let e = days[(w * 7)..<(w * 7 + 7)].reduce(0, +)
      let sd = (e + cv * cv * e * e).squareRoot()
      let startDay = s.startDay + s.counts.count + w * 7
      let ly = startDay - 364 >= s.startDay ? s.sum(from: startDay - 364, to: startDay - 358) : nil
      return WeekForecast(
        start: ReportPeriod.dayString(startDay), startDay: startDay, expected: e, low: max(0, e - 1.96 * sd),
        high: e + 1.96 * sd, lastYear: ly, actual: nil)
    }
  }

  /// The multiplicative error beyond Poisson noise, from backtests at up to
  /// three earlier origins (0.15 when the history is too short).
  public func errorScale(_ s: DailySeries, weeks: Int) -> Double {
    var sq = 0.0, poissonPart = 0.0, n = 0.0
    for k in 1...3 {
      let origin = s.counts.count - k * weeks * 7
      guard origin >= 56 else { break }
      let head = s.prefix(beforeDay: s.startDay + origin)
      let p = pointForecast(head, days: weeks * 7)
      for w in 0..<weeks {
        let e = p[(w * 7)..<(w * 7 + 7)].reduce(0, +)
        let a = s.counts[(origin + w * 7)..<(origin + w * 7 + 7)].reduce(0, +)
        guard e > 0 else { continue }
        sq += ((a - e) / e) * ((a - e) / e)
        poissonPart += 1 / e
        n += 1
      }
    }
    guard n >= 4 else { return 0.15 }
    return max(0.02, (max(0, sq - poissonPart) / n).squareRoot())
  }
}

/// Accuracy of weekly forecasts on a held-out tail.
public struct ForecastAccuracy: Sendable, Codable, Hashable {
  public var series: String
  public var weeks: Int
  public var actual: Double
  /// Mean absolute percentage error of weekly totals.
  public var mape: Double
  /// Seasonal naive (the same seven days 364 days earlier); nil without a year of history.
  public var seasonalNaiveMape: Double?
  /// Naive: the mean week of the last four weeks.
  public var naiveMape: Double
  /// Share of held-out weeks inside the 95 % interval.
  public var coverage: Double

  enum CodingKeys: String, CodingKey {
    case series, weeks, actual, mape, coverage
    case seasonalNaiveMape = "seasonal_naive_mape"
    case naiveMape = "naive_mape"
  }

  /// Holds out the last `weeks` weeks of `s`, forecasts them from the rest and scores.
  public static func backtest(_ s: DailySeries, weeks: Int, name: String, forecaster: SeasonalForecaster = SeasonalForecaster()) -> ForecastAccuracy? {
    let origin = s.counts.count - weeks * 7
    guard origin >= 28 else { return nil }
    let head = s.prefix(beforeDay: s.startDay + origin)
    let f = forecaster.forecast(head, weeks: weeks)
    let naive = head.counts.suffix(28).reduce(0, +) / 4
    var ape = 0.0, apeS = 0.0, apeN = 0.0, inside = 0.0, total = 0.0, used = 0.0
    var seasonalOK = origin >= 364
    for (w, fw) in f.enumerated() {
      let a = s.counts[(origin + w * 7)..<(origin + w * 7 + 7)].reduce(0, +)
      guard a > 0 else { continue }
      used += 1
      total += a
      ape += abs(a - fw.expected) / a
      apeN += abs(a - naive) / a
      if a >= fw.low && a <= fw.high { inside += 1 }
      let i = origin + w * 7 - 364
      if i >= 0 { apeS += abs(a - s.counts[i..<(i + 7)].reduce(0, +)) / a } else { seasonalOK = false }
    }
    guard used > 0 else { return nil }
    return ForecastAccuracy(
      series: name, weeks: weeks, actual: total, mape: ape / used, seasonalNaiveMape: seasonalOK ? apeS / used : nil,
      naiveMape: apeN / used, coverage: inside / used)
  }
}
