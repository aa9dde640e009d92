/// Multiple-testing control.
public enum MultipleTesting {
  /// Benjamini–Hochberg adjusted p-values (q-values), in input order:
  /// q_(i) = min_{j ≥ i} (m / j) p_(j), capped at 1. Rejecting q ≤ α controls
  /// the false discovery rate at α for independent or positively dependent
  /// tests. (Y. Benjamini and Y. Hochberg, *JRSS B* 57(1), 1995; R's
  /// `p.adjust(method = "BH")`.)
  public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
    let m = p.count
    guard m > 0 else { return [] }
    let order = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 > $1) }
    var q = [Double](repeating: 1, count: m)
    var running = 1.0
    for (rankFromTop, i) in order.enumerated() {
      let rank = m - rankFromTop
      running = min(running, p[i] * Double(m) / Double(rank))
      q[i] = min(1, running)
    }
    return q
  }

  /// Holm's step-down adjusted p-values (family-wise error), in input order.
  public static func holm(_ p: [Double]) -> [Double] {
    let m = p.count
    let order = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
    var q = [Double](repeating: 1, count: m)
    var running = 0.0
    for (rank, i) in order.enumerated() {
      running = max(running, min(1, p[i] * Double(m - rank)))
      q[i] = running
    }
    return q
  }
}

extension MultipleTesting {
  /// Two-level control for families of tests whose p-values are already
  /// adjusted within their family, such as the clusters of one scan (each
  /// p-value is the share of replicate maxima at or above the cluster's
  /// statistic, so it accounts for every window searched). Families are
  /// selected by Benjamini–Hochberg at level α on their smallest p-value
  /// (an empty family has p = 1); within the R selected of the m families,
  /// every test with p ≤ α · R / m is rejected (Y. Benjamini and
  /// M. Bogomolov, "Selective inference on multiple families of hypotheses",
  /// *JRSS B* 76(1), 2014: the false discovery rate over families is at most
  /// α, and the expected average error rate within the selected families
  /// too). The family size m does not grow with the tests listed per family.
  ///
  /// Returns, per test, the smallest α at which it is rejected (capped at 1):
  /// min over the families' BH q-values v of max(v, m · p / R(v)), R(v) the
  /// families with q-value at most v. A family's smallest p-value gets its
  /// family's BH q-value.
  public static func selectedFamilies(_ p: [[Double]]) -> [[Double]] {
    let m = p.count
    guard m > 0 else { return [] }
    let familyQ = benjaminiHochberg(p.map { $0.min() ?? 1 })
    let levels = familyQ.sorted()
    // Distinct levels v with R(v) = families at or below v.
    var steps: [(v: Double, r: Int)] = []
    for (k, v) in levels.enumerated() {
      if let last = steps.last, last.v == v { steps[steps.count - 1].r = k + 1 } else { steps.append((v, k + 1)) }
    }
    return p.map { family in
      family.map { pi in
        var q = 1.0
        for s in steps { q = min(q, max(s.v, Double(m) * pi / Double(s.r))) }
        return min(1, q)
      }
    }
  }
}
