import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineStats
import Testing

/// A run over a window (--from) reads the days before it as the alerts'
/// baseline, so an outbreak on the window's third day is found.
struct HotspotHistoryTests {
  @Test func alertsUseTheDaysBeforeTheWindow() throws {
    let clock = ZoneClock.shanghai
    let first = CivilDateTime.daysFromCivil(year: 2025, month: 3, day: 1)
    let rng = GSLRandom(seed: 3)
    var tickets: [Ticket] = []
    func add(_ street: Int, _ day: Int) {
      let (y, m, d) = CivilDateTime.civilFromDays(first + day)
      tickets.append(
        Ticket(
          id: "T\(tickets.count)", receivedAt: clock.epoch(CivilDateTime(year: y, month: m, day: d, hour: 10)),
          callerKey: "c\(tickets.count)", category: ["公用事业", "停水"], district: "东区", street: "S\(street)街道",
          location: Coordinate(lon: 120 + Double(street % 5) * 0.02, lat: 30 + Double(street / 5) * 0.02)))
    }
    for day in 0..<100 { for s in 0..<20 { for _ in 0..<rng.poisson(1) { add(s, day) } } }
    for _ in 0..<9 { add(3, 62) }
    var config = HotspotConfig()
    config.methods = [.alerts]
    let from = first + 60, to = first + 99
    let with = HotspotInput(tickets: tickets, level: .street, from: from, to: to, historyDays: 58)
    #expect(with.historyDays == 58 && !with.historyDay.isEmpty && with.historyDay.allSatisfy { $0 < 0 && $0 >= -58 })
    #expect(with.days == 40 && with.caseDay.allSatisfy { $0 >= 0 })
    let r = try HotspotAnalysis.run(with, level: .street, config: config)
    #expect(r.hotspots.contains { $0.area == "东区/S3街道" && $0.start == "2025-05-02" })
    #expect(r.alertTests == 20 * 40)
    let without = HotspotInput(tickets: tickets, level: .street, from: from, to: to)
    #expect(without.historyDays == 0 && without.historyDay.isEmpty)
    let r0 = try HotspotAnalysis.run(without, level: .street, config: config)
    #expect(!r0.hotspots.contains { $0.start == "2025-05-02" })
    #expect(r0.alertTests == 20 * (40 - 16))
  }
}
