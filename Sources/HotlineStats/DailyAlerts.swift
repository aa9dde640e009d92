internal import CGSL

/// Daily alerts for one group of series (say the areas of one category):
/// is an area's count today above its usual share of the whole group's
/// count today?
///
/// The baseline is the area's share of the group over the `baselineDays`
/// before a guard gap, on days of the same kind as the tested day (working
/// days, or weekends and public holidays, from the caller's calendar):
/// weekday and holiday effects, seasonal rises and anything else that moves
/// the whole group cancel out. Given today's group total n, the baseline
/// group total B, the area's baseline count b and today's count x, a
/// constant share means X ~ Binomial(x + b, n / (n + B)) conditionally on
/// x + b (the exact conditional test for two Poisson rates), and the alert's
/// p-value is P(X ≥ x). Expected = n · (b + 0.5) / (B + 0.5).
///
/// Reference: J. Przyborowski and H. Wileński, *Biometrika* 31, 1940 (the
/// conditional test); ESSENCE's 28-day baseline with a 2-day guard band
/// (H. S. Burkom, *Development, Adaptation, and Assessment of Alerting
/// Algorithms for Biosurveillance*, Johns Hopkins APL Technical Digest 24(4),
/// 2003), here with day-kind strata instead of regression terms.
public enum DailyAlerts {
  /// The baseline an area's count today is tested against.
  public enum Baseline: String, Sendable, CaseIterable {
    /// The area's share of the group on days of the same kind (exact
    /// conditional binomial test): the default.
    case conditional
    /// ESSENCE-style: a Poisson regression of the area's own series with
    /// trend, day-of-week and holiday terms, falling back to an EWMA when the
    /// fit is poor (see `RegressionBaseline`).
    case regression
  }

  public struct Parameters: Sendable {
    public var baseline = Baseline.conditional
    /// Regression baseline settings (used when `baseline == .regression`).
    public var regression = RegressionBaseline.Parameters()
    public var baselineDays = 56
    public var guardDays = 2
    /// Days of the same kind needed in the baseline; with fewer, all
    /// baseline days are used.
    public var minSameKindDays = 8
    /// Days tested only once this many baseline days exist.
    public var minHistoryDays = 14
    public init() {}
  }

  public struct Test: Sendable, Hashable {
    public var area: Int
    public var day: Int
    public var observed: Int
    public var expected: Double
    public var pValue: Double
  }

  /// Tests every (area, day) with at least one case; `tested` counts every
  /// (area, day) with enough history (days without cases cannot alarm).
  /// `counts` is area-major [area × day]; `working[day]` is the day kind.
  ///
  /// `weekday[day]` (ISO, 1 = Monday … 7 = Sunday) and `holiday[day]` (public
  /// holiday) are the regression baseline's terms; without them it uses the
  /// day kind only.
  public static func run(
    counts: [Int32], areas: Int, days: Int, working: [Bool], weekday: [Int]? = nil, holiday: [Bool]? = nil,
    parameters p: Parameters = .init()
  ) -> (tests: [Test], tested: Int) {
    _ = gslErrorHandlerDisabled
    precondition(counts.count == areas * days && working.count == days)
    if p.baseline == .regression {
      return RegressionBaseline.run(
        counts: counts, areas: areas, days: days, working: working, weekday: weekday, holiday: holiday,
        parameters: p.regression)
    }
    var total = [Int](repeating: 0, count: days)
    for a in 0..<areas { for t in 0..<days { total[t] += Int(counts[a * days + t]) } }
    var tests: [Test] = []
    var tested = 0
    for t in 0..<days {
      let hiEnd = t - p.guardDays
      let lo = max(0, hiEnd - p.baselineDays)
      guard hiEnd - lo >= p.minHistoryDays else { continue }
      let sameKind = (lo..<hiEnd).filter { working[$0] == working[t] }
      let base = sameKind.count >= p.minSameKindDays ? sameKind : Array(lo..<hiEnd)
      let groupBase = base.reduce(0) { $0 + total[$1] }
      let n = total[t]
      tested += areas
      guard n > 0, groupBase > 0 else { continue }
      let share = Double(n) / Double(n + groupBase)
      for a in 0..<areas {
        let x = Int(counts[a * days + t])
        if x == 0 { continue }
        var b = 0
        for s in base { b += Int(counts[a * days + s]) }
        let pv = gsl_cdf_binomial_Q(UInt32(x - 1), share, UInt32(x + b))
        tests.append(
          Test(
            area: a, day: t, observed: x, expected: Double(n) * (Double(b) + 0.5) / (Double(groupBase) + 0.5),
            pValue: min(1, max(0, pv))))
      }
    }
    return (tests, tested)
  }
}
