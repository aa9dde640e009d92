import Foundation
import HotlineStats
import Testing

/// Reference values: scipy 1.17 `false_discovery_control` (BH), R's
/// `p.adjust(method = "holm")`, PySAL esda's `G_Local(star=True,
/// transform="B")` docstring example, and the Mann–Kendall formulas computed
/// independently in numpy.
struct HotspotStatsTests {
  @Test func benjaminiHochbergMatchesScipy() {
    let p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216]
    let expected = [0.01, 0.04, 0.084, 0.084, 0.084, 0.1, 0.1057142857142857, 0.216, 0.216, 0.216]
    let q = MultipleTesting.benjaminiHochberg(p)
    for (a, b) in zip(q, expected) { #expect(abs(a - b) < 1e-12) }
    // Order does not matter; empty input is fine.
    let shuffled = [5, 0, 9, 2, 7, 1, 8, 3, 6, 4]
    let q2 = MultipleTesting.benjaminiHochberg(shuffled.map { p[$0] })
    for (i, k) in shuffled.enumerated() { #expect(abs(q2[i] - expected[k]) < 1e-12) }
    #expect(MultipleTesting.benjaminiHochberg([]).isEmpty)
  }

  /// Families selected by BH on their smallest p-values, then every test of
  /// a selected family at α · R / m. Worked by hand: family minima 0.001,
  /// 0.01, 0.04 and 1 (the empty family) have BH q-values 0.004, 0.02, 0.16/3
  /// and 1; at α = 0.04 two families are selected and 0.02 passes (0.02 ≤
  /// 0.04 · 2/4); 0.5 needs three families and α · 3/4 ≥ 0.5.
  @Test func selectedFamiliesByHand() {
    let q = MultipleTesting.selectedFamilies([[0.001, 0.02, 0.5], [0.01], [0.3, 0.04], []])
    let expected: [[Double]] = [[0.004, 0.04, 2.0 / 3], [0.02], [0.4, 0.16 / 3], []]
    #expect(q.map(\.count) == expected.map(\.count))
    for (a, b) in zip(q.joined(), expected.joined()) { #expect(abs(a - b) < 1e-12) }
    #expect(MultipleTesting.selectedFamilies([]).isEmpty)
    // One family: its tests are already adjusted, so they keep their p-values.
    #expect(MultipleTesting.selectedFamilies([[0.01, 0.03, 0.2]]) == [[0.01, 0.03, 0.2]])
  }

  /// The adjusted values give the procedure's rejections at every level:
  /// q ≤ α exactly when the test is rejected at α, on random families.
  @Test func selectedFamiliesMatchTheProcedure() {
    let rng = GSLRandom(seed: 11)
    for _ in 0..<20 {
      let families = (0..<(1 + Int(rng.uniform() * 12))).map { _ in
        (0..<Int(rng.uniform() * 6)).map { _ in pow(rng.uniform(), 3) }
      }
      let q = MultipleTesting.selectedFamilies(families)
      let m = Double(families.count)
      for alpha in stride(from: 0.0013, through: 0.9, by: 0.0071) {
        let minima = families.map { $0.min() ?? 1 }
        let r = Double(MultipleTesting.benjaminiHochberg(minima).filter { $0 <= alpha }.count)
        for (f, family) in families.enumerated() {
          let selected = MultipleTesting.benjaminiHochberg(minima)[f] <= alpha
          for (i, p) in family.enumerated() {
            #expect((q[f][i] <= alpha) == (selected && p <= alpha * r / m))
          }
        }
      }
    }
  }

  @Test func holmMatchesR() {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
    let q = MultipleTesting.holm([0.01, 0.04, 0.03, 0.005])
    for (a, b) in zip(q, [0.03, 0.06, 0.06, 0.02]) { #expect(abs(a - b) < 1e-12) }
  }

  @Test func mannKendallWithTies() {
    let mk = MannKendall([1, 3, 2, 5, 4, 6, 8, 7, 7, 9, 12, 10])
    #expect(mk.s == 55)
    #expect(abs(mk.variance - 211.66666666666666) < 1e-9)
    #expect(abs(mk.z - 3.711654341766742) < 1e-9)
    #expect(abs(mk.pValue - 0.00020590905178673156) < 1e-9)
    #expect(mk.trend() == .increasing)
    #expect(MannKendall([5, 4, 3, 2, 1, 0]).trend() == .decreasing)
    #expect(MannKendall([1, 1, 1, 1]).pValue == 1)
    #expect(MannKendall([2, 1, 2, 1, 2, 1]).trend() == .none)
  }

  @Test func gStarMatchesEsda() {
    let x: [Double] = [10, 20, 40, 15, 30, 30], y: [Double] = [10, 10, 10, 20, 20, 30]
    let nb = LocalGStar.Neighbours.distanceBand(x: x, y: y, threshold: 15)
    let g = LocalGStar(values: [2, 3, 3.2, 5, 8, 7], neighbours: nb)
    let esda = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]
    for (a, b) in zip(g.z, esda) { #expect(abs(a - b) < 1e-7) }
    #expect(g.pPermutation == nil)
  }

  @Test func gStarPermutationFindsAHotSpot() {
    // A 12 x 12 grid of noise with a hot 3 x 3 block.
    var xs: [Double] = [], ys: [Double] = [], v: [Double] = []
    let rng = GSLRandom(seed: 3)
    for i in 0..<144 {
      xs.append(Double(i % 12))
      ys.append(Double(i / 12))
      let hot = (4...6).contains(i % 12) && (4...6).contains(i / 12)
      v.append(Double(rng.poisson(hot ? 9 : 3)))
    }
    let nb = LocalGStar.Neighbours.distanceBand(x: xs, y: ys, threshold: 1.5)
    let g = LocalGStar(values: v, neighbours: nb, permutations: 999, seed: 1)
    let p = try! #require(g.pPermutation)
    let centre = 5 * 12 + 5
    #expect(g.z[centre] > 3)
    #expect(p[centre] <= 0.01)
    let q = MultipleTesting.benjaminiHochberg(p)
    let significant = (0..<144).filter { q[$0] <= 0.05 && g.z[$0] > 0 }
    #expect(significant.contains(centre))
    // Far corners are not hot.
    #expect(!significant.contains(0) && !significant.contains(143))
    // Same seed, same p-values.
    #expect(LocalGStar(values: v, neighbours: nb, permutations: 999, seed: 1).pPermutation == p)
    // More draws for the units none of whose 999 permutations reached them:
    // the others keep their p-values (the same first draws).
    let more = try! #require(
      LocalGStar(values: v, neighbours: nb, permutations: 999, seed: 1, maxPermutations: 99_999).pPermutation)
    #expect(more[centre] < 0.001 && more[centre] >= 1.0 / 100_000)
    for i in 0..<144 {
      // More draws refine a p-value of 1/1000: it stays small.
      if p[i] > 0.001 { #expect(more[i] == p[i]) } else { #expect(more[i] < 0.01) }
    }
  }

  /// Under the null (values at random), extended permutations stay valid:
  /// no more small p-values than their level allows (folded: both sides).
  @Test func extendedPermutationsAreCalibrated() {
    var xs: [Double] = [], ys: [Double] = []
    for i in 0..<100 {
      xs.append(Double(i % 10))
      ys.append(Double(i / 10))
    }
    let nb = LocalGStar.Neighbours.distanceBand(x: xs, y: ys, threshold: 1.5)
    var small = [0, 0, 0], total = 0
    for seed in 0..<40 {
      let rng = GSLRandom(seed: UInt64(100 + seed))
      let v = (0..<100).map { _ in Double(rng.poisson(3)) }
      let p = LocalGStar(values: v, neighbours: nb, permutations: 999, seed: UInt64(seed), maxPermutations: 99_999)
        .pPermutation!
      total += p.count
      for (k, level) in [0.05, 0.01, 0.001].enumerated() { small[k] += p.filter { $0 <= level }.count }
    }
    // Folded p-values: about 2 × level under the null; allow Monte Carlo error.
    #expect(Double(small[0]) / Double(total) <= 0.12)
    #expect(Double(small[1]) / Double(total) <= 0.03)
    #expect(Double(small[2]) / Double(total) <= 0.005)
  }
}
