/// The Mann–Kendall trend test.
///
/// S = Σ_{i<j} sign(x_j − x_i); under no trend S has mean 0 and variance
/// (n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)) / 18 over tie groups of size t. The
/// z-score uses the continuity correction (S − sign(S)) / √Var, and the
/// p-value is two-sided from the normal distribution. (H. B. Mann,
/// *Econometrica* 13, 1945; M. G. Kendall, *Rank Correlation Methods*, 1975;
/// as in R's `Kendall::MannKendall` and pymannkendall's `original_test`.)
public struct MannKendall: Sendable, Hashable {
  public var s: Int
  public var variance: Double
  public var z: Double
  public var pValue: Double
  /// Kendall's tau-a: S / (n(n−1)/2).
  public var tau: Double

  public enum Trend: String, Sendable { case increasing, decreasing, none }

  public init(_ x: [Double]) {
    let n = x.count
    var s = 0
    for i in 0..<max(0, n - 1) {
      for j in (i + 1)..<n {
        if x[j] > x[i] { s += 1 } else if x[j] < x[i] { s -= 1 }
      }
    }
    var ties: [Double: Int] = [:]
    for v in x { ties[v, default: 0] += 1 }
    let nd = Double(n)
    var v = nd * (nd - 1) * (2 * nd + 5)
    for t in ties.values where t > 1 {
      let td = Double(t)
      v -= td * (td - 1) * (2 * td + 5)
    }
    v /= 18
    self.s = s
    self.variance = v
    if v > 0 && s != 0 {
      z = Double(s - (s > 0 ? 1 : -1)) / v.squareRoot()
    } else {
      z = 0
    }
    pValue = min(1, 2 * Distributions.normalUpperTail(abs(z)))
    tau = n > 1 ? Double(s) / (nd * (nd - 1) / 2) : 0
  }

  /// The trend at significance `alpha` (two-sided).
  public func trend(alpha: Double = 0.1) -> Trend {
    guard pValue <= alpha else { return .none }
    return s > 0 ? .increasing : .decreasing
  }
}
