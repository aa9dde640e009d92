import HotlineStats
import Testing

/// Reference values from scikit-learn 1.9.1:
/// `normalized_mutual_info_score(a, b)` (arithmetic normalisation) and
/// `adjusted_rand_score(a, b)`, printed with repr().
struct ClusteringMetricsTests {
  struct Case: Sendable {
    var a: [Int], b: [Int], nmi: Double, ari: Double
  }

  static let cases: [Case] = [
    Case(
      a: [0, 0, 0, 1, 1, 1, 2, 2, 2, 2], b: [0, 0, 1, 1, 1, 2, 2, 2, 0, 0],
      nmi: 0.3946483716358942, ari: 0.09090909090909091),
    Case(a: [0, 0, 1, 1], b: [1, 1, 0, 0], nmi: 1.0, ari: 1.0),
    Case(a: [0, 0, 0, 0], b: [0, 1, 2, 3], nmi: 0.0, ari: 0.0),
    Case(a: [0, 1, 2, 3], b: [0, 1, 2, 3], nmi: 1.0, ari: 1.0),
    Case(a: [0, 0, 0], b: [5, 5, 5], nmi: 1.0, ari: 1.0),
    Case(
      a: [-1, 0, 0, 1, 1, 2, 2, 2, -1, 3, 3, 3], b: [1, 1, 1, 2, 2, 2, 0, 0, 0, 3, 3, 3],
      nmi: 0.747241178833334, ari: 0.49230769230769234),
    Case(a: [0, 0, 1, 2], b: [0, 0, 1, 1], nmi: 0.7999999999999999, ari: 0.5714285714285714),
  ]

  @Test(arguments: cases) func matchesScikitLearn(_ c: Case) {
    #expect(abs(ClusteringMetrics.nmi(c.a, c.b) - c.nmi) < 1e-12)
    #expect(abs(ClusteringMetrics.adjustedRandIndex(c.a, c.b) - c.ari) < 1e-12)
  }

  @Test func symmetricAndEmpty() {
    let a = [0, 0, 1, 1, 2, 2, 2], b = [1, 0, 1, 1, 2, 0, 2]
    #expect(abs(ClusteringMetrics.nmi(a, b) - ClusteringMetrics.nmi(b, a)) < 1e-12)
    #expect(
      abs(ClusteringMetrics.adjustedRandIndex(a, b) - ClusteringMetrics.adjustedRandIndex(b, a))
        < 1e-12)
    #expect(ClusteringMetrics.nmi([], []) == 1)
    #expect(ClusteringMetrics.adjustedRandIndex([], []) == 1)
  }

  @Test func discreteSamplingFollowsWeights() {
    let rng = GSLRandom(seed: 7)
    var hits = [0, 0, 0, 0]
    for _ in 0..<20_000 { hits[rng.sampleIndex(weights: [1, 0, 3, 0])] += 1 }
    #expect(hits[1] == 0 && hits[3] == 0)
    #expect(abs(Double(hits[2]) / 20_000 - 0.75) < 0.02)
  }
}
