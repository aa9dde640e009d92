internal import CGSL
import Foundation

/// Count tails on GSL for "is this many unusual?" questions: the binomial
/// tail (k successes of n at a base rate) and the negative binomial, the
/// usual over-dispersed model of counts per person.
///
/// Every tail is also given as `log10`, computed so that it stays finite when
/// the probability underflows a `Double` (a caller with 60 calls on one
/// unresolved matter is far beyond 1e-300): scores are ranked on log scale.
public enum BinomialTail {
  /// P(X ≥ k) for X ~ Binomial(n, p).
  public static func atLeast(_ k: Int, n: Int, p: Double) -> Double {
    _ = gslErrorHandlerDisabled
    if k <= 0 { return 1 }
    if k > n { return 0 }
    if p <= 0 { return 0 }
    if p >= 1 { return 1 }
    return gsl_cdf_binomial_Q(UInt32(k - 1), p, UInt32(n))
  }

  /// log10 P(X ≥ k) for X ~ Binomial(n, p); `-Double.infinity` when k > n or
  /// p = 0 (and k > 0).
  public static func log10AtLeast(_ k: Int, n: Int, p: Double) -> Double {
    if k <= 0 { return 0 }
    if k > n || p <= 0 { return -.infinity }
    if p >= 1 { return 0 }
    let q = atLeast(k, n: n, p: p)
    if q > 1e-290 { return log10(q) }
    // Underflow: the tail is dominated by its first term when k > np; the sum
    // of the geometric-like series is at most 1 / (1 − ratio) times it.
    let first = log10PMF(k, n: n, p: p)
    let ratio = Double(n - k) / Double(k + 1) * p / (1 - p)
    return ratio < 1 ? first - log10(1 - ratio) : first
  }

  /// log10 of the binomial probability b(k; n, p).
  public static func log10PMF(_ k: Int, n: Int, p: Double) -> Double {
    _ = gslErrorHandlerDisabled
    if k < 0 || k > n { return -.infinity }
    if p <= 0 { return k == 0 ? 0 : -.infinity }
    if p >= 1 { return k == n ? 0 : -.infinity }
    let ln = gsl_sf_lnchoose(UInt32(n), UInt32(k)) + Double(k) * log(p) + Double(n - k) * log1p(-p)
    return ln / log(10.0)
  }
}

/// A negative binomial distribution of counts, X ∈ {0, 1, 2, …}, with mean
/// `r (1 − p) / p` and variance `r (1 − p) / p²` (GSL's parametrisation:
/// `p` the success probability, `r` the real-valued size).
public struct NegativeBinomial: Sendable, Equatable, Codable {
  /// Success probability (0, 1].
  public var p: Double
  /// Size (> 0).
  public var r: Double

  public init(p: Double, r: Double) {
    precondition(p > 0 && p <= 1 && r > 0, "NegativeBinomial needs 0 < p ≤ 1 and r > 0")
    self.p = p
    self.r = r
  }

  public var mean: Double { r * (1 - p) / p }
  public var variance: Double { r * (1 - p) / (p * p) }

  /// Fits by the method of moments (p = m / v, r = m² / (v − m)). With no
  /// over-dispersion (v ≤ m) the fit is a near-Poisson (r = 1e6). Returns
  /// `nil` for an empty sample or a zero mean.
  @inlinable public static func fitMoments<S: Sequence>(_ counts: S) -> NegativeBinomial? where S.Element == Int {
    var n = 0.0, sum = 0.0, sumSq = 0.0
    for c in counts {
      n += 1
      sum += Double(c)
      sumSq += Double(c) * Double(c)
    }
    guard n > 1, sum > 0 else { return nil }
    let m = sum / n
    let v = (sumSq - n * m * m) / (n - 1)
    if v <= m * (1 + 1e-9) {
      let r = 1e6
      return NegativeBinomial(p: r / (r + m), r: r)
    }
    return NegativeBinomial(p: m / v, r: m * m / (v - m))
  }

  /// P(X ≥ k).
  public func atLeast(_ k: Int) -> Double {
    _ = gslErrorHandlerDisabled
    if k <= 0 { return 1 }
    if p >= 1 { return 0 }
    return gsl_cdf_negative_binomial_Q(UInt32(k - 1), p, r)
  }

  /// log10 P(X ≥ k), finite where P underflows.
  public func log10AtLeast(_ k: Int) -> Double {
    if k <= 0 { return 0 }
    let q = atLeast(k)
    if q > 1e-290 { return log10(q) }
    // Dominant first term, with the ratio of successive terms bounded by
    // (k + r) / (k + 1) · (1 − p) for the series above k.
    let first = log10PMF(k)
    let ratio = (Double(k) + r) / Double(k + 1) * (1 - p)
    return ratio < 1 ? first - log10(1 - ratio) : first
  }

  /// log10 P(X = k).
  public func log10PMF(_ k: Int) -> Double {
    _ = gslErrorHandlerDisabled
    if k < 0 { return -.infinity }
    let ln = gsl_sf_lngamma(Double(k) + r) - gsl_sf_lngamma(r) - gsl_sf_lngamma(Double(k) + 1)
      + r * log(p) + Double(k) * log1p(-p)
    return ln / log(10.0)
  }
}
