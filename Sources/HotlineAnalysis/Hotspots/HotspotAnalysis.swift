import Foundation
import HotlineCore
import HotlineStats

/// Settings of a hotspot run (the CLI's options and defaults).
public struct HotspotConfig: Sendable {
  public var methods: Set<HotspotMethod> = Set(HotspotMethod.allCases)
  public var seed: UInt64 = 20_251_122
  /// Scan: Monte Carlo replicates, circle radius and share, window length.
  public var replicates = 999
  public var maxRadiusKm = 3.0
  public var maxShare = 0.5
  public var maxDays = 14
  public var minClusterCases = 3
  /// Sequential Monte Carlo: replicate maxima that decide a cluster is not
  /// significant (Besag and Clifford 1991 use 10 to 20; 0: off).
  public var earlyStop = 10
  /// Sequential Monte Carlo: also stop a category's replicates once none of
  /// its clusters can pass the false-discovery-rate control (an exact bound,
  /// see `HotspotAnalysis.scanCategories`): the same findings, fewer replicates.
  public var scanStopHopeless = true
  /// Secondary clusters considered per category.
  public var maxClustersPerCategory = 20
  /// Retrospective (every window of the period, the default) or prospective
  /// (only windows that end on the period's last day: the clusters still
  /// going on, as a daily surveillance run looks for; each gets a
  /// recurrence interval of 1/p days, Kulldorff 2001).
  public var scanAnalysis = SpaceTimeScan.Analysis.retrospective
  /// `scanAnalysis` is prospective; its name: "retrospective" or "prospective".
  public var prospective: Bool {
    get { scanAnalysis == .prospective }
    set { scanAnalysis = newValue ? .prospective : .retrospective }
  }
  public var scanAnalysisName: String { scanAnalysis.rawValue }
  /// Scan: the population of each of the input's areas (`HotspotInput.population`). When
  /// given, the scan uses Kulldorff's Poisson model with expected counts proportional to
  /// population × the category's cases that day (adjusted for time, as SaTScan's
  /// nonparametric temporal adjustment); else the space-time permutation model.
  public var population: [Double]? = nil
  /// Which secondary clusters the scan may report: none sharing a location on
  /// a common day (default: over a year, one street can have several
  /// outbreaks of one category at different times), or none sharing a
  /// location at all (SaTScan's default).
  public var secondaryOverlap = SpaceTimeScan.SecondaryOverlap.spaceTime
  /// `secondaryOverlap` by name: "space_time" or "geographical"; an unknown
  /// name leaves it unchanged.
  public var secondaryOverlapName: String {
    get { secondaryOverlap.rawValue }
    set { if let o = SpaceTimeScan.SecondaryOverlap(rawValue: newValue) { secondaryOverlap = o } }
  }
  /// False discovery rate of every list (Benjamini–Hochberg).
  public var fdr = 0.05
  /// The scan's multiple-testing family (see `ScanFamily`).
  public var scanFamily = ScanFamily.categories
  public var threads = 2
  /// Categories with fewer cases are not analysed.
  public var minCategoryCases = 20
  /// Gi*: period length, permutations, neighbourhood radius (nil: maxRadiusKm).
  public var gstarPeriodDays = 7
  public var gstarPermutations = 999
  /// Gi*: the most draws a unit none of whose permutations reached it may
  /// take (`LocalGStar`'s `maxPermutations`), so that its p-value can go
  /// below 1/1000 where a false discovery rate needs it.
  public var gstarMaxPermutations = 99_999
  public var gstarRadiusKm: Double? = nil
  /// Emerging Hot Spot: significance of a hot/cold period and of the trend
  /// (ArcGIS uses 90 %).
  public var trendAlpha = 0.1
  /// Emerging Hot Spot: a period is hot or cold at an area when its Gi*
  /// p-value passes Benjamini–Hochberg at `trendAlpha` over every (area,
  /// period) of the category, as ArcGIS's Emerging Hot Spot Analysis applies
  /// its FDR correction to the space-time cube; false: p ≤ `trendAlpha` for
  /// each on its own.
  public var trendFDR = true
  /// Emerging Hot Spot: the p-value of a period's Gi*. ArcGIS uses the
  /// normal one of its z-score, which counts of a few tickets a week do not
  /// follow (on a null city of 123 categories × 97 streets × 52 weeks it
  /// labels 12 area × category pairs with the false discovery rate); the
  /// permutation p-value (default) labels one there.
  public var trendPValue = TrendPValue.permutation
  /// Alerts: baseline and guard.
  public var alerts = DailyAlerts.Parameters()
  /// Alerts: the multiple-testing family. `.run`: every test of the run (one
  /// retrospective look at the whole period); `.day`: each day's tests on
  /// their own, as a centre running the alerts every morning would.
  public var alertFamily = AlertFamily.run
  /// The alerts' baseline by name: "conditional" (default) or "regression"
  /// (`DailyAlerts.Baseline`); an unknown name leaves it unchanged.
  public var alertBaselineName: String {
    get { alerts.baseline.rawValue }
    set { if let b = DailyAlerts.Baseline(rawValue: newValue) { alerts.baseline = b } }
  }
  /// The regression baseline's switch to its EWMA fallback: the fit is
  /// used when its adjusted deviance R² is at least this (ESSENCE: 0.6).
  public var alertRegressionMinR2: Double {
    get { alerts.regression.minAdjustedR2 }
    set { alerts.regression.minAdjustedR2 = newValue }
  }
  public var calendar = HolidayCalendar.china
  public init() {}
}

/// How the scan's clusters are tested across categories. A cluster's
/// Monte Carlo p-value already accounts for every window of its category's
/// scan (it is compared with the replicates' maxima), so the multiple testing
/// left is across categories.
public enum ScanFamily: String, Sendable, Codable, CaseIterable {
  /// Benjamini–Hochberg across the categories on their most likely clusters'
  /// p-values; every cluster of the R selected of m categories with
  /// p ≤ α · R / m is reported (Benjamini and Bogomolov 2014,
  /// `MultipleTesting.selectedFamilies`). The family does not grow with the
  /// secondary clusters listed per category.
  case categories
  /// One Benjamini–Hochberg family of every cluster of every category.
  case clusters
}

/// The family within which the daily alerts' false discovery rate is controlled.
public enum AlertFamily: String, Sendable, Codable, CaseIterable {
  case run, day
}

/// One hotspot: where, when, what, how unusual, which tickets.
public struct Hotspot: Sendable, Codable, Hashable {
  public var id: String
  /// The method whose numbers are given (scan, then alerts, then gstar).
  public var method: String
  /// Every method that found this episode.
  public var methods: [String]
  /// The centre area, and every area of the episode.
  public var area: String
  public var areas: [String]
  public var level: String
  public var category: String
  /// First and last day (yyyy-MM-dd).
  public var start: String
  public var end: String
  public var observed: Int
  public var expected: Double
  public var relativeRisk: Double
  /// Scan: log-likelihood ratio; alerts: −log10 p of the strongest day;
  /// Gi*: the largest z-score.
  public var statistic: Double
  public var pValue: Double
  /// Benjamini–Hochberg adjusted p-value within the method's family.
  public var qValue: Double
  public var recurrenceIntervalDays: Double?
  /// Filled by the renderer (language).
  public var label: String
  /// The day the method would first have flagged it.
  public var detectedAt: String
  public var ticketIds: [String]
  /// Centroid of the centre area (WGS-84).
  public var lon: Double
  public var lat: Double
}

/// An Emerging Hot Spot label of one area and category.
public struct HotspotTrend: Sendable, Codable, Hashable {
  public var area: String
  public var level: String
  public var category: String
  /// new, consecutive, intensifying, persistent, diminishing, sporadic,
  /// oscillating, historical (hot spots only; cold-spot patterns are not listed).
  public var label: String
  public var periods: Int
  public var hotPeriods: Int
  public var coldPeriods: Int
  public var lastZ: Double
  /// Mann–Kendall on the Gi* z-scores.
  public var trendTau: Double
  public var trendP: Double
}

public struct HotspotResult: Sendable {
  public var hotspots: [Hotspot]
  public var trends: [HotspotTrend]
  public var categoriesAnalysed: Int
  public var areas: Int
  public var days: Int
  public var cases: Int
  /// Alerts: tests run (area-days with history) and raw alarms at 0.01
  /// and at 0.05.
  public var alertTests: Int
  public var alertRawAlarms: Int
  public var alertRawAlarms05: Int = 0
  /// Alerts: tests of area-days with at least one case (the others cannot alarm).
  public var alertTestsWithCase: Int = 0
  /// Scan: replicates run, summed over categories.
  public var replicatesRun: Int
  /// Wall seconds of each method run ("scan", "alerts", "gstar").
  public var methodSeconds: [String: Double] = [:]
}

/// A candidate episode from one method.
struct Episode {
  var method: HotspotMethod
  var category: Int
  var center: Int
  var areas: [Int]
  var start: Int
  var end: Int
  var detected: Int
  var observed: Int
  var expected: Double
  var statistic: Double
  var p: Double
  var q: Double
  var ri: Double?
}

public enum HotspotAnalysis {
  /// Runs the chosen methods on the cases and returns the merged findings.
  public static func run(_ input: HotspotInput, level: HotspotLevel, config: HotspotConfig) throws -> HotspotResult {
    let perCat = input.casesPerCategory
    let cats = input.categories.indices.filter { perCat[$0] >= config.minCategoryCases }
    var episodes: [Episode] = []
    var replicatesRun = 0
    var methodSeconds: [String: Double] = [:]
    func timed<T>(_ m: HotspotMethod, _ body: () throws -> T) rethrows -> T {
      let t0 = DispatchTime.now().uptimeNanoseconds
      defer { methodSeconds[m.rawValue] = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }
      return try body()
    }
    let catCases = input.scanCasesPerCategory

    // 1. Scan, every category; the clusters tested across categories (`ScanFamily`).
    if config.methods.contains(.scan) { try timed(.scan) {
      var found: [Episode] = []
      var family: [Int] = []
      let scans = try scanCategories(input, cats: cats, cases: catCases, perCategory: perCat, config: config)
      for (k, (c, r)) in zip(cats, scans).enumerated() {
        replicatesRun += r.maxima.count
        for cl in r.clusters {
          // The Monte Carlo p-value; below its floor 1/(R + 1), the Gumbel
          // one; 1 for a cluster that cannot be significant.
          var pv = r.stopped ? 1 : cl.pValue ?? 1
          if !r.stopped, let g = cl.gumbelPValue, pv <= 1.5 / Double(r.maxima.count + 1) { pv = min(pv, g) }
          found.append(
            Episode(
              method: .scan, category: c, center: cl.center, areas: cl.locations, start: cl.startDay,
              end: cl.endDay, detected: cl.endDay, observed: cl.observed, expected: cl.expected, statistic: cl.llr,
              p: pv, q: 1, ri: config.scanAnalysis == .prospective ? 1 / max(pv, 1e-300) : nil))
          family.append(k)
        }
      }
      let q = scanQValues(found.map(\.p), family: family, families: cats.count, kind: config.scanFamily)
      for i in found.indices where q[i] <= config.fdr {
        var e = found[i]
        e.q = q[i]
        episodes.append(e)
      }
    } }

    // 2. Daily alerts, every category; BH across all tests with a case.
    var alertTests = 0, rawAlarms = 0, rawAlarms05 = 0, alertWithCase = 0
    if config.methods.contains(.alerts) { timed(.alerts) {
      // The series start `historyDays` before the period (the baseline of
      // its first days); only the period's days are tested.
      let H = input.historyDays, nA = input.areas.count, span = H + input.days
      let day0 = input.firstDay - H
      let kinds = (0..<span).map { config.calendar.kind(ofDay: day0 + $0) }
      let working = kinds.map(\.isWorking)
      let holiday = kinds.map { $0 == .holiday }
      let weekday = (0..<span).map { HolidayCalendar.weekday(ofDay: day0 + $0) + 1 }
      alertTests = cats.count * nA * Self.alertTestedDays(history: H, days: input.days, parameters: config.alerts)
      var all: [(c: Int, t: DailyAlerts.Test)] = []
      for c in cats {
        let counts = Self.alertSeries(input, category: c)
        let r = DailyAlerts.run(
          counts: counts, areas: nA, days: span, working: working, weekday: weekday, holiday: holiday,
          parameters: config.alerts)
        for var t in r.tests where t.day >= H {
          t.day -= H
          if t.pValue < 0.01 { rawAlarms += 1 }
          if t.pValue < 0.05 { rawAlarms05 += 1 }
          all.append((c, t))
        }
      }
      alertWithCase = all.count
      let q = alertQValues(all.map(\.t), family: config.alertFamily)
      let hits = all.indices.filter { q[$0] <= config.fdr }.map { i -> Episode in
        let t = all[i].t
        return Episode(
          method: .alerts, category: all[i].c, center: t.area, areas: [t.area], start: t.day, end: t.day,
          detected: t.day, observed: t.observed, expected: t.expected, statistic: -log10(max(t.pValue, 1e-300)),
          p: t.pValue, q: q[i], ri: nil)
      }
      episodes += group(hits, input: input, radiusKm: config.maxRadiusKm, gapDays: 2)
    } }

    // 3. Gi* per period, every category; trends from the z-score series.
    var trends: [HotspotTrend] = []
    if config.methods.contains(.gstar) { timed(.gstar) {
      let g = gstar(input, cats: cats, config: config)
      episodes += group(g.hits, input: input, radiusKm: config.maxRadiusKm, gapDays: config.gstarPeriodDays)
      trends = g.trends.map {
        var t = $0
        t.level = level.rawValue
        return t
      }
    } }

    // Merge the methods' episodes: same category, shared or nearby areas,
    // overlapping days (two days of slack).
    let merged = merge(episodes, input: input, radiusKm: config.maxRadiusKm)
    var hotspots: [Hotspot] = []
    for (n, group) in merged.enumerated() {
      let lead = group.min { a, b in
        a.method != b.method ? a.method < b.method : a.q < b.q
      }!
      let c = lead.category
      let allAreas = Array(Set(group.flatMap(\.areas))).sorted()
      let start = group.map(\.start).min()!, end = group.map(\.end).max()!
      let ids = input.ticketIds(category: c, areas: lead.areas, days: lead.start...lead.end)
      let C = Double(perCat[c])
      let o = Double(lead.observed), e = lead.expected
      let rr = o < C && e > 0 ? (o / e) / ((C - o) / max(C - e, 1e-9)) : o / max(e, 1e-9)
      hotspots.append(
        Hotspot(
          id: "H\(String(format: "%04d", n + 1))", method: lead.method.rawValue,
          methods: Array(Set(group.map(\.method))).sorted().map(\.rawValue), area: input.areas[lead.center],
          areas: allAreas.map { input.areas[$0] }, level: level.rawValue, category: input.categories[c],
          start: dateString(input.firstDay + start), end: dateString(input.firstDay + end), observed: lead.observed,
          expected: lead.expected, relativeRisk: rr, statistic: lead.statistic, pValue: lead.p, qValue: lead.q,
          recurrenceIntervalDays: lead.ri, label: "", detectedAt: dateString(input.firstDay + group.map(\.detected).min()!),
          ticketIds: ids, lon: input.longitudes[lead.center], lat: input.latitudes[lead.center]))
    }
    hotspots.sort { a, b in
      a.qValue != b.qValue ? a.qValue < b.qValue : (a.statistic != b.statistic ? a.statistic > b.statistic : a.id < b.id)
    }
    for i in hotspots.indices { hotspots[i].id = "H\(String(format: "%04d", i + 1))" }
    return HotspotResult(
      hotspots: hotspots, trends: trends, categoriesAnalysed: cats.count, areas: input.areas.count, days: input.days,
      cases: input.caseCategory.count, alertTests: alertTests, alertRawAlarms: rawAlarms,
      alertRawAlarms05: rawAlarms05, alertTestsWithCase: alertWithCase, replicatesRun: replicatesRun,
      methodSeconds: methodSeconds)
  }

  /// One category's scan: its clusters (p-values: `pValue` and
  /// `gumbelPValue` from the replicate maxima) and the replicates run.
  /// `stopped`: its replicates were stopped because none of its clusters
  /// can be significant (their p-values are then lower bounds, see
  /// `scanCategories`).
  struct CategoryScan {
    var clusters: [SpaceTimeScan.Cluster] = []
    var maxima: [Double] = []
    var finished = false
    var stopped = false
    /// Per cluster: a lower bound on the p-value it would end with.
    var pFloor: [Double] = []
  }

  /// The space-time scan of every category in `cats` (results in that
  /// order), on `config.threads` threads: categories run side by side, each
  /// on one thread, so the result depends on neither.
  ///
  /// Sequential Monte Carlo (`config.earlyStop` > 0) runs every category's
  /// replicates in rounds of 50, as `SpaceTimeScan` does on its own, and
  /// ends a category where it would (every cluster decided, or all
  /// replicates run): its replicate maxima, clusters and p-values are the
  /// same. Between rounds, with `config.scanStopHopeless`, it also stops the
  /// categories none of whose clusters can be significant after the
  /// multiple-testing control across categories (`config.scanFamily`), by an
  /// exact bound: a cluster whose Monte Carlo p-value has `r` ≥ 1 replicate
  /// maxima at or above its LLR will end with p ≥ (r + 1)/(R + 1) (R: the
  /// most replicates; the Gumbel p-value only replaces a p-value without
  /// any), and no more than the Benjamini–Hochberg count of these floors
  /// (0 for a cluster without exceedances) can be rejected: of the m
  /// clusters, or of the m categories on their smallest floors. A cluster
  /// whose floor is above α · that count / m cannot be. Such clusters are listed
  /// with p = 1. A category also ends once its clusters that can still be
  /// significant are decided: the others' p-values then come from fewer
  /// replicates, which keeps them at or above their floors. The findings are
  /// the same as with every category run to its end, only fewer replicates
  /// are run; a finding beyond every replicate maximum with a Gumbel p-value
  /// under 1e-7 has it from its category's replicates, as many as it ran
  /// (as `SpaceTimeScan` stops on its own).
  static func scanCategories(
    _ input: HotspotInput, cats: [Int], cases: [[SpaceTimeScan.Case]], perCategory: [Int], config: HotspotConfig
  ) throws -> [CategoryScan] {
    let workers = max(1, min(config.threads, cats.count))
    let R = max(0, config.replicates)
    let sequential = config.earlyStop > 0 && R > 0
    func parameters(_ c: Int, first: Int, count: Int) -> SpaceTimeScan.Parameters {
      var p = SpaceTimeScan.Parameters()
      p.model = config.population == nil ? .spaceTimePermutation : .poisson
      p.analysis = config.scanAnalysis
      p.maxRadiusKm = config.maxRadiusKm
      p.maxShare = config.maxShare
      p.maxDays = config.maxDays
      p.minCases = config.minClusterCases
      p.replicates = count
      p.seed = SpaceTimeScan.seed(config.seed &+ UInt64(c), continuingAtReplicate: first)
      p.threads = workers > 1 ? 1 : config.threads
      p.earlyStopExceedances = sequential ? 0 : config.earlyStop
      p.maxClusters = config.maxClustersPerCategory
      p.secondaryOverlap = config.secondaryOverlap
      return p
    }
    // Largest categories first: the threads end together.
    let order = cats.indices.sorted {
      perCategory[cats[$0]] != perCategory[cats[$1]] ? perCategory[cats[$0]] > perCategory[cats[$1]] : $0 < $1
    }
    var state = [CategoryScan](repeating: CategoryScan(), count: cats.count)
    var done = 0
    while true {
      let active = order.filter { !state[$0].finished }
      if active.isEmpty { break }
      let upTo = sequential ? min(R, done + replicateRound) : R
      let params = active.map { parameters(cats[$0], first: done, count: upTo - done) }
      let slots = ScanSlots(count: active.count)
      DispatchQueue.concurrentPerform(iterations: min(workers, active.count)) { _ in
        while let k = slots.next(), k < active.count {
          let c = cats[active[k]]
          slots.put(
            k,
            Result {
              try SpaceTimeScan(parameters: params[k]).run(
                latitudes: input.latitudes, longitudes: input.longitudes, days: input.days, cases: cases[c],
                expected: config.population.map { Self.poissonExpected(population: $0, days: input.days, cases: cases[c]) })
            })
        }
      }
      for (k, i) in active.enumerated() {
        let r = try slots.results[k]!.get()
        if done == 0 { state[i].clusters = r.clusters }
        state[i].maxima += r.replicateMaxima
        // No replicates: nothing above expectation, no cluster to test.
        if !sequential || r.replicateMaxima.isEmpty || upTo >= R
          || SpaceTimeScan.replicatesDecided(state[i].clusters.map(\.llr), maxima: state[i].maxima, h: config.earlyStop)
        {
          state[i].finished = true
        }
      }
      done = upTo
      if sequential && config.scanStopHopeless {
        stopHopeless(&state, replicates: R, fdr: config.fdr, h: config.earlyStop, family: config.scanFamily)
      }
    }
    for i in state.indices where !state[i].stopped {
      setPValues(&state[i].clusters, maxima: state[i].maxima)
    }
    return state
  }

  /// The scan clusters' adjusted p-values (q-values) in the chosen family:
  /// `family[i]` is the category (0..<families) of cluster i; categories
  /// without a cluster count as families with p = 1.
  static func scanQValues(_ p: [Double], family: [Int], families: Int, kind: ScanFamily) -> [Double] {
    switch kind {
    case .clusters:
      return MultipleTesting.benjaminiHochberg(p)
    case .categories:
      var grouped = [[Double]](repeating: [], count: families)
      var slot = [Int](repeating: 0, count: p.count)
      for (i, f) in family.enumerated() {
        slot[i] = grouped[f].count
        grouped[f].append(p[i])
      }
      let q = MultipleTesting.selectedFamilies(grouped)
      return family.indices.map { q[family[$0]][slot[$0]] }
    }
  }

  /// Replicates per round of the sequential Monte Carlo (as `SpaceTimeScan`).
  static let replicateRound = 50

  /// The clusters' Monte Carlo and Gumbel p-values from the replicate
  /// maxima, as `SpaceTimeScan` computes them.
  static func setPValues(_ clusters: inout [SpaceTimeScan.Cluster], maxima: [Double]) {
    guard !maxima.isEmpty else { return }
    for i in clusters.indices {
      (clusters[i].pValue, clusters[i].gumbelPValue) = SpaceTimeScan.pValues(llr: clusters[i].llr, maxima: maxima)
    }
  }

  /// Stops the unfinished categories none of whose clusters can be
  /// significant (see `scanCategories`), and ends those whose clusters that
  /// still can be are decided (sequential stop with `h` exceedances): the
  /// others' p-values then come from fewer replicates, stay at or above
  /// their floors, and so cannot be rejected either (Benjamini–Hochberg's
  /// rejections only grow as p-values fall).
  static func stopHopeless(
    _ state: inout [CategoryScan], replicates R: Int, fdr: Double, h: Int, family: ScanFamily = .categories
  ) {
    // Each cluster's p-value floor: the p-value itself once its category
    // has ended, (r + 1)/(R + 1) with r ≥ 1 exceedances so far, else 0.
    for i in state.indices where !state[i].stopped {
      let s = state[i]
      if s.finished {
        var exact = s.clusters
        setPValues(&exact, maxima: s.maxima)
        state[i].pFloor = exact.map { cl in
          var pv = cl.pValue ?? 1
          if let g = cl.gumbelPValue, pv <= 1.5 / Double(s.maxima.count + 1) { pv = min(pv, g) }
          return pv
        }
      } else {
        state[i].pFloor = s.clusters.map { cl in
          let r = s.maxima.lazy.filter { $0 >= cl.llr - 1e-9 }.count
          return r == 0 ? 0 : Double(r + 1) / Double(R + 1)
        }
      }
    }
    // The p-values that decide how many rejections there can be: every
    // cluster's (one family), or each category's smallest (the categories
    // are the family; a category without clusters counts with p = 1).
    let floors =
      (family == .clusters ? state.flatMap(\.pFloor) : state.map { $0.pFloor.min() ?? 1 }).sorted()
    let m = Double(floors.count)
    guard m > 0 else { return }
    // The most rejections any p-values at or above the floors can give
    // (with a margin for rounding), and the largest p-value they can reject.
    var most = 0
    for (k, p) in floors.enumerated() where p <= fdr * Double(k + 1) / m * (1 + 1e-9) { most = k + 1 }
    let ceiling = fdr * Double(most) / m * (1 + 1e-9)
    for i in state.indices where !state[i].finished {
      let open = zip(state[i].clusters, state[i].pFloor).filter { $0.1 <= ceiling }.map(\.0.llr)
      if open.isEmpty {
        state[i].finished = true
        state[i].stopped = true
      } else if open.count < state[i].clusters.count
        && SpaceTimeScan.replicatesDecided(open, maxima: state[i].maxima, h: h)
      {
        state[i].finished = true
      }
    }
  }

  /// The Poisson model's expectation [area × day]: population × the category's cases that day.
  static func poissonExpected(population: [Double], days: Int, cases: [SpaceTimeScan.Case]) -> [Double] {
    var perDay = [Double](repeating: 0, count: days)
    for c in cases { perDay[Int(c.day)] += Double(c.count) }
    var e = [Double](repeating: 0, count: population.count * days)
    for (z, pop) in population.enumerated() {
      for d in 0..<days { e[z * days + d] = pop * perDay[d] }
    }
    return e
  }

  /// A category's alert series, area-major [area × (historyDays + days)]:
  /// the history days, then the period.
  static func alertSeries(_ input: HotspotInput, category c: Int) -> [Int32] {
    let H = input.historyDays, D = input.days
    let window = input.counts(category: c)
    guard H > 0 else { return window }
    let hist = input.historyCounts(category: c)
    var m = [Int32](repeating: 0, count: input.areas.count * (H + D))
    for a in 0..<input.areas.count {
      for d in 0..<H { m[a * (H + D) + d] = hist[a * H + d] }
      for d in 0..<D { m[a * (H + D) + H + d] = window[a * D + d] }
    }
    return m
  }

  /// Days of the period that the alerts can test (enough baseline before them).
  static func alertTestedDays(history H: Int, days: Int, parameters p: DailyAlerts.Parameters) -> Int {
    let (guardDays, baselineDays, minHistory) =
      p.baseline == .regression
      ? (p.regression.guardDays, p.regression.baselineDays, p.regression.minHistoryDays)
      : (p.guardDays, p.baselineDays, p.minHistoryDays)
    var n = 0
    for t in H..<(H + days) {
      let hi = t - guardDays
      if hi - max(0, hi - baselineDays) >= minHistory { n += 1 }
    }
    return n
  }

  /// Benjamini–Hochberg q-values of the alerts: over the whole run, or
  /// within each day (every category and area tested that day).
  static func alertQValues(_ tests: [DailyAlerts.Test], family: AlertFamily) -> [Double] {
    switch family {
    case .run:
      return MultipleTesting.benjaminiHochberg(tests.map(\.pValue))
    case .day:
      var q = [Double](repeating: 1, count: tests.count)
      let byDay = Dictionary(grouping: tests.indices, by: { tests[$0].day })
      for (_, idx) in byDay {
        let qd = MultipleTesting.benjaminiHochberg(idx.map { tests[$0].pValue })
        for (k, i) in idx.enumerated() { q[i] = qd[k] }
      }
      return q
    }
  }

  static func dateString(_ day: Int) -> String { ReportPeriod.dayString(day) }

  /// Groups single-area hits of one method into episodes: same category,
  /// areas within `radiusKm`, days at most `gapDays` apart.
  static func group(_ hits: [Episode], input: HotspotInput, radiusKm: Double, gapDays: Int) -> [Episode] {
    var out: [Episode] = []
    let sorted = hits.sorted { ($0.category, $0.start, $0.center) < ($1.category, $1.start, $1.center) }
    var open: [Int] = []  // indexes into out that may still grow
    for h in sorted {
      var joined = false
      for oi in open.reversed() {
        var e = out[oi]
        guard e.category == h.category, h.start - e.end <= gapDays else { continue }
        guard e.areas.contains(where: { input.distanceKm($0, h.center) <= radiusKm }) else { continue }
        if !e.areas.contains(h.center) { e.areas.append(h.center) }
        e.end = max(e.end, h.end)
        e.observed += h.observed
        e.expected += h.expected
        if h.p < e.p {
          e.p = h.p
          e.center = h.center
        }
        e.q = min(e.q, h.q)
        e.statistic = max(e.statistic, h.statistic)
        out[oi] = e
        joined = true
        break
      }
      if !joined {
        out.append(h)
        open.append(out.count - 1)
      }
      open.removeAll { out[$0].category != h.category || h.start - out[$0].end > gapDays }
    }
    return out
  }

  /// Merges episodes of different methods that describe the same event.
  static func merge(_ episodes: [Episode], input: HotspotInput, radiusKm: Double) -> [[Episode]] {
    var groups: [[Episode]] = []
    let order = episodes.indices.sorted { episodes[$0].method < episodes[$1].method || (episodes[$0].method == episodes[$1].method && episodes[$0].q < episodes[$1].q) }
    for i in order {
      let e = episodes[i]
      var placed = false
      for g in groups.indices {
        let same = groups[g].contains { o in
          o.category == e.category && e.start <= o.end + 2 && o.start <= e.end + 2
            && (o.areas.contains(where: e.areas.contains)
              || o.areas.contains { a in e.areas.contains { input.distanceKm(a, $0) <= radiusKm / 2 } })
        }
        if same {
          groups[g].append(e)
          placed = true
          break
        }
      }
      if !placed { groups.append([e]) }
    }
    return groups
  }

  // MARK: - Gi* and Emerging Hot Spot labels

  static func gstar(_ input: HotspotInput, cats: [Int], config: HotspotConfig) -> (hits: [Episode], trends: [HotspotTrend]) {
    let nA = input.areas.count
    let period = max(1, config.gstarPeriodDays)
    let nP = input.days / period
    guard nA >= 3, nP >= 2 else { return ([], []) }
    // Periods end on the last day (the newest week is whole and is the one an
    // Emerging Hot Spot label's "new" refers to); a partial period is left
    // out at the start.
    let offset = input.days - nP * period
    // Neighbours by distance band in km (equirectangular around the mean latitude).
    let lat0 = input.latitudes.reduce(0, +) / Double(nA) * .pi / 180
    let x = input.longitudes.map { $0 * 111.32 * cos(lat0) }, y = input.latitudes.map { $0 * 110.57 }
    let nb = LocalGStar.Neighbours.distanceBand(x: x, y: y, threshold: config.gstarRadiusKm ?? config.maxRadiusKm)
    var candidates: [Episode] = []
    var tests = 0
    var trends: [HotspotTrend] = []
    for c in cats {
      let counts = input.counts(category: c)
      // Area shares over the whole period: the expectation of each period.
      var areaTotal = [Double](repeating: 0, count: nA)
      var total = 0.0
      for a in 0..<nA {
        for t in offset..<input.days { areaTotal[a] += Double(counts[a * input.days + t]) }
        total += areaTotal[a]
      }
      guard total > 0 else { continue }
      var zSeries = [[Double]](repeating: [], count: nA)
      var pSeries = [[Double]](repeating: [], count: nA)
      var periodHits: [Episode] = []
      for pi in 0..<nP {
        var obs = [Double](repeating: 0, count: nA)
        var periodTotal = 0.0
        for a in 0..<nA {
          for t in (offset + pi * period)..<(offset + (pi + 1) * period) { obs[a] += Double(counts[a * input.days + t]) }
          periodTotal += obs[a]
        }
        // Standardised excess over the area's usual share.
        let v = (0..<nA).map { a -> Double in
          let e = periodTotal * areaTotal[a] / total
          return (obs[a] - e) / (e + 0.5).squareRoot()
        }
        let g = LocalGStar(
          values: v, neighbours: nb, permutations: config.gstarPermutations,
          seed: config.seed &+ UInt64(c * 10_007 + pi), permuteWhereAbsZ: 1.5,
          maxPermutations: config.gstarMaxPermutations)
        let p = g.pPermutation ?? g.pNormal
        tests += nA
        for a in 0..<nA {
          zSeries[a].append(g.z[a])
          pSeries[a].append(config.trendPValue == .normal ? g.pNormal[a] : p[a])
          if g.z[a] > 0 && obs[a] > 0 {
            let e = periodTotal * areaTotal[a] / total
            periodHits.append(
              Episode(
                method: .gstar, category: c, center: a, areas: [a], start: offset + pi * period,
                end: offset + (pi + 1) * period - 1, detected: offset + (pi + 1) * period - 1, observed: Int(obs[a]), expected: e, statistic: g.z[a], p: p[a],
                q: 1, ri: nil))
          }
        }
      }
      // Keep Gi* hits whose own area is in excess (a neighbour's excess
      // alone makes a "hot" neighbourhood, not a hotspot at this area).
      candidates += periodHits.filter { Double($0.observed) > $0.expected }
      // Hot and cold periods: significant in the category's space-time cube.
      let significant = Self.trendSignificance(pSeries, alpha: config.trendAlpha, fdr: config.trendFDR)
      let hot = (0..<nA).map { a in (0..<nP).map { significant[a][$0] && zSeries[a][$0] > 0 } }
      let cold = (0..<nA).map { a in (0..<nP).map { significant[a][$0] && zSeries[a][$0] < 0 } }
      for a in 0..<nA {
        if let label = emergingLabel(hot: hot[a], cold: cold[a], z: zSeries[a], alpha: config.trendAlpha) {
          let mk = MannKendall(zSeries[a])
          trends.append(
            HotspotTrend(
              area: input.areas[a], level: "", category: input.categories[c], label: label, periods: nP,
              hotPeriods: hot[a].filter { $0 }.count, coldPeriods: cold[a].filter { $0 }.count,
              lastZ: zSeries[a].last ?? 0, trendTau: mk.tau, trendP: mk.pValue))
        }
      }
    }
    // One family: every (category, period, area) test of the run. Units not
    // listed have p = 1 (negative z, or screened out).
    var p = candidates.map(\.p)
    p += [Double](repeating: 1, count: max(0, tests - candidates.count))
    let q = MultipleTesting.benjaminiHochberg(p)
    var hits: [Episode] = []
    for i in candidates.indices where q[i] <= config.fdr {
      var e = candidates[i]
      e.q = q[i]
      hits.append(e)
    }
    return (hits, trends)
  }

  /// Which (area, period) p-values are significant at `alpha`: by
  /// Benjamini–Hochberg over all of them when `fdr`, else each on its own.
  static func trendSignificance(_ p: [[Double]], alpha: Double, fdr: Bool) -> [[Bool]] {
    guard fdr else { return p.map { $0.map { $0 <= alpha } } }
    let q = MultipleTesting.benjaminiHochberg(p.flatMap { $0 })
    var k = 0
    return p.map { row in
      row.map { _ in
        defer { k += 1 }
        return q[k] <= alpha
      }
    }
  }

  /// ArcGIS Emerging Hot Spot Analysis categories, hot side.
  public static func emergingLabel(hot: [Bool], cold: [Bool], z: [Double], alpha: Double) -> String? {
    let n = hot.count
    guard n >= 2 else { return nil }
    let nHot = hot.filter { $0 }.count
    guard nHot > 0 else { return nil }
    let last = hot[n - 1]
    let share = Double(nHot) / Double(n)
    if share >= 0.9 {
      if !last { return "historical" }
      switch MannKendall(z).trend(alpha: alpha) {
      case .increasing: return "intensifying"
      case .decreasing: return "diminishing"
      case .none: return "persistent"
      }
    }
    guard last else { return nil }
    if nHot == 1 { return "new" }
    // A single run at the end, never hot before it.
    var runStart = n - 1
    while runStart > 0 && hot[runStart - 1] { runStart -= 1 }
    if n - runStart >= 2 && !hot[0..<runStart].contains(true) { return "consecutive" }
    return cold.contains(true) ? "oscillating" : "sporadic"
  }
}

/// Which p-value of a period's Gi* decides whether it is hot or cold.
public enum TrendPValue: String, Sendable, Codable, CaseIterable {
  /// Two-sided normal p-value of the z-score (ArcGIS).
  case normal
  /// The conditional permutation p-value (as the Gi* findings use).
  case permutation
}

/// Hands out category indexes to the scan threads and collects their results.
final class ScanSlots: @unchecked Sendable {
  private let lock = NSLock()
  private var taken = 0
  private(set) var results: [Result<SpaceTimeScan.Result, any Error>?]
  init(count: Int) { results = .init(repeating: nil, count: count) }
  func next() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    taken += 1
    return taken - 1
  }
  func put(_ i: Int, _ r: Result<SpaceTimeScan.Result, any Error>) {
    lock.lock()
    results[i] = r
    lock.unlock()
  }
}
