import Foundation
import HotlineCore
import Testing

struct CoordinateTests {
  @Test func gcj02RoundTripIsExact() {
    let wgs = Coordinate(lon: 116.397_128, lat: 39.916_527)
    let gcj = CoordinateSystem.gcj02.fromWGS84(wgs)
    // The GCJ-02 offset in Beijing is several hundred metres.
    #expect(wgs.distance(to: gcj) > 100 && wgs.distance(to: gcj) < 1000)
    let back = CoordinateSystem.gcj02.toWGS84(gcj)
    #expect(back.distance(to: wgs) < 0.01)
  }

  @Test func bd09RoundTripIsExact() {
    let wgs = Coordinate(lon: 121.4737, lat: 31.2304)
    let bd = CoordinateSystem.bd09.fromWGS84(wgs)
    #expect(wgs.distance(to: bd) > 300)
    #expect(CoordinateSystem.bd09.toWGS84(bd).distance(to: wgs) < 0.05)
  }

  @Test func outsideChinaIsUnchanged() {
    let nyc = Coordinate(lon: -73.99, lat: 40.66)
    #expect(CoordinateSystem.gcj02.toWGS84(nyc) == nyc)
  }

  @Test func readsSystemNames() {
    #expect(CoordinateSystem(normalizing: "wgs84") == .wgs84)
    #expect(CoordinateSystem(normalizing: "GCJ-02") == .gcj02)
    #expect(CoordinateSystem(normalizing: "百度") == .bd09)
    #expect(CoordinateSystem(normalizing: "mercator") == nil)
  }
}

struct ZoneClockTests {
  @Test func shanghaiIsUTCPlusEight() {
    let clock = ZoneClock.shanghai
    let t = clock.epoch(CivilDateTime(year: 2019, month: 2, day: 28, hour: 11, minute: 25, second: 5))
    #expect(t == 1_551_324_305)
    #expect(clock.iso8601(t) == "2019-02-28T11:25:05+08:00")
    #expect(clock.civil(t) == CivilDateTime(year: 2019, month: 2, day: 28, hour: 11, minute: 25, second: 5))
    #expect(clock.dayNumber(t) == CivilDateTime.daysFromCivil(year: 2019, month: 2, day: 28))
  }

  @Test func zonesWithDaylightSavingResolveOffsets() throws {
    let ny = try #require(ZoneClock(identifier: "America/New_York"))
    let summer = ny.epoch(CivilDateTime(year: 2024, month: 7, day: 1, hour: 12))
    let winter = ny.epoch(CivilDateTime(year: 2024, month: 1, day: 1, hour: 12))
    #expect(ny.iso8601(summer) == "2024-07-01T12:00:00-04:00")
    #expect(ny.iso8601(winter) == "2024-01-01T12:00:00-05:00")
  }

  @Test func validatesCalendarDates() {
    #expect(CivilDateTime(year: 2024, month: 2, day: 29).isValid)
    #expect(!CivilDateTime(year: 2023, month: 2, day: 29).isValid)
    #expect(!CivilDateTime(year: 2023, month: 13, day: 1).isValid)
  }
}

struct TicketValueTests {
  @Test(arguments: [
    ("咨询类", TicketKind.consultation), ("求决", .help), ("投诉举报", .complaint),
    ("举报", .report), ("意见建议", .suggestion), ("感谢", .praise), ("无效来电", .other),
  ])
  func normalizesKinds(raw: String, kind: TicketKind) {
    #expect(TicketKind(normalizing: raw) == kind)
  }

  @Test func splitsCategoryPaths() {
    #expect(Ticket.splitCategory("城市管理->市容环境->占道经营") == ["城市管理", "市容环境", "占道经营"])
    #expect(Ticket.splitCategory("城乡建设") == ["城乡建设"])
    #expect(Ticket.splitCategory(" ") == [])
  }

  @Test func splitMixIsDeterministic() {
    var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
    #expect((0..<4).map { _ in a.next() } == (0..<4).map { _ in b.next() })
  }
}
