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
