import Foundation
import HotlineStats
import Testing

/// The ESSENCE-style alerts baseline: known values (closed forms, and a
/// penalised fit checked against scipy's BFGS on the same objective) and its
/// false-alarm rate on simulated null series.
struct RegressionBaselineTests {
  @Test func poissonRegressionWithOneDummyGivesTheGroupMeans() throws {
    // Without a ridge the MLE of log μ = β0 + β1 d is the log of each group's mean.
    let y: [Double] = [2, 3, 4, 3, 6, 8, 7, 7]
    let X: [Double] = (0..<8).flatMap { [1, $0 < 4 ? 0 : 1] }
    let r = PoissonRegression()
    let fit = try #require(r.fit(X: X, rows: 8, cols: 2, y: y, ridge: 0))
    #expect(abs(fit.coefficients[0] - log(3.0)) < 1e-9)
    #expect(abs(fit.coefficients[1] - log(7.0 / 3.0)) < 1e-9)
    // Deviances (numpy): 0.96629027124685 and 7.548920551651.
    #expect(abs(fit.deviance - 0.96629027124685) < 1e-9)
    #expect(abs(fit.nullDeviance - 7.548920551651) < 1e-9)
    #expect(abs(fit.adjustedR2 - (1 - (0.96629027124685 / 6) / (7.548920551651 / 7))) < 1e-9)
  }

  @Test func ridgePenalisedFitMatchesScipy() throws {
    // argmin −loglik + ½ (β1² + β2²), scipy.optimize.minimize (BFGS, gtol 1e-12):
    // [0.61083139, 0.7569582, 0.75418155].
    let y: [Double] = [1, 4, 2, 5, 3, 6, 2, 7, 4, 8]
    let X: [Double] = (0..<10).flatMap { [1, Double($0) / 10, Double($0 % 2)] }
    let r = PoissonRegression()
    let fit = try #require(r.fit(X: X, rows: 10, cols: 3, y: y, ridge: 1))
    for (b, e) in zip(fit.coefficients, [0.61083139, 0.7569582, 0.75418155]) { #expect(abs(b - e) < 1e-6) }
  }

  @Test func tailsAndEWMAPredictive() {
    // Poisson(1): P(X ≥ 3) = 1 − e⁻¹ (1 + 1 + ½); NB(mean 2, variance 4) = NB(r 2, p ½): 1 − ¼ (1 + 1 + ¾).
    #expect(abs(RegressionBaseline.negativeBinomialAtLeast(3, mean: 1, variance: 1) - 0.08030139707139418) < 1e-12)
    #expect(abs(RegressionBaseline.negativeBinomialAtLeast(3, mean: 2, variance: 4) - 0.3125) < 1e-12)
    // Four empty days, weight ½: n_eff = 2.6470588…, P(X ≥ 1) = 1 − (n_eff / (n_eff + 1))^½.
    let e0 = RegressionBaseline.ewmaPredictive(y: [0, 0, 0, 0], factors: [1, 1, 1, 1], todayFactor: 1, weight: 0.5)
    #expect(abs(RegressionBaseline.negativeBinomialAtLeast(1, mean: e0.mean, variance: e0.variance) - 0.14805724862940273) < 1e-12)
    // [1, 0, 2, 1] (oldest first): mean 1.3222…, P(X ≥ 4) = 0.0718464… (scipy nbinom.sf).
    let e1 = RegressionBaseline.ewmaPredictive(y: [1, 0, 2, 1], factors: [1, 1, 1, 1], todayFactor: 1, weight: 0.5)
    #expect(abs(e1.mean - 1.3222222222222222) < 1e-12)
    #expect(abs(RegressionBaseline.negativeBinomialAtLeast(4, mean: e1.mean, variance: e1.variance) - 0.07184643809586956) < 1e-10)
  }

  /// Null series with weekday effects at several levels (sparse to busy):
  /// raw alarms at p < 0.01 and p < 0.05 stay at or below the nominal rate
  /// per tested area-day, and a planted spike is found.
  @Test func nullFalseAlarmRateIsAtMostNominal() {
    let rng = GSLRandom(seed: 7)
    let areas = 60, days = 240
    let weekday = (0..<days).map { $0 % 7 + 1 }
    let working = weekday.map { $0 <= 5 }
    let holiday = [Bool](repeating: false, count: days)
    var counts = [Int32](repeating: 0, count: areas * days)
    for a in 0..<areas {
      let level = [0.2, 1, 4, 15][a % 4]
      for t in 0..<days {
        let f = [1.12, 1.05, 1.0, 1.0, 0.98, 0.8, 0.74][weekday[t] - 1]
        counts[a * days + t] = Int32(rng.poisson(level * f))
      }
    }
    let r = RegressionBaseline.runDetailed(
      counts: counts, areas: areas, days: days, working: working, weekday: weekday, holiday: holiday)
    let n = Double(r.tested)
    let a01 = Double(r.tests.filter { $0.test.pValue < 0.01 }.count) / n
    let a05 = Double(r.tests.filter { $0.test.pValue < 0.05 }.count) / n
    #expect(a01 <= 0.01)
    #expect(a05 <= 0.05)
    #expect(r.tests.contains { $0.kind == .ewma })
    // A spike of 12 on a quiet area (level 1) is flagged.
    counts[1 * days + 200] = 12
    let s = RegressionBaseline.run(
      counts: counts, areas: areas, days: days, working: working, weekday: weekday, holiday: holiday)
    #expect((s.tests.first { $0.area == 1 && $0.day == 200 }?.pValue ?? 1) < 1e-6)
  }
}
