/// What kind of day a civil date is in mainland China: ordinary workday,
/// weekend, statutory public holiday, or a weekend turned into a make-up
/// working day (调休上班).
public enum DayKind: String, Sendable, Codable, CaseIterable {
  case workday
  case weekend
  case holiday
  case makeupWorkday = "makeup_workday"

  /// Whether offices are open (workday or make-up workday).
  public var isWorking: Bool { self == .workday || self == .makeupWorkday }
}

/// The Chinese public-holiday calendar (State Council notices), used by every
/// baseline that needs weekday and holiday terms.
///
/// The data table is `datasets/calendar/` (one row per non-ordinary day); this
/// type embeds the same rows. Outside the covered years every Saturday and
/// Sunday is a weekend and every other day a workday.
public struct HolidayCalendar: Sendable {
  /// A day that is not an ordinary weekday/weekend: a holiday or a make-up workday.
  public struct Entry: Sendable, Hashable {
    public var dayNumber: Int  // days since 1970-01-01 (CivilDateTime.daysFromCivil)
    public var kind: DayKind
    /// The holiday's name, e.g. 春节, 国庆节 (also set on make-up workdays: the holiday they serve).
    public var name: String
    public init(dayNumber: Int, kind: DayKind, name: String) {
      self.dayNumber = dayNumber
      self.kind = kind
      self.name = name
    }
  }

  public let coveredYears: ClosedRange<Int>
  private let entries: [Int: Entry]

  public init(coveredYears: ClosedRange<Int>, entries: [Entry]) {
    self.coveredYears = coveredYears
    self.entries = Dictionary(entries.map { ($0.dayNumber, $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// The kind of the day `dayNumber` (days since 1970-01-01).
  public func kind(ofDay dayNumber: Int) -> DayKind {
    if let e = entries[dayNumber] { return e.kind }
    // 1970-01-01 was a Thursday: weekday index 0 = Monday.
    let weekday = ((dayNumber + 3) % 7 + 7) % 7
    return weekday >= 5 ? .weekend : .workday
  }

  public func kind(year: Int, month: Int, day: Int) -> DayKind {
    kind(ofDay: CivilDateTime.daysFromCivil(year: year, month: month, day: day))
  }

  /// The holiday (or the holiday a make-up workday serves) on that day, if any.
  public func entry(ofDay dayNumber: Int) -> Entry? { entries[dayNumber] }

  /// Weekday index of a day number, 0 = Monday … 6 = Sunday.
  public static func weekday(ofDay dayNumber: Int) -> Int { ((dayNumber + 3) % 7 + 7) % 7 }
}

extension HolidayCalendar {
  /// Mainland China, 2019–2027 (see datasets/calendar/).
  public static let china = HolidayCalendar(coveredYears: 2019...2027, entries: HolidayCalendar.chinaEntries)

  // Filled from datasets/calendar/ (issue: calendar table). Until then only
  // weekends are known.
  static let chinaEntries: [Entry] = []
}
