import Foundation
import HotlineCore
import Testing

@testable import HotlineAnalysis

/// The kernels of the in-memory caller review against plain versions.
struct CallerGroupingTests {
  /// Tickets of repeat and one-off callers: keys in the importer's form
  /// (32 hex digits), keys of another form, and no key.
  static func tickets(_ n: Int, seed: UInt64) -> [Ticket] {
    var rng = SplitMix64(seed: seed)
    let callers = (0..<(n / 3)).map { _ in String(format: "%016llx%016llx", rng.next(), rng.next()) }
    return (0..<n).map { i in
      let r = rng.next() % 100
      let key: String? =
        r < 5 ? nil : r < 10 ? "other-\(rng.next() % 50)" : r < 12 ? "" : callers[Int(rng.next() % UInt64(callers.count))]
      return Ticket(id: "t\(i)", receivedAt: Int64(i) * 60, callerKey: key, text: "x")
    }
  }

  @Test(arguments: [1, 2, 3])
  func groupsAreTheTicketsOfOneKeyInIndexOrder(halves: Int) {
    let tickets = Self.tickets(3_000, seed: 9)
    let table = CallerReview.TicketTable(
      tickets: tickets, scope: Array(repeating: 0, count: tickets.count), codes: [],
      marks: Array(repeating: 0, count: tickets.count))
    let who = table.callers(halves: halves)
    var expected: [String: [Int]] = [:]
    for (i, t) in tickets.enumerated() { if let k = t.callerKey, !k.isEmpty { expected[k, default: []].append(i) } }
    #expect(who.count == expected.count)
    #expect(who.order.count == expected.values.reduce(0) { $0 + $1.count })
    var seen = Set<String>()
    for c in 0..<who.count {
      let group = Array(who.order[who.start[c]..<who.start[c + 1]])
      let key = tickets[group[0]].callerKey!
      #expect(seen.insert(key).inserted)
      #expect(group == expected[key])
    }
    #expect(who.hasCaller == tickets.map { ($0.callerKey ?? "").isEmpty == false })
    // The same grouping whatever the number of threads.
    let one = table.callers(halves: 1)
    #expect(who.order == one.order && who.start == one.start)
  }

  @Test func caseFileStampsReadAsTheClockWritesThem() {
    var rng = SplitMix64(seed: 4)
    for clock in [ZoneClock.shanghai, ZoneClock(identifier: "America/New_York")!, ZoneClock(identifier: "UTC")!] {
      for k in 0..<2_000 {
        let t = k < 4 ? [0, -1, 1_700_000_000, 253_402_300_799][k] : Int64(rng.next() % 4_000_000_000) - 500_000_000
        let (date, iso) = CallerCaseFile.stamp(t, clock)
        #expect(date == clock.dateString(t) && iso == clock.iso8601(t), "\(t)")
      }
    }
  }

  @Test func concentrationCountsSortAsASortWould() {
    var rng = SplitMix64(seed: 2)
    for size in [0, 1, 5, 1_000] {
      let counts = (0..<size).map { _ in Int(rng.next() % 7) == 0 ? 0 : Int(rng.next() % 40) }
      #expect(CallerConcentration.ascending(counts) == counts.filter { $0 > 0 }.sorted())
    }
    #expect(CallerConcentration.ascending([3, 1_000_000, 0, 2]) == [2, 3, 1_000_000])
  }
}
