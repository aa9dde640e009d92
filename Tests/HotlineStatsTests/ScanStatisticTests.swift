import Foundation
import Testing

@testable import HotlineStats

/// `<package root>/../shared/data`, located from this file's path.
private let sharedData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("shared/data")

/// SaTScan's NYC fever sample (194 cases, 192 ZIP codes, 2001/11/1–24), read
/// from ../shared/data/satscan-nyc (not copied into the project).
private struct NYCFever {
  var ids: [String] = []
  var lat: [Double] = []
  var lon: [Double] = []
  var cases: [SpaceTimeScan.Case] = []

  init?() {
    let dir = sharedData.appendingPathComponent("satscan-nyc")
    guard let geo = try? String(contentsOf: dir.appendingPathComponent("NYCfever.geo"), encoding: .utf8),
      let cas = try? String(contentsOf: dir.appendingPathComponent("NYCfever.cas"), encoding: .utf8)
    else { return nil }
    var index: [String: Int] = [:]
    for line in geo.split(whereSeparator: \.isNewline) {
      let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard f.count >= 3, let la = Double(f[1]), let lo = Double(f[2]) else { continue }
      index[String(f[0])] = ids.count
      ids.append(String(f[0]))
      lat.append(la)
      lon.append(lo)
    }
    for line in cas.split(whereSeparator: \.isNewline) {
      let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard f.count >= 3, let z = index[String(f[0])], let n = Int(f[1]) else { continue }
      let ymd = f[2].split(separator: "/").compactMap { Int($0) }
      cases.append(.init(location: z, day: ymd[2] - 1, count: n))
    }
  }

  func parameters(_ analysis: SpaceTimeScan.Analysis) -> SpaceTimeScan.Parameters {
    var p = SpaceTimeScan.Parameters()
    p.model = .spaceTimePermutation
    p.analysis = analysis
    p.maxRadiusKm = 3
    p.maxShare = 0.5
    p.maxDays = 7
    p.minCases = 2
    p.replicates = 999
    p.seed = 20_251_122
    return p
  }
}

/// A cluster as SaTScan 10.3.2 reports it (NYC_retro.txt, NYC_pro.txt).
private struct Reference {
  var ids: Set<String>
  var start: Int
  var end: Int
  var observed: Int
  var expected: Double
  var llr: Double
  var p: Double
  var radius: Double
}

/// Whether a Monte Carlo p-value agrees with a reference one within four
/// standard errors of the two estimates (999 replicates each), plus 0.002.
private func withinMonteCarloError(_ p: Double, _ ref: Double) -> Bool {
  abs(p - ref) <= 4 * (2 * ref * (1 - ref) / 999).squareRoot() + 0.002
}

struct ScanStatisticTests {
  private static let retro: [Reference] = [
    .init(
      ids: ["10454", "10455", "10451", "10035", "10037", "10030", "10029", "10456"], start: 7, end: 7,
      observed: 5, expected: 0.40, llr: 8.119521, p: 0.009, radius: 2.70),
    .init(
      ids: ["11379", "11374", "11373"], start: 9, end: 10, observed: 4, expected: 0.46, llr: 5.113791,
      p: 0.496, radius: 2.07),
    .init(
      ids: ["11418", "11415", "11419", "11435", "11416", "11421", "11451", "11375", "11417"], start: 21,
      end: 22, observed: 4, expected: 0.46, llr: 5.113791, p: 0.496, radius: 2.90),
    .init(ids: ["11434"], start: 15, end: 15, observed: 2, expected: 0.072, llr: 4.725675, p: 0.760, radius: 0),
  ]

  private static let pro: [Reference] = [
    .init(
      ids: ["11418", "11415", "11419", "11435", "11416", "11421", "11451", "11375", "11417"], start: 21,
      end: 23, observed: 4, expected: 0.67, llr: 3.845418, p: 0.216, radius: 2.90),
    .init(ids: ["11372"], start: 23, end: 23, observed: 2, expected: 0.16, llr: 3.164201, p: 0.506, radius: 0),
    .init(ids: ["10472"], start: 22, end: 23, observed: 2, expected: 0.29, llr: 2.137259, p: 0.948, radius: 0),
  ]

  private func check(_ got: SpaceTimeScan.Cluster, _ ref: Reference, ids: [String]) {
    #expect(Set(got.locations.map { ids[$0] }) == ref.ids)
    #expect(got.startDay == ref.start && got.endDay == ref.end)
    #expect(got.observed == ref.observed)
    #expect(abs(got.expected - ref.expected) < 0.005 + 1e-9 || abs(got.expected - ref.expected) / ref.expected < 0.01)
    #expect(abs(got.llr - ref.llr) < 1e-4)
    #expect(abs(got.radiusKm - ref.radius) < 0.006)
    #expect(withinMonteCarloError(got.pValue ?? -1, ref.p))
  }

  @Test func reproducesSaTScanRetrospectiveNYC() throws {
    guard let nyc = NYCFever() else {
      print("SKIP reproducesSaTScanRetrospectiveNYC: satscan-nyc not found under <package>/../shared/data")
      return
    }
    #expect(nyc.cases.reduce(0) { $0 + Int($1.count) } == 194)
    let r = try SpaceTimeScan(parameters: nyc.parameters(.retrospective))
      .run(latitudes: nyc.lat, longitudes: nyc.lon, days: 24, cases: nyc.cases)
    #expect(r.replicateMaxima.count == 999)
    try #require(r.clusters.count >= 4)
    check(r.clusters[0], Self.retro[0], ids: nyc.ids)
    // The two tied secondary clusters, in either order, then the fourth.
    let second = r.clusters[1...2].sorted { $0.center < $1.center }
    let refs = [Self.retro[1], Self.retro[2]]
    for (g, ref) in zip(second, refs.sorted { $0.ids.min()! < $1.ids.min()! }) {
      check(g, ref, ids: nyc.ids)
    }
    #expect(r.clusters[0].recurrenceIntervalDays == nil)
    // Secondary clusters share no location with each other.
    var seen = Set<Int>()
    for c in r.clusters {
      #expect(seen.isDisjoint(with: c.locations))
      seen.formUnion(c.locations)
    }
  }

  @Test func reproducesSaTScanProspectiveNYC() throws {
    guard let nyc = NYCFever() else {
      print("SKIP reproducesSaTScanProspectiveNYC: satscan-nyc not found under <package>/../shared/data")
      return
    }
    let r = try SpaceTimeScan(parameters: nyc.parameters(.prospective))
      .run(latitudes: nyc.lat, longitudes: nyc.lon, days: 24, cases: nyc.cases)
    try #require(r.clusters.count >= 3)
    for (g, ref) in zip(r.clusters, Self.pro) { check(g, ref, ids: nyc.ids) }
    for c in r.clusters { #expect(c.endDay == 23) }
    // SaTScan prints the recurrence interval rounded to days: 5, 2, 1.
    #expect(r.clusters.prefix(3).map { Int(($0.recurrenceIntervalDays ?? 0).rounded()) } == [5, 2, 1])
  }

  @Test func sameSeedSameResultWhateverTheThreads() throws {
    guard let nyc = NYCFever() else { return }
    var p = nyc.parameters(.retrospective)
    p.replicates = 99
    p.threads = 1
    let a = try SpaceTimeScan(parameters: p).run(latitudes: nyc.lat, longitudes: nyc.lon, days: 24, cases: nyc.cases)
    p.threads = 3
    let b = try SpaceTimeScan(parameters: p).run(latitudes: nyc.lat, longitudes: nyc.lon, days: 24, cases: nyc.cases)
    p.seed += 1
    let c = try SpaceTimeScan(parameters: p).run(latitudes: nyc.lat, longitudes: nyc.lon, days: 24, cases: nyc.cases)
    #expect(a.replicateMaxima == b.replicateMaxima)
    #expect(a.replicateMaxima != c.replicateMaxima)
  }

  /// A planted cluster on a planar grid is found, with its cells and days,
  /// by both models; a null data set yields no significant cluster.
  @Test(arguments: [SpaceTimeScan.Model.spaceTimePermutation, .poisson])
  func findsPlantedClusterOnAGrid(model: SpaceTimeScan.Model) throws {
    let side = 10, days = 60
    let (x, y, background) = poissonGrid(side: side, days: days, rate: 0.4, seed: 7)
    var cases = background
    let null = cases
    // +3 cases a day for 4 days at the cells (4,4), (5,4), (4,5).
    for z in [44, 45, 54] {
      for d in 40..<44 { cases.append(.init(location: z, day: d, count: 3)) }
    }
    var p = scanParameters(radiusKm: 1.5, maxDays: 10, replicates: 199)
    p.model = model
    let expected = [Double](repeating: 1, count: side * side * days)
    let r = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: days, cases: cases, expected: expected)
    let top = try #require(r.clusters.first)
    #expect(Set(top.locations).isSuperset(of: [44, 45, 54]))
    #expect(top.locations.count <= 6)
    #expect(top.startDay >= 39 && top.startDay <= 40 && top.endDay >= 43 && top.endDay <= 44)
    #expect((top.pValue ?? 1) <= 0.01)
    #expect(top.relativeRisk > 3)
    let n = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: days, cases: null, expected: expected)
    #expect((n.clusters.first?.pValue ?? 1) > 0.05)
  }

  /// Two outbreaks at one place months apart: SaTScan's geographical
  /// criterion reports the stronger only (the weaker shares its cells), the
  /// space-time criterion both, with the weaker's own count, expectation and
  /// LLR (those of the full data); no two reported windows share a cell on a
  /// common day, and the primary cluster is the same either way.
  @Test func spaceTimeOverlapReportsOnePlaceTwice() throws {
    let side = 8, days = 120
    let (x, y, background) = poissonGrid(side: side, days: days, rate: 0.3, seed: 5)
    var cases = background
    for d in 20..<23 { cases.append(.init(location: 27, day: d, count: 7)) }
    for d in 90..<93 { cases.append(.init(location: 27, day: d, count: 5)) }
    var p = scanParameters(radiusKm: 1.2, maxDays: 7, replicates: 99, maxClusters: 8)
    let geo = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: days, cases: cases)
    p.secondaryOverlap = .spaceTime
    let st = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: days, cases: cases)
    #expect(geo.clusters.first == st.clusters.first)
    #expect(geo.replicateMaxima == st.replicateMaxima)
    func at27(_ r: SpaceTimeScan.Result, _ days: ClosedRange<Int>) -> SpaceTimeScan.Cluster? {
      r.clusters.first { $0.locations.contains(27) && days.contains($0.startDay) && days.contains($0.endDay) }
    }
    #expect(at27(geo, 18...24) != nil)
    #expect(at27(geo, 88...93) == nil)
    let second = try #require(at27(st, 88...93))
    #expect((second.pValue ?? 1) <= 0.05)
    // Its numbers are the full data's.
    let inside = cases.filter {
      second.locations.contains(Int($0.location)) && (second.startDay...second.endDay).contains(Int($0.day))
    }
    #expect(second.observed == inside.reduce(0) { $0 + Int($1.count) })
    for (i, a) in st.clusters.enumerated() {
      for b in st.clusters[(i + 1)...] {
        let sameDays = a.startDay <= b.endDay && b.startDay <= a.endDay
        #expect(!(sameDays && !Set(a.locations).isDisjoint(with: b.locations)))
      }
    }
    #expect(st.clusters.map(\.llr) == st.clusters.map(\.llr).sorted(by: >))
  }

  /// The space-time passes' rescans look only above the `maxClusters`-th
  /// kept window: the clusters are those of full rescans, on grids with
  /// outbreaks that recur at a place, for several limits; at most the limit
  /// are reported, strongest first.
  @Test func prunedRescansKeepTheClusters() throws {
    for trial in 0..<6 {
      let (x, y, background) = poissonGrid(side: 7, days: 90, rate: 0.25, seed: 40 + UInt64(trial))
      var cases = background
      let rng = GSLRandom(seed: 70 + UInt64(trial))
      for _ in 0..<6 {
        let z = rng.uniformInt(49), d = rng.uniformInt(85)
        for k in 0..<3 { cases.append(.init(location: z, day: d + k, count: 2 + rng.uniformInt(4))) }
      }
      var p = scanParameters(radiusKm: 1.5, maxDays: 5, replicates: 0, maxClusters: [2, 4, 20][trial % 3])
      p.secondaryOverlap = .spaceTime
      let pruned = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: 90, cases: cases)
      p.pruneRescans = false
      let full = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: 90, cases: cases)
      #expect(pruned.clusters == full.clusters, "trial \(trial)")
      #expect(pruned.clusters.count <= p.maxClusters)
      #expect(pruned.clusters.count >= min(p.maxClusters, 3), "trial \(trial)")
      #expect(pruned.clusters.map(\.llr) == pruned.clusters.map(\.llr).sorted(by: >))
    }
  }

  /// The observed maximum equals a brute-force search over every circle and
  /// window (the scan's pruning only skips windows that cannot win), on
  /// random data sets from sparse to dense, both analyses, windows of 1 to
  /// 14 days (the retrospective scan's blocks are as long as the longest
  /// window).
  @Test func prunedScanFindsTheBruteForceMaximum() throws {
    let rng = GSLRandom(seed: 11)
    for trial in 0..<24 {
      let n = 25, days = 20 + trial % 3 * 30
      let x = (0..<n).map { _ in rng.uniform() * 6 }, y = (0..<n).map { _ in rng.uniform() * 6 }
      let rate = [0.02, 0.1, 0.5, 1.5][trial % 4]
      var cases: [SpaceTimeScan.Case] = []
      for z in 0..<n {
        for d in 0..<days {
          let k = rng.poisson(rate * (z % 5 == 0 ? 2 : 1))
          if k > 0 { cases.append(.init(location: z, day: d, count: k)) }
        }
      }
      guard cases.count >= 3 else { continue }
      var p = scanParameters(radiusKm: 2.5, maxDays: [7, 3, 14, 1][trial / 4 % 4], replicates: 0)
      p.analysis = trial % 2 == 0 ? .retrospective : .prospective
      let got = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: days, cases: cases).clusters.first?.llr ?? 0
      #expect(abs(got - bruteForceMax(x: x, y: y, days: days, cases: cases, p)) < 1e-9, "trial \(trial)")
    }
  }

  private func bruteForceMax(x: [Double], y: [Double], days: Int, cases: [SpaceTimeScan.Case], _ p: SpaceTimeScan.Parameters) -> Double {
    let n = x.count
    var cell = [Double](repeating: 0, count: n * days)
    var loc = [Double](repeating: 0, count: n), day = [Double](repeating: 0, count: days)
    for c in cases {
      cell[Int(c.location) * days + Int(c.day)] += Double(c.count)
      loc[Int(c.location)] += Double(c.count)
      day[Int(c.day)] += Double(c.count)
    }
    let C = loc.reduce(0, +)
    var best = 0.0
    for centre in 0..<n {
      let order = (0..<n).sorted {
        let a = hypot(x[$0] - x[centre], y[$0] - y[centre]), b = hypot(x[$1] - x[centre], y[$1] - y[centre])
        return a != b ? a < b : $0 < $1
      }
      var members: [Int] = []
      var share = 0.0
      for z in order {
        if hypot(x[z] - x[centre], y[z] - y[centre]) > p.maxRadiusKm * (1 + 1e-12) { break }
        share += loc[z]
        if share > p.maxShare * C * (1 + 1e-12) { break }
        members.append(z)
        let nz = members.reduce(0.0) { $0 + loc[$1] }
        for t1 in 0..<days {
          for t2 in t1..<min(days, t1 + p.maxDays) {
            if p.analysis == .prospective && t2 != days - 1 { continue }
            var c = 0.0, d = 0.0
            for t in t1...t2 {
              d += day[t]
              for z in members { c += cell[z * days + t] }
            }
            let mu = nz * d / C
            guard c >= Double(p.minCases), c > mu else { continue }
            var llr = c * log(c / mu)
            if c < C { llr += (C - c) * log((C - c) / (C - mu)) }
            best = max(best, llr)
          }
        }
      }
    }
    return best
  }

  /// Sequential Monte Carlo stops on both sides: a strong planted cluster
  /// (no replicate reaches it, Gumbel p far below any threshold) and a null
  /// data set (many replicates reach it) both stop before 999 replicates,
  /// and the clusters reported are those of the full run.
  @Test func sequentialStopDecidesStrongAndNullEarly() throws {
    let days = 60
    let (x, y, null) = poissonGrid(side: 10, days: days, rate: 0.2, seed: 5)
    var strong = null
    for z in [44, 45, 54] { for d in 40..<44 { strong.append(.init(location: z, day: d, count: 4)) } }
    var p = scanParameters(radiusKm: 1.5, maxDays: 10, replicates: 999, maxClusters: 1)
    let full = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: days, cases: strong)
    p.earlyStopExceedances = 50
    let early = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: days, cases: strong)
    #expect(early.replicateMaxima.count < 999)
    #expect(early.replicateMaxima == Array(full.replicateMaxima.prefix(early.replicateMaxima.count)))
    #expect(early.clusters.map(\.llr) == full.clusters.map(\.llr))
    #expect(early.clusters.map(\.locations) == full.clusters.map(\.locations))
    #expect((early.clusters.first?.gumbelPValue ?? 1) < 1e-7)
    let n = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: days, cases: null)
    #expect(n.replicateMaxima.count < 999)
    #expect((n.clusters.first?.pValue ?? 1) > 0.05)
  }

  /// Cells of a side × side grid 1 km apart, with Poisson(rate) cases per cell and day.
  /// Scan parameters with these circles, windows, replicates and clusters
  /// (the rest SpaceTimeScan's defaults).
  private func scanParameters(radiusKm: Double, maxDays: Int, replicates: Int, maxClusters: Int = 10)
    -> SpaceTimeScan.Parameters
  {
    var p = SpaceTimeScan.Parameters()
    p.maxRadiusKm = radiusKm
    p.maxDays = maxDays
    p.replicates = replicates
    p.maxClusters = maxClusters
    return p
  }

  private func poissonGrid(side: Int, days: Int, rate: Double, seed: UInt64)
    -> (x: [Double], y: [Double], cases: [SpaceTimeScan.Case])
  {
    let x = (0..<side * side).map { Double($0 % side) }, y = (0..<side * side).map { Double($0 / side) }
    let rng = GSLRandom(seed: seed)
    var cases: [SpaceTimeScan.Case] = []
    for z in 0..<side * side {
      for d in 0..<days {
        let n = rng.poisson(rate)
        if n > 0 { cases.append(.init(location: z, day: d, count: n)) }
      }
    }
    return (x, y, cases)
  }

  @Test func rejectsInvalidInput() {
    let scan = SpaceTimeScan(parameters: .init())
    #expect(throws: SpaceTimeScan.ScanError.self) {
      try scan.run(x: [0], y: [0], days: 2, cases: [.init(location: 1, day: 0)])
    }
    var p = SpaceTimeScan.Parameters()
    p.model = .poisson
    #expect(throws: SpaceTimeScan.ScanError.self) {
      try SpaceTimeScan(parameters: p).run(x: [0], y: [0], days: 2, cases: [.init(location: 0, day: 0)])
    }
  }
}
