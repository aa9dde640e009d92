import HotlineAnalysis
import Testing

struct CallerConcentrationTests {
  @Test func emptyInputGivesZeros() {
    let c = CallerConcentration(ticketsPerCaller: [])
    #expect(c.callers == 0 && c.tickets == 0 && c.gini == 0)
    #expect(c.top.allSatisfy { $0.ticketShare == 0 })
  }

  @Test func equalCallersHaveZeroGini() {
    let c = CallerConcentration(ticketsPerCaller: Array(repeating: 3, count: 1000))
    #expect(abs(c.gini) < 1e-12)
    #expect(abs(c.top[1].ticketShare - 0.01) < 1e-12)
    #expect(c.repeatCallerShare == 1)
    #expect(c.lorenz.last == [1, 1])
  }

  @Test func oneHeavyCallerDominates() {
    // 999 callers with one ticket, one caller with 1,001: the top 0.1 % (one
    // caller) holds 1001 / 2000 of the tickets.
    let counts = Array(repeating: 1, count: 999) + [1001]
    let c = CallerConcentration(ticketsPerCaller: counts)
    #expect(c.top[0].callers == 1)
    #expect(abs(c.top[0].ticketShare - 1001.0 / 2000.0) < 1e-12)
    // Gini by the textbook formula, computed independently.
    let n = 1000.0, total = 2000.0
    var w = 0.0
    for (i, x) in counts.sorted().enumerated() { w += Double(i + 1) * Double(x) }
    #expect(abs(c.gini - (2 * w / (n * total) - (n + 1) / n)) < 1e-12)
    #expect(c.gini > 0.49 && c.gini < 0.51)
  }
}
