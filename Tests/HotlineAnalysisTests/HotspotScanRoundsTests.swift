import Foundation
import HotlineCore
import HotlineStats
import Testing

@testable import HotlineAnalysis

/// A made-up city of 25 streets over 60 days with four categories: one with
/// a local outbreak, three with background only.
private func roundsCity() -> HotspotInput {
  let clock = ZoneClock.shanghai
  let first = CivilDateTime.daysFromCivil(year: 2025, month: 5, day: 1)
  let rng = GSLRandom(seed: 23)
  var tickets: [Ticket] = []
  func add(_ street: Int, _ day: Int, _ cat: [String]) {
    let (y, m, d) = CivilDateTime.civilFromDays(first + day)
    tickets.append(
      Ticket(
        id: String(format: "R%06d", tickets.count), receivedAt: clock.epoch(CivilDateTime(year: y, month: m, day: d, hour: 9)),
        callerKey: "c\(tickets.count)", category: cat, text: "", district: "西区", street: "街道\(street)",
        community: "社区\(street)",
        location: Coordinate(lon: 121.0 + Double(street % 5) * 0.0104, lat: 31.0 + Double(street / 5) * 0.009)))
  }
  let cats = [["公用事业", "停水"], ["城市管理", "占道"], ["环境", "噪声"], ["交通", "停车"]]
  for day in 0..<60 {
    for s in 0..<25 {
      for (k, cat) in cats.enumerated() {
        for _ in 0..<rng.poisson(0.12 + 0.04 * Double(k)) { add(s, day, cat) }
      }
    }
  }
  for day in 30...32 { for _ in 0..<6 { add(12, day, cats[0]) } }
  return HotspotInput(tickets: tickets, level: .street, clock: clock)
}

/// A one-area cluster of log-likelihood ratio `llr`.
private func cluster(_ llr: Double) -> SpaceTimeScan.Cluster {
  let json = """
    {"center": 0, "locations": [0], "radiusKm": 0, "startDay": 0, "endDay": 0, "observed": 1,
     "expected": 1, "observedOverExpected": 1, "relativeRisk": 1, "llr": \(llr)}
    """
  return try! JSONDecoder().decode(SpaceTimeScan.Cluster.self, from: Data(json.utf8))
}

struct HotspotScanRoundsTests {
  func config() -> HotspotConfig {
    var c = HotspotConfig()
    c.methods = [.scan]
    c.maxRadiusKm = 1.5
    c.maxDays = 7
    c.seed = 9
    return c
  }

  /// The categories' scans run in rounds (replicates continued under a
  /// shifted seed) give the replicate maxima, clusters and p-values of one
  /// `SpaceTimeScan` run per category with its own sequential stop.
  @Test func roundsMatchOneScanPerCategory() throws {
    let input = roundsCity()
    var config = config()
    config.scanStopHopeless = false
    let cases = input.scanCasesPerCategory
    let cats = Array(input.categories.indices)
    let rounds = try HotspotAnalysis.scanCategories(
      input, cats: cats, cases: cases, perCategory: input.casesPerCategory, config: config)
    var longest = 0
    for (k, c) in cats.enumerated() {
      var p = SpaceTimeScan.Parameters()
      p.maxRadiusKm = config.maxRadiusKm
      p.maxShare = config.maxShare
      p.maxDays = config.maxDays
      p.minCases = config.minClusterCases
      p.replicates = config.replicates
      p.seed = config.seed &+ UInt64(c)
      p.threads = 2
      p.earlyStopExceedances = config.earlyStop
      p.maxClusters = config.maxClustersPerCategory
      p.secondaryOverlap = config.secondaryOverlap
      let one = try SpaceTimeScan(parameters: p).run(
        latitudes: input.latitudes, longitudes: input.longitudes, days: input.days, cases: cases[c])
      #expect(rounds[k].maxima == one.replicateMaxima)
      #expect(rounds[k].clusters == one.clusters)
      #expect(!rounds[k].stopped)
      longest = max(longest, one.replicateMaxima.count)
    }
    // The outbreak's category runs past the first round.
    #expect(longest > HotspotAnalysis.replicateRound)
  }

  /// Stopping the categories (and clusters) that cannot be significant
  /// leaves the findings as they are (here their p- and q-values too), in
  /// either multiple-testing family.
  @Test(arguments: ScanFamily.allCases)
  func stoppingHopelessCategoriesKeepsTheFindings(family: ScanFamily) throws {
    let input = roundsCity()
    var all = config()
    all.scanStopHopeless = false
    all.scanFamily = family
    var stopping = all
    stopping.scanStopHopeless = true
    let a = try HotspotAnalysis.run(input, level: .street, config: all)
    let b = try HotspotAnalysis.run(input, level: .street, config: stopping)
    #expect(!a.hotspots.isEmpty)
    #expect(a.hotspots == b.hotspots)
    #expect(b.replicatesRun <= a.replicatesRun)
  }

  /// The bound, all clusters one family: m = 4 clusters, α = 0.05. A finished category's cluster
  /// beyond every replicate (floor: its p-value, here 0), an unfinished
  /// cluster without exceedances (floor 0) and two reached by 49 and 59 of
  /// 100 replicate maxima so far (floors 50/1000 and 60/1000, whatever the
  /// remaining replicates give): at most 2 rejections, so a cluster needs
  /// p ≤ 0.025, and the category of the last two cannot have one.
  @Test func stopsOnlyCategoriesThatCannotBeSignificant() {
    var finished = HotspotAnalysis.CategoryScan()
    finished.clusters = [cluster(50)]
    finished.maxima = [Double](repeating: 1, count: 999)
    finished.finished = true
    var hopeless = HotspotAnalysis.CategoryScan()
    hopeless.clusters = [cluster(10), cluster(9)]
    hopeless.maxima = [Double](repeating: 1, count: 41) + [Double](repeating: 10, count: 49) + [Double](repeating: 9.5, count: 10)
    var open = HotspotAnalysis.CategoryScan()
    open.clusters = [cluster(20)]
    open.maxima = [Double](repeating: 1, count: 100)
    var state = [finished, hopeless, open]
    HotspotAnalysis.stopHopeless(&state, replicates: 999, fdr: 0.05, h: 10, family: .clusters)
    #expect(state[1].pFloor == [0.05, 0.06])
    #expect(state[0].pFloor == [0])
    #expect(state[1].finished && state[1].stopped)
    #expect(!state[2].finished && !state[2].stopped)
    #expect(!state[0].stopped)
    // With a looser α every cluster might still pass: nothing stops.
    state[1].finished = false
    state[1].stopped = false
    HotspotAnalysis.stopHopeless(&state, replicates: 999, fdr: 0.5, h: 10, family: .clusters)
    #expect(!state[1].stopped)
  }

  /// A category ends once its clusters that can still be significant are
  /// decided, though a hopeless one has fewer than h exceedances: m = 3,
  /// α = 0.005, floors 0, 0 and 6/1000 (reached by 5 of 100 maxima) allow at
  /// most 2 rejections, p ≤ 0.0033. The other cluster, beyond every maximum
  /// with a Gumbel p-value under 1e-7 (LLR 40), is decided; at LLR 20 (Gumbel
  /// p about 2e-6) it is not, and the category runs on.
  @Test func endsCategoriesWhoseOpenClustersAreDecided() {
    var finished = HotspotAnalysis.CategoryScan()
    finished.clusters = [cluster(50)]
    finished.maxima = [Double](repeating: 1, count: 999)
    finished.finished = true
    for (strong, ends) in [(40.0, true), (20.0, false)] {
      var mixed = HotspotAnalysis.CategoryScan()
      mixed.clusters = [cluster(strong), cluster(9)]
      mixed.maxima = [Double](repeating: 1, count: 95) + [Double](repeating: 9.5, count: 5)
      var state = [finished, mixed]
      HotspotAnalysis.stopHopeless(&state, replicates: 999, fdr: 0.005, h: 10, family: .clusters)
      #expect(state[1].pFloor == [0, 0.006])
      #expect(state[1].finished == ends)
      #expect(!state[1].stopped)
    }
  }

  /// With the categories as the family, a category's hopeless secondary
  /// clusters do not raise the bar for another category. A strong category
  /// (a cluster beyond 100 replicate maxima, 19 reached by 50 of them: floors
  /// 0 and 51/1000) and a weak one (reached by 19: floor 20/1000), α = 0.05.
  /// One family of 21 clusters allows one rejection (p ≤ 0.05/21), so the
  /// weak category stops; two categories allow two (p ≤ 0.05). The strong
  /// category ends either way: its one cluster that can pass is decided.
  @Test func categoryFamilyDoesNotGrowWithSecondaryClusters() {
    var strong = HotspotAnalysis.CategoryScan()
    strong.clusters = [cluster(50)] + (0..<19).map { _ in cluster(2) }
    strong.maxima = [Double](repeating: 1, count: 50) + [Double](repeating: 3, count: 50)
    var weak = HotspotAnalysis.CategoryScan()
    weak.clusters = [cluster(10)]
    weak.maxima = [Double](repeating: 1, count: 81) + [Double](repeating: 11, count: 19)
    for (family, weakStops) in [(ScanFamily.clusters, true), (.categories, false)] {
      var state = [strong, weak]
      HotspotAnalysis.stopHopeless(&state, replicates: 999, fdr: 0.05, h: 10, family: family)
      #expect(state[1].pFloor == [0.02])
      #expect(state[1].stopped == weakStops)
      #expect(state[1].finished == weakStops)
      #expect(state[0].finished && !state[0].stopped)
    }
  }
}
