import Foundation
import HotlineCore

/// A reporting period: whole civil days `[startDay, endDay]` (day numbers
/// since 1970-01-01 in the database's zone).
public struct ReportPeriod: Sendable, Hashable, Codable {
  public enum Kind: String, Sendable, Codable { case day, week, month, quarter, year, range }
  public var kind: Kind
  public var startDay: Int
  public var endDay: Int
  /// As written: 2024-06, 2024-W23, 2024-Q2, 2024, 2024-06-01..2024-06-15.
  public var label: String

  public init(kind: Kind, startDay: Int, endDay: Int, label: String) {
    self.kind = kind
    self.startDay = startDay
    self.endDay = endDay
    self.label = label
  }

  public var days: Int { endDay - startDay + 1 }

  /// Parses 2024-06 (month), 2024-W23 (ISO week), 2024-Q2, 2024 (year),
  /// 2024-06-03 (day) or FROM..TO (inclusive days).
  public init?(parsing s: String) {
    let s = s.trimmingCharacters(in: .whitespaces)
    if let r = s.range(of: "..") {
      guard let a = ReportPeriod.day(String(s[..<r.lowerBound])), let b = ReportPeriod.day(String(s[r.upperBound...])), a <= b
      else { return nil }
      self.init(kind: .range, startDay: a, endDay: b, label: s)
      return
    }
    let p = s.split(separator: "-").map(String.init)
    guard let y = Int(p.first ?? ""), (1900...2200).contains(y) else { return nil }
    if p.count == 1 {
      self.init(kind: .year, startDay: CivilDateTime.daysFromCivil(year: y, month: 1, day: 1),
                endDay: CivilDateTime.daysFromCivil(year: y, month: 12, day: 31), label: s)
    } else if p.count == 2, p[1].uppercased().hasPrefix("W"), let w = Int(p[1].dropFirst()), (1...53).contains(w) {
      let monday = ReportPeriod.isoWeekMonday(year: y, week: w)
      self.init(kind: .week, startDay: monday, endDay: monday + 6, label: s)
    } else if p.count == 2, p[1].uppercased().hasPrefix("Q"), let q = Int(p[1].dropFirst()), (1...4).contains(q) {
      let m = (q - 1) * 3 + 1
      self.init(kind: .quarter, startDay: CivilDateTime.daysFromCivil(year: y, month: m, day: 1),
                endDay: CivilDateTime.daysFromCivil(year: y, month: m + 2, day: CivilDateTime.daysIn(year: y, month: m + 2)), label: s)
    } else if p.count == 2, let m = Int(p[1]), (1...12).contains(m) {
      self.init(kind: .month, startDay: CivilDateTime.daysFromCivil(year: y, month: m, day: 1),
                endDay: CivilDateTime.daysFromCivil(year: y, month: m, day: CivilDateTime.daysIn(year: y, month: m)), label: s)
    } else if p.count == 3, let d = ReportPeriod.day(s) {
      self.init(kind: .day, startDay: d, endDay: d, label: s)
    } else {
      return nil
    }
  }

  static func day(_ s: String) -> Int? {
    let p = s.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int($0) }
    guard p.count == 3, (1...12).contains(p[1]), p[2] >= 1, p[2] <= CivilDateTime.daysIn(year: p[0], month: p[1]) else { return nil }
    return CivilDateTime.daysFromCivil(year: p[0], month: p[1], day: p[2])
  }

  /// Monday of ISO week `week` of `year`.
  public static func isoWeekMonday(year: Int, week: Int) -> Int {
    let jan4 = CivilDateTime.daysFromCivil(year: year, month: 1, day: 4)
    let week1Monday = jan4 - HolidayCalendar.weekday(ofDay: jan4)
    return week1Monday + (week - 1) * 7
  }

  /// The period before this one (previous month, week, …; a range: the same number of days before).
  public var previous: ReportPeriod {
    let (y, m, _) = CivilDateTime.civilFromDays(startDay)
    switch kind {
    case .month:
      let (py, pm) = m == 1 ? (y - 1, 12) : (y, m - 1)
      return ReportPeriod(parsing: String(format: "%04d-%02d", py, pm))!
    case .quarter:
      let q = (m - 1) / 3 + 1
      return ReportPeriod(parsing: q == 1 ? "\(y - 1)-Q4" : "\(y)-Q\(q - 1)")!
    case .year: return ReportPeriod(parsing: "\(y - 1)")!
    default:
      return ReportPeriod(kind: kind, startDay: startDay - days, endDay: startDay - 1,
                          label: ReportPeriod.dayString(startDay - days) + ".." + ReportPeriod.dayString(startDay - 1))
    }
  }

  /// The same period one year earlier (weeks and ranges: 364 days earlier, same weekdays).
  public var yearEarlier: ReportPeriod {
    let (y, m, _) = CivilDateTime.civilFromDays(startDay)
    switch kind {
    case .month: return ReportPeriod(parsing: String(format: "%04d-%02d", y - 1, m))!
    case .quarter: return ReportPeriod(parsing: "\(y - 1)-Q\((m - 1) / 3 + 1)")!
    case .year: return ReportPeriod(parsing: "\(y - 1)")!
    default:
      return ReportPeriod(kind: kind, startDay: startDay - 364, endDay: endDay - 364,
                          label: ReportPeriod.dayString(startDay - 364) + ".." + ReportPeriod.dayString(endDay - 364))
    }
  }

  public func contains(day: Int) -> Bool { day >= startDay && day <= endDay }

  public static func dayString(_ day: Int) -> String {
    let (y, m, d) = CivilDateTime.civilFromDays(day)
    return String(format: "%04d-%02d-%02d", y, m, d)
  }

  /// The last whole month / ISO week ending on or before `day`.
  public static func lastWhole(_ kind: Kind, endingBy day: Int) -> ReportPeriod {
    switch kind {
    case .week:
      let sunday = day - ((HolidayCalendar.weekday(ofDay: day) + 1) % 7)
      let monday = sunday - 6
      let (y, _, _) = CivilDateTime.civilFromDays(monday + 3)
      let w = (monday - isoWeekMonday(year: y, week: 1)) / 7 + 1
      return ReportPeriod(parsing: String(format: "%04d-W%02d", y, w))!
    default:
      let (y, m, d) = CivilDateTime.civilFromDays(day)
      if d == CivilDateTime.daysIn(year: y, month: m) { return ReportPeriod(parsing: String(format: "%04d-%02d", y, m))! }
      let (py, pm) = m == 1 ? (y - 1, 12) : (y, m - 1)
      return ReportPeriod(parsing: String(format: "%04d-%02d", py, pm))!
    }
  }

  enum CodingKeys: String, CodingKey {
    case kind, label, days
    case startDay = "start", endDay = "end"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(kind, forKey: .kind)
    try c.encode(label, forKey: .label)
    try c.encode(ReportPeriod.dayString(startDay), forKey: .startDay)
    try c.encode(ReportPeriod.dayString(endDay), forKey: .endDay)
    try c.encode(days, forKey: .days)
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    kind = try c.decode(Kind.self, forKey: .kind)
    label = try c.decode(String.self, forKey: .label)
    guard let a = ReportPeriod.day(try c.decode(String.self, forKey: .startDay)),
      let b = ReportPeriod.day(try c.decode(String.self, forKey: .endDay))
    else { throw DecodingError.dataCorruptedError(forKey: .startDay, in: c, debugDescription: "bad date") }
    startDay = a
    endDay = b
  }
}
