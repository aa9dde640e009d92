import Foundation

/// A calendar date and wall-clock time, without a zone.
public struct CivilDateTime: Sendable, Hashable, Codable {
  public var year: Int
  public var month: Int
  public var day: Int
  public var hour: Int
  public var minute: Int
  public var second: Int

  public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
    self.year = year
    self.month = month
    self.day = day
    self.hour = hour
    self.minute = minute
    self.second = second
  }

  /// Whether every field is in range (including the day of the month).
  public var isValid: Bool {
    guard month >= 1 && month <= 12, day >= 1, hour >= 0 && hour <= 23, minute >= 0 && minute <= 59,
      second >= 0 && second <= 60, year >= 1900 && year <= 2200
    else { return false }
    return day <= CivilDateTime.daysIn(year: year, month: month)
  }

  public static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
  /// `days_from_civil`).
  public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The date of a day count since 1970-01-01 (`civil_from_days`).
  public static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }
}

/// Converts between epoch seconds and wall-clock time in one time zone.
///
/// Exports write naive local times; Hotline stores UTC epoch seconds and reads
/// and prints them in the database's zone (Asia/Shanghai unless configured).
/// Zones without daylight saving since 1992 (all of China) use a fixed offset,
/// so conversion is pure arithmetic.
public struct ZoneClock: Sendable {
  public let timeZone: TimeZone
  private let fixedOffset: Int?

  /// The default zone of 12345 exports.
  public static let shanghai = ZoneClock(TimeZone(identifier: "Asia/Shanghai")!)

  public init(_ timeZone: TimeZone) {
    self.timeZone = timeZone
    let since = Date(timeIntervalSince1970: 694_224_000)  // 1992-01-01
    if timeZone.nextDaylightSavingTimeTransition(after: since) == nil {
      fixedOffset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_600_000_000))
    } else {
      fixedOffset = nil
    }
  }

  /// A clock for a zone identifier such as `Asia/Shanghai` or `UTC`.
  public init?(identifier: String) {
    guard let tz = TimeZone(identifier: identifier) else { return nil }
    self.init(tz)
  }

  /// Epoch seconds of a wall-clock time in this zone.
  public func epoch(_ c: CivilDateTime) -> Int64 {
    let days = CivilDateTime.daysFromCivil(year: c.year, month: c.month, day: c.day)
    let local = Int64(days) * 86_400 + Int64(c.hour * 3600 + c.minute * 60 + c.second)
    if let fixedOffset { return local - Int64(fixedOffset) }
    // Two passes resolve the offset at the local time.
    var guess = local - Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local))))
    guess = local - Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess))))
    return guess
  }

  /// The offset from UTC in seconds at an instant.
  public func offset(at epoch: Int64) -> Int {
    fixedOffset ?? timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(epoch)))
  }

  /// Wall-clock time in this zone of an instant.
  public func civil(_ epoch: Int64) -> CivilDateTime {
    let local = epoch + Int64(offset(at: epoch))
    var days = local / 86_400
    var secs = local % 86_400
    if secs < 0 {
      secs += 86_400
      days -= 1
    }
    let (y, m, d) = CivilDateTime.civilFromDays(Int(days))
    return CivilDateTime(
      year: y, month: m, day: d, hour: Int(secs / 3600), minute: Int(secs % 3600 / 60),
      second: Int(secs % 60))
  }

  /// The local day number (days since 1970-01-01 in this zone) of an instant.
  public func dayNumber(_ epoch: Int64) -> Int {
    let local = epoch + Int64(offset(at: epoch))
    return Int((local - ((local % 86_400) + 86_400) % 86_400) / 86_400)
  }

  /// ISO-8601 text with the zone's offset, e.g. `2019-02-28T11:25:05+08:00`.
  public func iso8601(_ epoch: Int64) -> String {
    let c = civil(epoch)
    let off = offset(at: epoch)
    let sign = off >= 0 ? "+" : "-"
    let a = abs(off)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", c.year, c.month, c.day, c.hour, c.minute,
      c.second, sign, a / 3600, a % 3600 / 60)
  }

  /// `yyyy-MM-dd` in this zone.
  public func dateString(_ epoch: Int64) -> String {
    let c = civil(epoch)
    return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
  }
}
