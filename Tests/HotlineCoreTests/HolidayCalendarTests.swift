import Foundation
import HotlineCore
import Testing

struct HolidayCalendarTests {
  let cal = HolidayCalendar.china

  @Test func knownDays2024() {
    #expect(cal.kind(year: 2024, month: 2, day: 4) == .makeupWorkday)
    #expect(cal.kind(year: 2024, month: 2, day: 18) == .makeupWorkday)
    for d in 1...7 { #expect(cal.kind(year: 2024, month: 10, day: d) == .holiday) }
    #expect(cal.kind(year: 2024, month: 10, day: 8) == .workday)
    #expect(cal.kind(year: 2024, month: 10, day: 12) == .makeupWorkday)
    #expect(cal.kind(year: 2024, month: 2, day: 10) == .holiday)
    #expect(cal.entry(ofDay: CivilDateTime.daysFromCivil(year: 2024, month: 2, day: 10))?.name == "春节")
    // An ordinary Saturday and Tuesday.
    #expect(cal.kind(year: 2024, month: 3, day: 2) == .weekend)
    #expect(cal.kind(year: 2024, month: 3, day: 5) == .workday)
  }

  @Test func otherYearsSpotChecks() {
    #expect(cal.kind(year: 2019, month: 10, day: 12) == .makeupWorkday)
    #expect(cal.kind(year: 2020, month: 2, day: 1) == .holiday)  // extended Spring Festival
    #expect(cal.kind(year: 2023, month: 9, day: 29) == .holiday)
    #expect(cal.kind(year: 2025, month: 1, day: 26) == .makeupWorkday)
    #expect(cal.kind(year: 2025, month: 10, day: 8) == .holiday)
    #expect(cal.kind(year: 2026, month: 2, day: 23) == .holiday)
    #expect(cal.kind(year: 2026, month: 9, day: 20) == .makeupWorkday)
  }

  /// Every year has the seven holidays (国庆 and 中秋 may share one break).
  @Test func everyYearHasItsHolidays() {
    for year in 2019...2027 {
      var names = Set<String>()
      let first = CivilDateTime.daysFromCivil(year: year, month: 1, day: 1)
      let last = CivilDateTime.daysFromCivil(year: year, month: 12, day: 31)
      for day in first...last { if let e = cal.entry(ofDay: day), e.kind == .holiday { names.insert(e.name) } }
      for n in ["元旦", "春节", "清明节", "劳动节", "端午节", "国庆节"] { #expect(names.contains(n), "\(year) \(n)") }
    }
  }

  /// datasets/calendar/china_holidays.csv and the embedded table list the same days.
  @Test func csvAgreesWithEmbeddedTable() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../datasets/calendar/china_holidays.csv").standardized
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record("datasets/calendar/china_holidays.csv not found at \(url.path)")
      return
    }
    var csvDays = Set<Int>()
    for line in text.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      #expect(f.count == 6)
      let p = f[0].split(separator: "-").map { Int($0)! }
      let day = CivilDateTime.daysFromCivil(year: p[0], month: p[1], day: p[2])
      csvDays.insert(day)
      let kind = try #require(DayKind(rawValue: f[1]))
      #expect(cal.kind(ofDay: day) == kind, "\(f[0])")
      #expect(cal.entry(ofDay: day)?.name == f[2], "\(f[0])")
      #expect(HolidayCalendar.weekday(ofDay: day) + 1 == Int(f[3]), "\(f[0]) weekday")
      if kind == .makeupWorkday { #expect(HolidayCalendar.weekday(ofDay: day) >= 5, "\(f[0]) is not a weekend day") }
      #expect(f[4] == (p[0] == 2027 ? "yes" : "no"))
    }
    #expect(csvDays.count > 250)
    // No embedded day missing from the CSV.
    let start = CivilDateTime.daysFromCivil(year: 2018, month: 12, day: 1)
    let end = CivilDateTime.daysFromCivil(year: 2027, month: 12, day: 31)
    for day in start...end where cal.entry(ofDay: day) != nil { #expect(csvDays.contains(day)) }
  }
}
