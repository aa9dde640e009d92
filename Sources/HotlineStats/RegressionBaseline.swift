internal import CGSL
import Foundation

/// An ESSENCE-style daily baseline for one area's own count series: a
/// Poisson log-linear regression over the trailing baseline with a linear
/// trend, day-of-week and holiday terms, that falls back to an EWMA when the
/// fit is poor.
///
/// For a tested day t the baseline is the `baselineDays` before a guard gap
/// of `guardDays`. The regression is
///
///     log μ_s = β0 + β1 (s − t) / baselineDays + Σ_{d=2..7} δ_d [weekday_s = d]
///               + η [holiday_s] + κ [make-up working day_s]
///
/// fitted by iteratively reweighted least squares (GSL's Cholesky solver)
/// with a small ridge on every term but the intercept (a sparse series whose
/// Sundays are all zero has no finite maximum-likelihood Sunday effect).
/// The fit is used when its adjusted deviance R², 1 − (D / (n − p)) /
/// (D₀ / (n − 1)), is at least `minAdjustedR2` (ESSENCE switches on the
/// adjusted R² of its linear regression at 0.6); today's count is then tested
/// against a negative binomial with the fitted mean μ and variance φμ + μ²v
/// (φ: Pearson dispersion, at least 1; v: the variance of the linear
/// predictor at t, so the uncertainty of the fit widens the tail).
///
/// Otherwise the EWMA of the series (weight `ewmaWeight` on the newest day),
/// with each day divided by its day-kind factor (the whole group's mean count
/// on working or non-working baseline days over its overall mean), gives the
/// level; with n_eff = (Σw)² / Σw² days of information and k = n_eff × level
/// cases, the rate's posterior under Jeffreys' prior is Gamma(k + ½, n_eff)
/// and today's count is tested against its predictive negative binomial
/// NB(k + ½, n_eff / (n_eff + f_t)), f_t today's day-kind factor.
///
/// References: H. S. Burkom, *Development, Adaptation, and Assessment of
/// Alerting Algorithms for Biosurveillance*, Johns Hopkins APL Technical
/// Digest 24(4), 2003 (regression with the EWMA switch, 28-day baseline,
/// 2-day guard); the ESSENCE "Regression/EWMA switch" detector.
public enum RegressionBaseline {
  public struct Parameters: Sendable {
    public var baselineDays = 56
    public var guardDays = 2
    public var minHistoryDays = 14
    /// Ridge penalty on every coefficient but the intercept.
    public var ridge = 1.0
    /// The regression is used when its adjusted deviance R² reaches this.
    public var minAdjustedR2 = 0.6
    /// EWMA weight of the newest day (ESSENCE uses 0.4 for counts of dozens
    /// a day; sparse area series need a longer memory).
    public var ewmaWeight = 0.1
    public var maxIterations = 30
    public init() {}
  }

  /// Which baseline a test used.
  public enum Kind: Sendable, Hashable { case regression, ewma }

  /// Runs the baseline over every (area, day) with a case; see
  /// `DailyAlerts.run`. `weekday` is ISO (1 = Monday … 7 = Sunday).
  public static func run(
    counts: [Int32], areas: Int, days: Int, working: [Bool], weekday: [Int]?, holiday: [Bool]?,
    parameters p: Parameters = .init()
  ) -> (tests: [DailyAlerts.Test], tested: Int) {
    let r = runDetailed(
      counts: counts, areas: areas, days: days, working: working, weekday: weekday, holiday: holiday, parameters: p)
    return (r.tests.map { $0.test }, r.tested)
  }

  /// As `run`, with the kind of baseline each test used.
  public static func runDetailed(
    counts: [Int32], areas: Int, days: Int, working: [Bool], weekday: [Int]?, holiday: [Bool]?,
    parameters p: Parameters = .init()
  ) -> (tests: [(test: DailyAlerts.Test, kind: Kind)], tested: Int) {
    _ = gslErrorHandlerDisabled
    precondition(counts.count == areas * days && working.count == days)
    var total = [Double](repeating: 0, count: days)
    for a in 0..<areas { for t in 0..<days { total[t] += Double(counts[a * days + t]) } }
    var out: [(test: DailyAlerts.Test, kind: Kind)] = []
    var tested = 0
    let fitter = PoissonRegression()
    for t in 0..<days {
      let hi = t - p.guardDays
      let lo = max(0, hi - p.baselineDays)
      guard hi - lo >= p.minHistoryDays else { continue }
      tested += areas
      let n = hi - lo
      // Design rows of the baseline days and of day t.
      let row = { (s: Int) -> [Double] in
        design(day: s, t: t, scale: Double(p.baselineDays), working: working, weekday: weekday, holiday: holiday)
      }
      let X = (lo..<hi).flatMap(row)
      let xt = row(t)
      let cols = xt.count
      // Day-kind factors from the whole group.
      var sumKind = [0.0, 0.0], nKind = [0.0, 0.0], sumAll = 0.0
      for s in lo..<hi {
        let k = working[s] ? 1 : 0
        sumKind[k] += total[s]
        nKind[k] += 1
        sumAll += total[s]
      }
      let meanAll = sumAll / Double(n)
      func factor(_ s: Int) -> Double {
        let k = working[s] ? 1 : 0
        guard meanAll > 0, nKind[k] > 0, sumKind[k] > 0 else { return 1 }
        return (sumKind[k] / nKind[k]) / meanAll
      }
      for a in 0..<areas {
        let x = Int(counts[a * days + t])
        if x == 0 { continue }
        let y = (lo..<hi).map { Double(counts[a * days + $0]) }
        var prediction: (mean: Double, variance: Double, kind: Kind)? = nil
        if y.contains(where: { $0 > 0 }),
          let fit = fitter.fit(X: X, rows: n, cols: cols, y: y, ridge: p.ridge, maxIterations: p.maxIterations),
          fit.adjustedR2 >= p.minAdjustedR2
        {
          let pred = fit.predict(xt)
          prediction = (pred.mean, pred.variance, .regression)
        }
        if prediction == nil {
          let e = ewmaPredictive(y: y, factors: (lo..<hi).map(factor), todayFactor: factor(t), weight: p.ewmaWeight)
          prediction = (e.mean, e.variance, .ewma)
        }
        let (m, v, kind) = prediction!
        let pv = negativeBinomialAtLeast(x, mean: m, variance: v)
        out.append(
          (DailyAlerts.Test(area: a, day: t, observed: x, expected: m, pValue: min(1, max(0, pv))), kind))
      }
    }
    return (out, tested)
  }

  /// The design row of day s for a test on day t.
  static func design(day s: Int, t: Int, scale: Double, working: [Bool], weekday: [Int]?, holiday: [Bool]?) -> [Double] {
    var r: [Double] = [1, Double(s - t) / scale]
    if let weekday {
      for d in 2...7 { r.append(weekday[s] == d ? 1 : 0) }
      let weekend = weekday[s] >= 6
      r.append((holiday?[s] ?? (!working[s] && !weekend)) ? 1 : 0)
      r.append(working[s] && weekend ? 1 : 0)
    } else {
      r.append(working[s] ? 0 : 1)
      if let holiday { r.append(holiday[s] ? 1 : 0) }
    }
    return r
  }

  /// The EWMA level of `y / factors` (oldest first) as a predictive
  /// negative binomial for a day with factor `todayFactor`.
  public static func ewmaPredictive(y: [Double], factors: [Double], todayFactor: Double, weight w: Double)
    -> (mean: Double, variance: Double, r: Double, p: Double)
  {
    var sw = 0.0, sw2 = 0.0, swy = 0.0
    var wi = w
    for i in stride(from: y.count - 1, through: 0, by: -1) {
      sw += wi
      sw2 += wi * wi
      swy += wi * y[i] / max(factors[i], 1e-9)
      wi *= 1 - w
    }
    let nEff = sw * sw / sw2
    let k = nEff * swy / sw
    let r = k + 0.5
    let prob = nEff / (nEff + todayFactor)
    let mean = r * (1 - prob) / prob
    return (mean, mean / prob, r, prob)
  }

  /// P(X ≥ x) for a count with this mean and variance: negative binomial
  /// when over-dispersed, Poisson otherwise.
  public static func negativeBinomialAtLeast(_ x: Int, mean m: Double, variance v: Double) -> Double {
    _ = gslErrorHandlerDisabled
    if x <= 0 { return 1 }
    guard m > 0 else { return 0 }
    if v <= m * (1 + 1e-9) { return gsl_cdf_poisson_Q(UInt32(clamping: x - 1), m) }
    return gsl_cdf_negative_binomial_Q(UInt32(clamping: x - 1), m / v, m * m / (v - m))
  }
}

/// A ridge-penalised Poisson log-linear regression fitted by IRLS, with
/// GSL's Cholesky decomposition for each weighted least-squares step.
public struct PoissonRegression {
  public struct Fit: Sendable {
    public var coefficients: [Double]
    /// (X'WX + ridge)⁻¹ at the solution (unscaled covariance).
    public var inverse: [Double]
    public var deviance: Double
    public var nullDeviance: Double
    /// Pearson χ² / (n − p), at least 1.
    public var dispersion: Double
    public var rows: Int
    public var iterations: Int

    public var adjustedR2: Double {
      let p = coefficients.count
      guard nullDeviance > 0, rows > p else { return 0 }
      return 1 - (deviance / Double(rows - p)) / (nullDeviance / Double(rows - 1))
    }

    /// Mean and variance (with the fit's uncertainty) of a new count with
    /// design row `x`.
    public func predict(_ x: [Double]) -> (mean: Double, variance: Double) {
      let p = coefficients.count
      var eta = 0.0
      for j in 0..<p { eta += x[j] * coefficients[j] }
      let mu = exp(min(eta, 30))
      var v = 0.0
      for i in 0..<p { for j in 0..<p { v += x[i] * inverse[i * p + j] * x[j] } }
      v *= dispersion
      return (mu, dispersion * mu + mu * mu * max(0, v))
    }
  }

  public init() {}

  /// Fits `y ~ X` (row-major, `rows × cols`, first column the intercept).
  /// Returns nil when the weighted system cannot be solved.
  public func fit(X: [Double], rows n: Int, cols p: Int, y: [Double], ridge: Double, maxIterations: Int = 30)
    -> Fit?
  {
    _ = gslErrorHandlerDisabled
    precondition(X.count == n * p && y.count == n && n > 0)
    let ybar = y.reduce(0, +) / Double(n)
    var beta = [Double](repeating: 0, count: p)
    beta[0] = log(ybar + 0.1)
    var A = [Double](repeating: 0, count: p * p)
    var b = [Double](repeating: 0, count: p)
    var mu = [Double](repeating: 0, count: n)
    var iterations = 0
    var converged = false
    while iterations < maxIterations {
      iterations += 1
      for i in 0..<n {
        var eta = 0.0
        for j in 0..<p { eta += X[i * p + j] * beta[j] }
        mu[i] = exp(max(-30, min(eta, 30)))
      }
      // Normal equations of the working response z = η + (y − μ)/μ, W = μ.
      for k in 0..<(p * p) { A[k] = 0 }
      for k in 0..<p { b[k] = 0 }
      for i in 0..<n {
        let w = mu[i]
        let eta = log(mu[i])
        let z = eta + (y[i] - mu[i]) / mu[i]
        for j in 0..<p {
          let xij = X[i * p + j]
          if xij == 0 { continue }
          b[j] += w * xij * z
          for k in j..<p { A[j * p + k] += w * xij * X[i * p + k] }
        }
      }
      for j in 0..<p {
        for k in 0..<j { A[j * p + k] = A[k * p + j] }
        if j > 0 { A[j * p + j] += ridge }
      }
      guard let next = Self.solve(A, b, p) else { return nil }
      var delta = 0.0
      for j in 0..<p { delta = max(delta, abs(next[j] - beta[j])) }
      beta = next
      if delta < 1e-8 {
        converged = true
        break
      }
    }
    _ = converged
    // Final means, deviance, Pearson dispersion and the inverse.
    var dev = 0.0, dev0 = 0.0, pearson = 0.0
    for i in 0..<n {
      var eta = 0.0
      for j in 0..<p { eta += X[i * p + j] * beta[j] }
      mu[i] = exp(max(-30, min(eta, 30)))
      dev += Self.unitDeviance(y[i], mu[i])
      dev0 += Self.unitDeviance(y[i], ybar)
      pearson += (y[i] - mu[i]) * (y[i] - mu[i]) / mu[i]
    }
    for k in 0..<(p * p) { A[k] = 0 }
    for i in 0..<n {
      for j in 0..<p {
        let xij = X[i * p + j]
        if xij == 0 { continue }
        for k in 0..<p { A[j * p + k] += mu[i] * xij * X[i * p + k] }
      }
    }
    for j in 1..<max(1, p) { A[j * p + j] += ridge }
    guard let inv = Self.invert(A, p) else { return nil }
    let dispersion = n > p ? max(1, pearson / Double(n - p)) : 1
    return Fit(
      coefficients: beta, inverse: inv, deviance: dev, nullDeviance: dev0, dispersion: dispersion, rows: n,
      iterations: iterations)
  }

  static func unitDeviance(_ y: Double, _ mu: Double) -> Double {
    guard mu > 0 else { return y > 0 ? .infinity : 0 }
    return 2 * ((y > 0 ? y * log(y / mu) : 0) - (y - mu))
  }

  /// Solves A x = b (A symmetric positive definite, p × p) by GSL's Cholesky.
  static func solve(_ A: [Double], _ b: [Double], _ p: Int) -> [Double]? {
    var a = A, rhs = b
    var x = [Double](repeating: 0, count: p)
    let status = a.withUnsafeMutableBufferPointer { ap -> Int32 in
      rhs.withUnsafeMutableBufferPointer { bp -> Int32 in
        x.withUnsafeMutableBufferPointer { xp -> Int32 in
          var m = gsl_matrix_view_array(ap.baseAddress, p, p)
          var bv = gsl_vector_view_array(bp.baseAddress, p)
          var xv = gsl_vector_view_array(xp.baseAddress, p)
          let s = gsl_linalg_cholesky_decomp1(&m.matrix)
          guard s == 0 else { return s }
          return gsl_linalg_cholesky_solve(&m.matrix, &bv.vector, &xv.vector)
        }
      }
    }
    guard status == 0, x.allSatisfy({ $0.isFinite }) else { return nil }
    return x
  }

  /// The inverse of a symmetric positive definite p × p matrix (GSL's Cholesky).
  static func invert(_ A: [Double], _ p: Int) -> [Double]? {
    var a = A
    let status = a.withUnsafeMutableBufferPointer { ap -> Int32 in
      var m = gsl_matrix_view_array(ap.baseAddress, p, p)
      let s = gsl_linalg_cholesky_decomp1(&m.matrix)
      guard s == 0 else { return s }
      return gsl_linalg_cholesky_invert(&m.matrix)
    }
    guard status == 0, a.allSatisfy({ $0.isFinite }) else { return nil }
    return a
  }
}
