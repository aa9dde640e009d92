import Foundation
import HotlineStats
import Testing

struct CountTailTests {
  @Test func binomialTailMatchesTheSumOfTerms() {
    // P(X ≥ 3), X ~ Bin(10, 0.2), summed by hand from the pmf.
    var direct = 0.0
    for k in 3...10 {
      var c = 1.0
      for i in 0..<k { c = c * Double(10 - i) / Double(i + 1) }
      direct += c * pow(0.2, Double(k)) * pow(0.8, Double(10 - k))
    }
    #expect(abs(BinomialTail.atLeast(3, n: 10, p: 0.2) - direct) < 1e-12)
    #expect(abs(BinomialTail.atLeast(3, n: 10, p: 0.2) - 0.3222004736) < 1e-9)
    #expect(BinomialTail.atLeast(0, n: 10, p: 0.2) == 1)
    #expect(BinomialTail.atLeast(11, n: 10, p: 0.2) == 0)
    #expect(abs(BinomialTail.log10AtLeast(3, n: 10, p: 0.2) - log10(direct)) < 1e-10)
  }

  @Test func log10TailStaysFiniteBeyondDoubleRange() {
    // 200 of 200 at p = 0.01: exactly 10^-400, below the smallest Double.
    let l = BinomialTail.log10AtLeast(200, n: 200, p: 0.01)
    #expect(abs(l - -400) < 1e-6)
    // Where both are representable, the fallback agrees with GSL's tail.
    let exact = log10(BinomialTail.atLeast(40, n: 60, p: 0.05))
    #expect(abs(BinomialTail.log10PMF(40, n: 60, p: 0.05) - exact) < 0.02)
    #expect(BinomialTail.log10PMF(40, n: 60, p: 0.05) < exact)
  }

  @Test func negativeBinomialFitRecoversMoments() throws {
    // Counts with mean 2 and variance 6: p = 1/3, r = 1.
    let counts = [0, 0, 0, 1, 1, 2, 3, 4, 9, 0]
    let m = Double(counts.reduce(0, +)) / 10
    let v = counts.map { pow(Double($0) - m, 2) }.reduce(0, +) / 9
    let nb = try #require(NegativeBinomial.fitMoments(counts))
    #expect(abs(nb.mean - m) < 1e-12)
    #expect(abs(nb.variance - v) < 1e-9)
    // The tail equals one minus the summed pmf.
    var below = 0.0
    for k in 0..<5 { below += pow(10, nb.log10PMF(k)) }
    #expect(abs(nb.atLeast(5) - (1 - below)) < 1e-12)
    #expect(abs(nb.log10AtLeast(5) - log10(1 - below)) < 1e-10)
    // Far in the tail the log form stays finite and decreasing.
    #expect(nb.log10AtLeast(2000) < nb.log10AtLeast(1000))
    #expect(nb.log10AtLeast(2000).isFinite)
  }

  @Test func underDispersedCountsFitNearPoisson() throws {
    let nb = try #require(NegativeBinomial.fitMoments([2, 2, 2, 2, 3, 1]))
    #expect(abs(nb.mean - 2) < 1e-5)
    #expect(NegativeBinomial.fitMoments([Int]()) == nil)
    #expect(NegativeBinomial.fitMoments([0, 0, 0]) == nil)
  }
}

struct BurstScanTests {
  @Test func maxWindowFindsTheDensestStretch() {
    let day: Int64 = 86_400
    let t: [Int64] = [0, 10 * day, 30 * day, 30 * day + 5, 31 * day, 32 * day, 90 * day]
    let w = BurstScan.maxWindow(sortedTimes: t, window: 3 * day)
    #expect(w.count == 4)
    #expect(w.range == 2..<6)
    #expect(BurstScan.maxWindow(sortedTimes: [], window: day).count == 0)
  }

  @Test func wallensteinNeffAgreesWithSimulation() {
    // 20 events uniform on [0, 1), window 0.05: P(some window holds ≥ 6).
    let n = 20, k = 6, w = 0.05
    let rng = GSLRandom(seed: 7)
    let reps = 20_000
    var hits = 0
    for _ in 0..<reps {
      var x = (0..<n).map { _ in rng.uniform() }
      x.sort()
      var j = 0, best = 0
      for i in 0..<n {
        while j < n && x[j] < x[i] + w { j += 1 }
        best = max(best, j - i)
      }
      if best >= k { hits += 1 }
    }
    let simulated = Double(hits) / Double(reps)
    let approx = pow(10, BurstScan.log10PValue(maxCount: k, events: n, windowFraction: w))
    // The approximation is close for small p (here about 0.02).
    #expect(simulated > 0.005 && simulated < 0.06)
    #expect(abs(approx - simulated) < 0.35 * simulated)
  }

  @Test func burstsAreFarMoreUnlikelyThanSpreadCalls() {
    // 12 calls within 3 days of a year, versus 4 of them.
    let burst = BurstScan.log10PValue(maxCount: 12, events: 12, windowFraction: 3.0 / 365)
    let spread = BurstScan.log10PValue(maxCount: 2, events: 12, windowFraction: 3.0 / 365)
    #expect(burst < -20)
    #expect(spread > -1)
    #expect(BurstScan.log10PValue(maxCount: 1, events: 5, windowFraction: 0.1) == 0)
  }
}
