import Foundation
import HotlineCore
import HotlineImport
import Testing

/// Date formats, through the reader (the parser itself is internal).
struct DateParsingTests {
  static func parse(_ values: [String], zone: String = "Asia/Shanghai") throws -> [Int64?] {
    var csv = "工单编号,来电时间,办结时间\n"
    for (i, v) in values.enumerated() { csv += "\(i),2020-01-01,\"\(v)\"\n" }
    let (_, tickets, _, _) = try TestFiles.read(TestFiles.write(csv)) { $0.clock = ZoneClock(identifier: zone) }
    return tickets.map(\.closedAt)
  }

  @Test func formats() throws {
    let base: Int64 = 1_551_324_305  // 2019-02-28 11:25:05 +08:00
    let values = [
      "2019/2/28 11:25:05", "2019/2/28 11:25", "2019-02-28 11:25:05", "2019-02-28T11:25:05",
      "2019-02-28 11:25:05.000", "2019-02-28T03:25:05Z", "2019-02-28T11:25:05+08:00", "2019-02-28T03:25:05.123Z",
      "2019-02-28", "2019年2月28日 11时25分", "2019年2月28日 11:25", "2019年2月28日", "02/28/2019 11:25:05 AM",
      "02/27/2019 10:25:05 PM", "20190228112505", "1551324305", "1551324305000", "2019.02.28 11:25:05",
      "2019-02-28 11:25:05 +0800", "2019年2月28日 11时25分05秒",
    ]
    let got = try Self.parse(values)
    let expected: [Int64?] = [
      base, base - 5, base, base, base, base, base, base, base - 41_105, base - 5, base - 5, base - 41_105,
      base, base - 46_800, base, base, base, base, base, base,
    ]
    for (i, v) in values.enumerated() { #expect(got[i] == expected[i], "\(v)") }
  }

  @Test func invalidValuesAreDropped() throws {
    let got = try Self.parse(["2019-02-30", "25:00", "2019-02-28 25:00", "abc", "2019/13/01", "13/13/2019"])
    #expect(got.allSatisfy { $0 == nil })
  }

  @Test func usTimesUseTheClock() throws {
    let got = try Self.parse(["03/01/2011 02:27:57 PM", "12/01/2011 12:00:00 AM"], zone: "America/New_York")
    #expect(got[0] == 1_299_007_677)  // 19:27:57 UTC
    #expect(got[1] == 1_322_715_600)  // midnight EST
  }
}
