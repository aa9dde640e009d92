internal import CGSL

/// Every GSL touchpoint of Hotline goes through this file.
///
/// GSL's default error handler calls `abort()`; it is switched off once,
/// through a lazily initialised global, before any GSL call.
let gslErrorHandlerDisabled: Void = {
  _ = gsl_set_error_handler_off()
}()

/// Distribution functions from GSL (`gsl_cdf_*`, `gsl_ran_*_pdf`).
public enum Distributions {
  /// P(X > k) for X ~ Poisson(mean): the upper tail used for excess counts.
  public static func poissonUpperTail(_ k: Int, mean: Double) -> Double {
    _ = gslErrorHandlerDisabled
    guard k >= 0 else { return 1 }
    guard mean > 0 else { return 0 }
    return gsl_cdf_poisson_Q(UInt32(clamping: k), mean)
  }

  /// P(X >= k) for X ~ Poisson(mean).
  public static func poissonAtLeast(_ k: Int, mean: Double) -> Double {
    k <= 0 ? 1 : poissonUpperTail(k - 1, mean: mean)
  }

  /// The standard normal upper tail P(Z > z).
  public static func normalUpperTail(_ z: Double) -> Double {
    _ = gslErrorHandlerDisabled
    return gsl_cdf_ugaussian_Q(z)
  }

  /// P(X > x) for X ~ chi-squared with `df` degrees of freedom.
  public static func chiSquaredUpperTail(_ x: Double, df: Double) -> Double {
    _ = gslErrorHandlerDisabled
    return gsl_cdf_chisq_Q(x, df)
  }
}

/// A seeded Mersenne Twister from GSL (`gsl_rng_mt19937`).
///
/// Not `Sendable`: give each task its own generator.
public final class GSLRandom {
  private let rng: OpaquePointer

  public init(seed: UInt64) {
    _ = gslErrorHandlerDisabled
    rng = OpaquePointer(gsl_rng_alloc(cgsl_rng_mt19937())!)
    gsl_rng_set(UnsafeMutablePointer(rng), UInt(truncatingIfNeeded: seed))
  }

  deinit { gsl_rng_free(UnsafeMutablePointer(rng)) }

  /// A uniform double in [0, 1).
  public func uniform() -> Double { gsl_rng_uniform(UnsafeMutablePointer(rng)) }

  /// A uniform integer in 0..<n.
  public func uniformInt(_ n: Int) -> Int {
    Int(gsl_rng_uniform_int(UnsafeMutablePointer(rng), UInt(n)))
  }

  /// A Poisson variate with the given mean.
  public func poisson(_ mean: Double) -> Int {
    Int(gsl_ran_poisson(UnsafeMutablePointer(rng), mean))
  }
}

extension GSLRandom {
  /// An index drawn with probability proportional to `weights` (non-negative,
  /// not all zero), by one uniform draw against the cumulative sums.
  ///
  /// `weights` is overwritten with its cumulative sums.
  public func sampleIndex(cumulatingWeights weights: UnsafeMutableBufferPointer<Double>) -> Int {
    var total = 0.0
    for i in weights.indices {
      total += weights[i]
      weights[i] = total
    }
    let u = uniform() * total
    var lo = 0, hi = weights.count - 1
    while lo < hi {
      let mid = (lo + hi) / 2
      if weights[mid] > u { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }

  /// An index drawn with probability proportional to `weights`.
  public func sampleIndex(weights: [Double]) -> Int {
    var w = weights
    return w.withUnsafeMutableBufferPointer { sampleIndex(cumulatingWeights: $0) }
  }
}
