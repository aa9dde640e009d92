import Foundation

/// Kulldorff's space-time scan statistic with cylindrical windows over
/// location centroids, as SaTScan computes it.
///
/// A window is a circle (a centroid and its nearest neighbours, up to a
/// maximum radius and a maximum share of the cases) times an interval of days
/// (up to a maximum length). For high rates, each window with observed `c`
/// above expected `μ` scores the log-likelihood ratio
///
///     LLR = c ln(c/μ) + (C − c) ln((C − c)/(C − μ))
///
/// and the most likely cluster is the window with the largest LLR. Two models
/// give μ:
///
/// - **Space-time permutation** (no population needed): μ = C_z · C_d / C,
///   summed over the window, from the location totals C_z and day totals C_d.
///   Replicates permute the days among the cases, keeping both margins.
/// - **Poisson**: μ from a given expected count per location and day (a
///   population × time, or a baseline), rescaled to the total; replicates
///   draw the C cases from those expectations.
///
/// Monte Carlo inference: `replicates` (≥ 999 by default) data sets under the
/// null, each scanned the same way; a cluster's p-value is
/// (1 + #replicate maxima ≥ its LLR) / (1 + replicates). Prospective analyses
/// only consider windows that end on the last day and report a recurrence
/// interval of 1/p days (one analysis per day).
///
/// Secondary clusters follow SaTScan's "no geographical overlap": the best
/// window of every centroid, ordered by LLR, kept when it shares no location
/// with a cluster kept before it.
///
/// Speed: neighbour lists are sorted by distance once; a circle grows one
/// neighbour at a time (its daily counts are sums of rows); only windows that
/// start and end on days with cases are scored (any other window is beaten by
/// the one shrunk to its first and last case day: same c, smaller μ), upper
/// bounds skip whole groups of windows (retrospective) and most logarithms,
/// and replicates run on several threads,
/// each replicate with its own generator seeded from (seed, replicate), so the
/// result does not depend on the number of threads.
///
/// Reference: M. Kulldorff, R. Heffernan, J. Hartman, R. Assunção,
/// F. Mostashari, "A space-time permutation scan statistic for disease
/// outbreak detection", *PLoS Medicine* 2(3):e59, 2005; M. Kulldorff,
/// "Prospective time periodic geographical disease surveillance using a scan
/// statistic", *JRSS A* 164(1), 2001; SaTScan User Guide v10.
public struct SpaceTimeScan: Sendable {
  public enum Model: String, Sendable, Codable { case spaceTimePermutation = "space_time_permutation", poisson }
  public enum Analysis: String, Sendable, Codable { case retrospective, prospective }
  /// Which secondary clusters may be reported besides the ones before them.
  /// `.geographical`: none sharing a location (SaTScan's default; over a
  /// long period a location then has one cluster at most). `.spaceTime`:
  /// none sharing a location on a common day, so one place can have several
  /// clusters at different times.
  public enum SecondaryOverlap: String, Sendable, Codable { case geographical, spaceTime = "space_time" }

  /// Parameters of a scan (SaTScan's names in comments).
  public struct Parameters: Sendable {
    public var model: Model = .spaceTimePermutation
    public var analysis: Analysis = .retrospective
    /// Maximum circle radius in km ("Maximum Spatial Cluster Size … km").
    public var maxRadiusKm: Double = .infinity
    /// Maximum share of all cases (permutation) or of all expected cases
    /// (Poisson) inside a circle ("… percent of population at risk" / 100).
    public var maxShare: Double = 0.5
    /// Maximum and minimum temporal window, in days.
    public var maxDays: Int = 7
    public var minDays: Int = 1
    /// "Minimum Cases in Cluster for High Rates".
    public var minCases: Int = 2
    /// Monte Carlo replicates (999 is SaTScan's default; 0 skips inference).
    public var replicates: Int = 999
    public var seed: UInt64 = 20_251_122
    /// Threads for the replicates (the result does not depend on it).
    public var threads: Int = 2
    /// Sequential Monte Carlo (0: always run all replicates, as SaTScan's
    /// standard Monte Carlo does): replicates stop once every cluster to
    /// report is decided, either reached by this many replicate maxima (its
    /// p-value is then about this many / replicates run or more) or reached by
    /// none with a Gumbel p-value below 1e-7.
    public var earlyStopExceedances: Int = 0
    /// At most this many clusters (primary + secondary) are reported.
    public var maxClusters: Int = 10
    /// Secondary clusters: no shared location (SaTScan's "no geographical
    /// overlap", the default), or no shared location on a common day.
    public var secondaryOverlap: SecondaryOverlap = .geographical
    /// Earth radius for latitude/longitude distances (SaTScan uses 6367 km).
    public var earthRadiusKm: Double = 6367
    /// Whether the space-time passes' rescans skip windows no stronger than
    /// the `maxClusters`-th kept (they cannot be kept). Only a test turns it
    /// off, to check that this changes nothing.
    var pruneRescans = true

    public init() {}
  }

  /// The sequential Monte Carlo stopping rule of `earlyStopExceedances`:
  /// whether every cluster (LLRs `targets`) is decided by the replicate
  /// maxima so far (reached by `h` of them, or by none with a Gumbel p-value
  /// below 1e-7). Callers that run a scan's replicates in rounds use it.
  public static func replicatesDecided(_ targets: [Double], maxima: [Double], h: Int) -> Bool {
    Kernel.decided(targets, maxima: maxima[...], h: h)
  }

  /// A cluster's Monte Carlo p-value, (replicate maxima ≥ llr + 1) /
  /// (replicates + 1), and its Gumbel p-value (the maxima fitted by moments,
  /// P(max ≥ llr); from 10 replicates on): how a scan computes them, for
  /// callers that run a scan's replicates in rounds.
  public static func pValues(llr: Double, maxima: [Double]) -> (monteCarlo: Double?, gumbel: Double?) {
    guard !maxima.isEmpty else { return (nil, nil) }
    let reached = maxima.lazy.filter { $0 >= llr - 1e-9 }.count
    let gumbel = maxima.count >= 10 ? gumbelTail(llr, gumbelFit(maxima[...])) : nil
    return (Double(reached + 1) / Double(maxima.count + 1), gumbel)
  }

  /// A Gumbel distribution fitted to replicate maxima by moments (SaTScan's
  /// Gumbel approximation).
  static func gumbelFit(_ maxima: ArraySlice<Double>) -> (mode: Double, beta: Double) {
    let n = Double(maxima.count)
    let m = maxima.reduce(0, +) / n
    let v = maxima.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
    let beta = max(v.squareRoot() * 6.0.squareRoot() / .pi, 1e-12)
    return (m - 0.5772156649015329 * beta, beta)
  }

  /// P(max ≥ llr) under a fitted Gumbel distribution.
  static func gumbelTail(_ llr: Double, _ fit: (mode: Double, beta: Double)) -> Double {
    -expm1(-Foundation.exp(-(llr - fit.mode) / fit.beta))
  }

  /// The seed under which a scan's replicates 0, 1, … are replicates
  /// `first`, `first` + 1, … of a scan seeded `seed` (replicate r is seeded
  /// from seed + (r + 1) · 0x9E3779B97F4A7C15): a scan can be continued in
  /// rounds with the same replicates as one run.
  public static func seed(_ seed: UInt64, continuingAtReplicate first: Int) -> UInt64 {
    seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(first)
  }

  /// Cases at one location on one day.
  public struct Case: Sendable, Hashable {
    public var location: Int32
    public var day: Int32
    public var count: Int32
    public init(location: Int, day: Int, count: Int = 1) {
      self.location = Int32(location)
      self.day = Int32(day)
      self.count = Int32(count)
    }
  }

  /// One reported cluster.
  public struct Cluster: Sendable, Codable, Hashable {
    /// Index of the centroid location.
    public var center: Int
    /// Location indices in the circle, nearest first (the centre first).
    public var locations: [Int]
    /// Distance from the centre to the farthest location, km.
    public var radiusKm: Double
    /// First and last day of the window (0-based, inclusive).
    public var startDay: Int
    public var endDay: Int
    public var observed: Int
    public var expected: Double
    /// Observed / expected inside the window.
    public var observedOverExpected: Double
    /// Relative risk: (c/μ) / ((C − c)/(C − μ)).
    public var relativeRisk: Double
    /// The log-likelihood ratio (SaTScan's "test statistic").
    public var llr: Double
    /// Monte Carlo p-value (nil without replicates).
    public var pValue: Double?
    /// Gumbel approximation of the p-value (SaTScan's "Gumbel based
    /// p-values"): the replicate maxima fitted by moments, P(max ≥ llr).
    /// It resolves p-values below 1/(replicates + 1).
    public var gumbelPValue: Double?
    /// Prospective only: 1 / p days (one analysis per day).
    public var recurrenceIntervalDays: Double?
  }

  public struct Result: Sendable {
    public var clusters: [Cluster]
    /// The largest LLR of each replicate, in replicate order.
    public var replicateMaxima: [Double]
    public var totalCases: Int
  }

  public enum ScanError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
      switch self { case .invalid(let m): "invalid scan input: \(m)" }
    }
  }

  public let parameters: Parameters
  public init(parameters: Parameters) { self.parameters = parameters }

  // MARK: - Entry point

  /// Scans `cases` over `days` days at locations given by latitude/longitude
  /// (degrees). For the Poisson model pass `expected`, a row-major matrix
  /// [location × day] of non-negative expectations (any scale).
  public func run(
    latitudes: [Double], longitudes: [Double], days: Int, cases: [Case], expected: [Double]? = nil
  ) throws -> Result {
    let n = latitudes.count
    guard longitudes.count == n, n > 0 else { throw ScanError.invalid("no locations or coordinate counts differ") }
    let r = parameters.earthRadiusKm
    let xyz = (0..<n).map { i -> SIMD3<Double> in
      let la = latitudes[i] * .pi / 180, lo = longitudes[i] * .pi / 180
      return SIMD3(r * cos(la) * cos(lo), r * cos(la) * sin(lo), r * sin(la))
    }
    return try run(points: xyz, days: days, cases: cases, expected: expected, sphereRadius: r)
  }

  /// Scans with planar (x, y) coordinates in km.
  public func run(x: [Double], y: [Double], days: Int, cases: [Case], expected: [Double]? = nil) throws -> Result {
    guard x.count == y.count, !x.isEmpty else { throw ScanError.invalid("no locations or coordinate counts differ") }
    let pts = zip(x, y).map { SIMD3($0, $1, 0) }
    return try run(points: pts, days: days, cases: cases, expected: expected, sphereRadius: nil)
  }

  // MARK: - Setup

  private func run(
    points: [SIMD3<Double>], days: Int, cases: [Case], expected: [Double]?, sphereRadius: Double?
  ) throws -> Result {
    let p = parameters
    let nLoc = points.count
    guard days > 0 else { throw ScanError.invalid("no days") }
    guard p.maxDays >= p.minDays, p.minDays >= 1 else { throw ScanError.invalid("temporal window") }
    var locTotal = [Int](repeating: 0, count: nLoc)
    var dayTotal = [Int](repeating: 0, count: days)
    var total = 0
    for c in cases {
      guard c.location >= 0, Int(c.location) < nLoc, c.day >= 0, Int(c.day) < days, c.count >= 0 else {
        throw ScanError.invalid("case outside the locations or the study period")
      }
      locTotal[Int(c.location)] += Int(c.count)
      dayTotal[Int(c.day)] += Int(c.count)
      total += Int(c.count)
    }
    guard total > 0 else {
      return Result(clusters: [], replicateMaxima: [], totalCases: 0)
    }
    var exp: [Double] = []
    if p.model == .poisson {
      guard let e = expected, e.count == nLoc * days else {
        throw ScanError.invalid("the Poisson model needs expected counts for every location and day")
      }
      let s = e.reduce(0, +)
      guard s > 0, e.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw ScanError.invalid("expected counts") }
      exp = e.map { $0 * Double(total) / s }
    }

    // Size of each location for the maximum share: cases or expected.
    let size: [Double]
    if p.model == .poisson {
      size = (0..<nLoc).map { z in (0..<days).reduce(0.0) { $0 + exp[z * days + $1] } }
    } else {
      size = locTotal.map(Double.init)
    }
    let sizeCap = p.maxShare * Double(total) * (1 + 1e-12)

    // Neighbour lists: sorted by distance (then index), cut by radius and share.
    var nbStart = [Int](repeating: 0, count: nLoc + 1)
    var nbIndex: [Int32] = []
    var nbDist: [Double] = []
    var order: [Int] = []
    order.reserveCapacity(nLoc)
    var dist = [Double](repeating: 0, count: nLoc)
    let radiusCap = p.maxRadiusKm * (1 + 1e-12)
    for i in 0..<nLoc {
      // Only the locations within the radius are sorted.
      order.removeAll(keepingCapacity: true)
      for j in 0..<nLoc {
        let d = points[i] - points[j]
        dist[j] = (d * d).sum().squareRoot()
        if dist[j] <= radiusCap { order.append(j) }
      }
      order.sort { dist[$0] < dist[$1] || (dist[$0] == dist[$1] && $0 < $1) }
      var acc = 0.0
      for j in order {
        acc += size[j]
        if acc > sizeCap { break }
        nbIndex.append(Int32(j))
        nbDist.append(dist[j])
      }
      nbStart[i + 1] = nbIndex.count
    }
    let kernel = Kernel(
      nLoc: nLoc, days: days, total: total, locTotal: locTotal, dayTotal: dayTotal, expected: exp,
      nbStart: nbStart, nbIndex: nbIndex, parameters: p)

    // Observed data.
    var observed = Kernel.Data(nLoc: nLoc, days: days)
    let caseLocations = cases.map(\.location), caseDays = cases.map(\.day), caseCounts = cases.map(\.count)
    observed.fill(n: cases.count, locations: caseLocations, days: caseDays, counts: caseCounts)
    var scratch = Kernel.Scratch(kernel)
    var best = [Kernel.Window](repeating: .none, count: nLoc)
    let observedMax = best.withUnsafeMutableBufferPointer { b in
      kernel.scan(data: observed, scratch: &scratch, perCenter: b)
    }

    // The clusters to report: per-centre best, by LLR, without geographical
    // (or space-time) overlap.
    let chosen =
      p.secondaryOverlap == .geographical
      ? Self.withoutOverlap(best: best, nbStart: nbStart, nbIndex: nbIndex, limit: p.maxClusters, spaceTime: false)
      : spaceTimeClusters(
        best: best, kernel: kernel, scratch: &scratch, cases: cases, nbStart: nbStart, nbIndex: nbIndex,
        days: days, limit: p.maxClusters)

    // Replicates.
    let maxima =
      observedMax > 0 ? kernel.replicates(cases: cases, targets: chosen.map(\.window.llr)) : []

    var clusters: [Cluster] = []
    let sortedMax = maxima.sorted()
    let gumbelFit = maxima.count >= 10 ? SpaceTimeScan.gumbelFit(maxima[...]) : (mode: 0, beta: 1)
    for (c, locs, w) in chosen {
      var radius = nbDist[nbStart[c] + w.k - 1]
      if let R = sphereRadius { radius = 2 * R * asin(min(1, radius / (2 * R))) }
      let C = Double(total), o = Double(w.c)
      var pValue: Double? = nil
      if !maxima.isEmpty {
        // number of replicate maxima >= llr (binary search on sorted maxima)
        var lo = 0, hi = sortedMax.count
        while lo < hi {
          let mid = (lo + hi) / 2
          if sortedMax[mid] >= w.llr - 1e-9 { hi = mid } else { lo = mid + 1 }
        }
        pValue = Double(sortedMax.count - lo + 1) / Double(sortedMax.count + 1)
      }
      let gumbel = maxima.count >= 10 ? SpaceTimeScan.gumbelTail(w.llr, gumbelFit) : nil
      let rr = o < C ? (o / w.mu) / ((C - o) / (C - w.mu)) : .infinity
      clusters.append(
        Cluster(
          center: c, locations: locs, radiusKm: radius, startDay: w.t1, endDay: w.t2, observed: w.c,
          expected: w.mu, observedOverExpected: o / w.mu, relativeRisk: rr, llr: w.llr, pValue: pValue,
          gumbelPValue: gumbel,
          recurrenceIntervalDays: p.analysis == .prospective ? pValue.map { 1 / $0 } : nil))
    }
    return Result(clusters: clusters, replicateMaxima: maxima, totalCases: total)
  }
  /// A cluster chosen to report: its centre, its circle's locations
  /// (nearest first) and its window.
  typealias Chosen = (center: Int, locations: [Int], window: Kernel.Window)

  /// The per-centre best windows `best`, by LLR (ties: fewer locations, then
  /// the lower centre), each kept when it does not overlap one kept before
  /// it: shares no location (`spaceTime` false, SaTScan's "no geographical
  /// overlap"), or shares no location on a common day (`spaceTime`), among
  /// `kept` and the ones kept here; at most `limit` in all, or (`spaceTime`)
  /// each only while it is among the strongest `limit` of them.
  static func withoutOverlap(
    best: [Kernel.Window], nbStart: [Int], nbIndex: [Int32], limit: Int, spaceTime: Bool, kept: [Chosen] = []
  ) -> [Chosen] {
    let ranked = best.indices.filter { best[$0].llr > 0 }.sorted {
      let a = best[$0], b = best[$1]
      if a.llr != b.llr { return a.llr > b.llr }
      if a.k != b.k { return a.k < b.k }
      return $0 < $1
    }
    var chosen = kept
    var used = Set<Int>()
    if !spaceTime { for k in kept { used.formUnion(k.locations) } }
    // Space-time: the LLRs kept before, strongest first. The candidates come
    // strongest first, so the first one with `limit` kept at least as strong
    // ends the search.
    let keptLLR = kept.map(\.window.llr).sorted(by: >)
    var keptHere = 0
    for c in ranked {
      let w = best[c]
      if spaceTime {
        var stronger = 0
        while stronger < keptLLR.count && keptLLR[stronger] >= w.llr { stronger += 1 }
        if keptHere + stronger >= limit { break }
      } else if chosen.count >= limit {
        break
      }
      let locs = (nbStart[c]..<(nbStart[c] + w.k)).map { Int(nbIndex[$0]) }
      if spaceTime {
        let clash = chosen.contains { k in
          k.window.t1 <= w.t2 && w.t1 <= k.window.t2 && locs.contains(where: k.locations.contains)
        }
        if clash { continue }
        keptHere += 1
      } else {
        if locs.contains(where: used.contains) { continue }
        used.formUnion(locs)
      }
      chosen.append((c, locs, w))
    }
    return Array(chosen[kept.count...])
  }

  /// Clusters without space-time overlap: the per-centre best windows kept
  /// as in ``withoutOverlap(best:nbStart:nbIndex:limit:spaceTime:kept:)``,
  /// then the data scanned again without the cases inside the kept windows,
  /// so that a location's best window at another time can come forward, and
  /// so on until a scan adds no cluster (at most `limit` scans); the
  /// strongest `limit` are returned. A window
  /// that overlaps no kept one holds none of the removed cases, so its count,
  /// expectation and LLR are those of the full data.
  private func spaceTimeClusters(
    best: [Kernel.Window], kernel: Kernel, scratch: inout Kernel.Scratch, cases: [Case], nbStart: [Int],
    nbIndex: [Int32], days: Int, limit: Int
  ) -> [Chosen] {
    let nLoc = best.count
    // Every pass keeps the windows among the strongest `limit` so far (a
    // later pass can bring forward windows stronger than a first pass's
    // weakest); the strongest `limit` are reported. The weaker ones would not
    // be, and neither do their cases leave the data.
    var chosen = Self.withoutOverlap(best: best, nbStart: nbStart, nbIndex: nbIndex, limit: limit, spaceTime: true)
    var data = Kernel.Data(nLoc: nLoc, days: days)
    // A centre's best window changes only when its circle loses cases: each
    // pass rescans the centres whose circles hold an area of a cluster kept
    // by the pass before (the others keep their window, which a rescan
    // would find again, and which was kept or turned down already).
    var perCenter = best
    var added = chosen
    // The cases outside every kept window, narrowed by each pass's new ones.
    var rest = cases
    var rounds = 1
    while rounds < limit {
      var touched = [Bool](repeating: false, count: nLoc)
      for k in added { for z in k.locations { touched[z] = true } }
      let rescan = (0..<nLoc).map { c in
        (nbStart[c]..<nbStart[c + 1]).contains { touched[Int(nbIndex[$0])] }
      }
      // The new windows' days per location, as a bitmap over the days.
      var removed = [[Bool]?](repeating: nil, count: nLoc)
      for k in added {
        for z in k.locations {
          if removed[z] == nil { removed[z] = [Bool](repeating: false, count: days) }
          for d in k.window.t1...k.window.t2 { removed[z]![d] = true }
        }
      }
      rest.removeAll { c in removed[Int(c.location)]?[Int(c.day)] ?? false }
      let locations = rest.map(\.location), caseDays = rest.map(\.day), counts = rest.map(\.count)
      data.fill(n: rest.count, locations: locations, days: caseDays, counts: counts)
      for i in perCenter.indices where rescan[i] { perCenter[i] = .none }
      // Only windows stronger than the `limit`-th kept can be kept: the
      // rescan looks for nothing weaker.
      let llrs = chosen.map(\.window.llr).sorted(by: >)
      let floor = llrs.count >= limit && parameters.pruneRescans ? llrs[limit - 1] : 0
      let top = perCenter.withUnsafeMutableBufferPointer { b in
        kernel.scan(data: data, scratch: &scratch, perCenter: b, only: rescan, floor: floor)
      }
      rounds += 1
      guard top > 0 else { break }
      let more = Self.withoutOverlap(
        best: perCenter, nbStart: nbStart, nbIndex: nbIndex, limit: limit, spaceTime: true, kept: chosen)
      if more.isEmpty { break }
      chosen += more
      added = more
    }
    // Strongest first, as a single pass would list them.
    let sorted = chosen.sorted {
      $0.window.llr != $1.window.llr ? $0.window.llr > $1.window.llr : $0.center < $1.center
    }
    return Array(sorted.prefix(limit))
  }
}

// MARK: - Kernel

/// The scanning loop, shared by the observed data and the replicates.
struct Kernel: Sendable {
  struct Window {
    var llr: Double
    var k: Int
    var t1: Int
    var t2: Int
    var c: Int
    var mu: Double
    static let none = Window(llr: 0, k: 0, t1: 0, t2: 0, c: 0, mu: 0)
  }

  /// One data set in scanning form: per location, its case days in
  /// ascending order with their counts (entries start[z]..<start[z + 1]),
  /// contiguous so that growing a circle reads memory in order.
  struct Data {
    var start: [Int32]
    var day: [Int32]
    var count: [Int32]
    /// Building buffers: cases per location, the cases grouped by location,
    /// a day histogram and its bitmap.
    private var offset: [Int32]
    private var grouped: [Int32]
    private var histogram: [Int32]
    private var seen: [UInt64]

    init(nLoc: Int, days: Int) {
      start = .init(repeating: 0, count: nLoc + 1)
      day = []
      count = []
      offset = .init(repeating: 0, count: nLoc + 1)
      grouped = []
      histogram = .init(repeating: 0, count: days)
      seen = .init(repeating: 0, count: (days + 63) / 64)
    }

    /// Fills the data from `n` cases: case i is `counts?[i] ?? 1` cases at
    /// location `locations[i]` on day `days[i]` (repeats add up).
    mutating func fill(
      n: Int, locations: UnsafePointer<Int32>, days: UnsafePointer<Int32>, counts: UnsafePointer<Int32>?
    ) {
      let nLoc = start.count - 1
      // Group the cases by location (counting sort).
      for z in 0...nLoc { offset[z] = 0 }
      for i in 0..<n { offset[Int(locations[i]) + 1] &+= 1 }
      for z in 0..<nLoc { offset[z + 1] &+= offset[z] }
      if grouped.count < n { grouped = .init(repeating: 0, count: n) }
      for i in 0..<n {
        let z = Int(locations[i])
        grouped[Int(offset[z])] = Int32(i)
        offset[z] &+= 1
      }
      // Per location, a histogram of its days read back in day order.
      day.removeAll(keepingCapacity: true)
      count.removeAll(keepingCapacity: true)
      var from = 0
      for z in 0..<nLoc {
        start[z] = Int32(day.count)
        let to = Int(offset[z])
        for g in from..<to {
          let i = Int(grouped[g])
          let t = Int(days[i])
          histogram[t] &+= counts.map { $0[i] } ?? 1
          seen[t >> 6] |= 1 &<< UInt64(t & 63)
        }
        from = to
        for wi in 0..<seen.count {
          var bits = seen[wi]
          if bits == 0 { continue }
          seen[wi] = 0
          while bits != 0 {
            let t = wi << 6 | bits.trailingZeroBitCount
            if histogram[t] > 0 {
              day.append(Int32(t))
              count.append(histogram[t])
            }
            histogram[t] = 0
            bits &= bits &- 1
          }
        }
      }
      start[nLoc] = Int32(day.count)
    }
  }

  /// Per-thread buffers, allocated once.
  struct Scratch {
    var window: [Int32]
    var mark: [UInt64]
    var muDay: [Double]
    var muPrefix: [Double]
    /// The case days right of a new-case day and their running sums, and
    /// the case days left of it (down to the earliest start) and theirs.
    var rightDay: [Int32]
    var rightSum: [Int32]
    var leftDay: [Int32]
    var leftSum: [Int32]
    /// Per block of `maxDays` days: the circle's cases, its largest daily
    /// ratio w_t / D_t as its inverse D_t / w_t, and the logarithm of it.
    var blockSum: [Int32]
    var blockInverseRatio: [Double]
    var blockLogRatio: [Double]
    init(_ k: Kernel) {
      rightDay = .init(repeating: 0, count: k.maxDays + 1)
      rightSum = .init(repeating: 0, count: k.maxDays + 1)
      leftDay = .init(repeating: 0, count: k.maxDays + 1)
      leftSum = .init(repeating: 0, count: k.maxDays + 1)
      window = .init(repeating: 0, count: k.days)
      mark = .init(repeating: 0, count: k.words)
      muDay = .init(repeating: 0, count: k.model == .poisson ? k.days : 0)
      muPrefix = .init(repeating: 0, count: k.model == .poisson ? k.days + 1 : 0)
      blockSum = .init(repeating: 0, count: k.blocks)
      blockInverseRatio = .init(repeating: .infinity, count: k.blocks)
      blockLogRatio = .init(repeating: -.infinity, count: k.blocks)
    }
  }

  let nLoc: Int
  let days: Int
  let words: Int
  let total: Int
  let model: SpaceTimeScan.Model
  let prospective: Bool
  let maxDays: Int
  let minDays: Int
  let minCases: Int
  let replicateCount: Int
  let earlyStop: Int
  let seed: UInt64
  let threads: Int
  let locTotal: [Int]
  let expected: [Double]
  let nbStart: [Int]
  let nbIndex: [Int32]
  /// Cumulative day totals (permutation model): D[t] = cases on days < t.
  let dayPrefix: [Int]
  /// 1 / (cases on day t), 0 for days without cases.
  let inverseDayTotal: [Double]
  /// c ln c for c in 0...total, and ln n for n in 0...total.
  let cLogC: [Double]
  let logInt: [Double]
  /// D_t and ln D_t (−∞ for days without cases), and 1/n for n in 0...total.
  let dayTotalDouble: [Double]
  let logDayTotal: [Double]
  /// The same with days without cases at +∞ (D_t / w_t is then ∞ and
  /// ln w_t − ln D_t −∞, for every w_t, as for a day the circle has none on).
  let dayTotalFinite: [Double]
  let logDayTotalFinite: [Double]
  let reciprocal: [Double]
  /// Block of each day (t / maxDays) and the number of blocks.
  let dayBlock: [Int32]
  let blocks: Int

  init(
    nLoc: Int, days: Int, total: Int, locTotal: [Int], dayTotal: [Int], expected: [Double],
    nbStart: [Int], nbIndex: [Int32], parameters p: SpaceTimeScan.Parameters
  ) {
    self.nLoc = nLoc
    self.days = days
    self.words = (days + 63) / 64
    self.total = total
    self.model = p.model
    self.prospective = p.analysis == .prospective
    self.maxDays = min(p.maxDays, days)
    self.minDays = p.minDays
    self.minCases = max(1, p.minCases)
    self.replicateCount = max(0, p.replicates)
    self.earlyStop = p.earlyStopExceedances
    self.seed = p.seed
    self.threads = max(1, p.threads)
    self.locTotal = locTotal
    self.expected = expected
    self.nbStart = nbStart
    self.nbIndex = nbIndex
    var d = [Int](repeating: 0, count: days + 1)
    for t in 0..<days { d[t + 1] = d[t] + dayTotal[t] }
    self.dayPrefix = d
    self.inverseDayTotal = dayTotal.map { $0 > 0 ? 1 / Double($0) : 0 }
    self.cLogC = (0...total).map { $0 == 0 ? 0 : Double($0) * log(Double($0)) }
    self.logInt = (0...total).map { $0 == 0 ? -.infinity : log(Double($0)) }
    self.dayTotalDouble = dayTotal.map(Double.init)
    self.logDayTotal = dayTotal.map { $0 > 0 ? log(Double($0)) : -.infinity }
    self.dayTotalFinite = dayTotal.map { $0 > 0 ? Double($0) : .infinity }
    self.logDayTotalFinite = dayTotal.map { $0 > 0 ? log(Double($0)) : .infinity }
    self.reciprocal = (0...total).map { 1 / Double($0) }
    let blockDays = min(p.maxDays, days)
    self.dayBlock = (0..<days).map { Int32($0 / blockDays) }
    self.blocks = (days + blockDays - 1) / blockDays
  }

  /// Scans one data set; returns the largest LLR. With `perCenter`, records
  /// the best window of every centroid.
  ///
  /// A circle grows one neighbour at a time. A window that holds none of the
  /// new neighbour's cases keeps its count while its expectation grows, so
  /// its LLR can only fall: it was already scored, higher, in the smaller
  /// circle. Only windows holding a day with new cases are scored, each once
  /// (by the first new-case day it holds), and only windows that start and
  /// end on days with cases (shrinking a window to them keeps c and lowers
  /// μ), unless a minimum window length forbids that pruning; those days are
  /// found in the circle's bitmap of case days.
  ///
  /// Permutation model: before a circle's windows are listed, an upper bound
  /// on all of them is compared with the best LLR so far. Every window has
  /// c ≤ the circle's cases n (prospective: since the earliest start; the
  /// days before it are not even added) and c/μ ≤ r, the largest daily ratio
  /// w_t / (N_z D_t / C) (a ratio of sums is at most the largest ratio), and
  /// the LLR grows with c at a fixed ratio and falls with μ at a fixed c, so
  /// no window beats LLR(n, n/r). The bound only skips windows that could
  /// not have won: the result is the same as without it.
  ///
  /// Retrospective permutation scans (where that circle bound rarely
  /// decides: a year of cases is many) bound each new-case day's group of
  /// windows instead, by the same LLR(c, c/r) with c and r taken over the
  /// days the group can reach. The days are cut into blocks as long as the
  /// longest window, whose cases, largest ratio w_t / D_t and its logarithm
  /// are kept as the circle grows; every window holding day d lies in blocks
  /// (b − 1, b) or (b, b + 1) of d's block b, so two block-pair bounds come
  /// first. A group that passes them is bounded again by the most cases of
  /// any of its windows and the largest ratio within its reach, both read
  /// from the circle's daily counts (a sliding sum over at most 2 × maxDays
  /// days, without branches), and only then are its case days listed and
  /// its windows scored.
  ///
  /// With `perCenter`, each centre's best window is written there (`.none`
  /// for a centre without one); `only` limits the scan to some centres, and
  /// a centre's best only counts above `floor` (the bounds then prune from
  /// there: a caller that needs no window at or below it saves that work).
  func scan(
    data: Data, scratch s: inout Scratch, perCenter: UnsafeMutableBufferPointer<Window>?, only: [Bool]? = nil,
    floor: Double = 0
  ) -> Double {
    let C = Double(total)
    let inverseC = 1 / C
    let logC = log(C)
    var globalBest = 0.0
    let T = days
    let W = words
    let L = maxDays
    let lastDay = T - 1
    let dense = minDays > 1
    let poisson = model == .poisson
    let firstStart = prospective ? max(0, lastDay - L + 1) : 0
    // Retrospective permutation scans bound each group of windows first.
    let grouped = !poisson && !prospective && !dense
    let nBlocks = blocks
    data.start.withUnsafeBufferPointer { caseStart in
    data.day.withUnsafeBufferPointer { caseDay in
    data.count.withUnsafeBufferPointer { caseCount in
    s.window.withUnsafeMutableBufferPointer { w in
    s.mark.withUnsafeMutableBufferPointer { mark in
    s.muDay.withUnsafeMutableBufferPointer { muDay in
    s.muPrefix.withUnsafeMutableBufferPointer { muPre in
    s.rightDay.withUnsafeMutableBufferPointer { rDay in
    s.rightSum.withUnsafeMutableBufferPointer { rSum in
    s.leftDay.withUnsafeMutableBufferPointer { lDay in
    s.leftSum.withUnsafeMutableBufferPointer { lSum in
    s.blockSum.withUnsafeMutableBufferPointer { bSum in
    s.blockInverseRatio.withUnsafeMutableBufferPointer { bInverse in
    dayTotalDouble.withUnsafeBufferPointer { dTotal in
    reciprocal.withUnsafeBufferPointer { recip in
    s.blockLogRatio.withUnsafeMutableBufferPointer { bLogRatio in
    logDayTotal.withUnsafeBufferPointer { lnD in
    dayTotalFinite.withUnsafeBufferPointer { dFinite in
    logDayTotalFinite.withUnsafeBufferPointer { lnDFinite in
    dayBlock.withUnsafeBufferPointer { dBlock in
    cLogC.withUnsafeBufferPointer { cl in
    logInt.withUnsafeBufferPointer { li in
    dayPrefix.withUnsafeBufferPointer { D in
    inverseDayTotal.withUnsafeBufferPointer { invD in
    expected.withUnsafeBufferPointer { ex in
      for center in 0..<nLoc {
        if let only, !only[center] { continue }
        var best = perCenter == nil ? globalBest : floor
        var bestWindow = Window.none
        if poisson { for t in 0..<T { muDay[t] = 0 } }
        var nz = 0
        var circleCases = 0
        // The largest w_t / D_t of the circle (it only grows as the circle does).
        var ratioMax = 0.0
        let start = nbStart[center], end = nbStart[center + 1]
        var k = 0
        for idx in start..<end {
          k += 1
          let z = Int(nbIndex[idx])
          nz += locTotal[z]
          let row = z * T
          // Add the neighbour's cases (its case days are caseDay[e0..<e1],
          // ascending); a prospective scan only needs the days from the
          // earliest start on.
          var e0 = Int(caseStart[z])
          let e1 = Int(caseStart[z + 1])
          if firstStart > 0 {
            var hi = e1
            while e0 < hi {
              let mid = (e0 + hi) >> 1
              if Int(caseDay[mid]) < firstStart { e0 = mid + 1 } else { hi = mid }
            }
          }
          for e in e0..<e1 {
            let t = Int(caseDay[e])
            let v = caseCount[e]
            mark[t >> 6] |= 1 &<< UInt64(t & 63)
            let wt = w[t] &+ v
            w[t] = wt
            circleCases &+= Int(v)
            if grouped {
              let b = Int(dBlock[t])
              bSum[b] &+= v
              bInverse[b] = min(bInverse[b], dTotal[t] * recip[Int(wt)])
              bLogRatio[b] = max(bLogRatio[b], li[Int(wt)] - lnD[t])
            } else if !poisson {
              ratioMax = max(ratioMax, Double(wt) * invD[t])
            }
          }
          if poisson {
            for t in 0..<T { muDay[t] += ex[row + t] }
            muPre[0] = 0
            for t in 0..<T { muPre[t + 1] = muPre[t] + muDay[t] }
          }
          if e0 == e1 || circleCases < minCases { continue }
          let nzOverC = Double(nz) / C
          if !poisson && !grouped {
            // The circle's bound (see above), its second term bounded by
            // ln x ≤ x − 1; ln r is only taken when the rest does not decide.
            let r = ratioMax / nzOverC
            if r <= 1 { continue }
            let n = Double(circleCases)
            let second = circleCases == total ? 0 : (C - n) * (n / r - n) / (C - n / r)
            if n * (r - 1) + second <= best { continue }
            if n * log(r) + second <= best * (1 - 1e-12) - 1e-12 { continue }
          }
          let lnNzOverC = poisson ? 0 : li[nz] - logC
          /// Upper bound on the LLR of every window with at most `c` cases
          /// whose daily ratios w_t / D_t are at most q (given as 1/q and
          /// ln q): LLR(c, c/r) with r = q C / N_z, its second term
          /// (C − c) ln((C − c)/(C − c/r)) bounded by ln x ≤ x − 1 and
          /// C − c/r ≤ C; −∞ when r ≤ 1 (no window is above expectation).
          @inline(__always) func groupBound(_ c: Int32, _ inverseQ: Double, _ lnQ: Double) -> Double {
            let inverseR = inverseQ * nzOverC
            if !(inverseR < 1) { return -.infinity }
            let cd = Double(c)
            return cd * (lnQ - lnNzOverC) - cd * (1 - inverseR) * (1 - cd * inverseC)
          }
          @inline(__always) func consider(_ c: Int, _ t1: Int, _ t2: Int) {
            if c < minCases { return }
            let mu: Double
            let lnMu: Double
            if poisson {
              mu = muPre[t2 + 1] - muPre[t1]
              if !(mu > 0) || Double(c) <= mu { return }
              lnMu = log(mu)
            } else {
              let dsum = D[t2 + 1] - D[t1]
              mu = nzOverC * Double(dsum)
              if Double(c) <= mu { return }
              lnMu = lnNzOverC + li[dsum]
            }
            let cd = Double(c)
            let head = cl[c] - cd * lnMu
            if c == total {
              if head > best { best = head; bestWindow = Window(llr: head, k: k, t1: t1, t2: t2, c: c, mu: mu) }
              return
            }
            let rest = C - cd, restMu = C - mu
            // ln(1 − x) ≤ −x bounds the second term from above.
            if head - (cd - mu) * rest / restMu <= best { return }
            let v = head + cl[total - c] - rest * log(restMu)
            if v > best { best = v; bestWindow = Window(llr: v, k: k, t1: t1, t2: t2, c: c, mu: mu) }
          }
          var prev = -1
          for e in e0..<e1 {
            let d = Int(caseDay[e])
            defer { prev = d }
            if d < firstStart { continue }
            let t1lo = max(prev + 1, d - L + 1, firstStart)
            if t1lo > d { continue }
            if prospective {
              var tail = 0
              for t in (d + 1)..<T { tail &+= Int(w[t]) }
              var cBase = 0
              var t1 = d
              while t1 >= t1lo {
                let v = Int(w[t1])
                cBase &+= v
                if (v != 0 || dense) && lastDay - t1 + 1 >= minDays { consider(cBase + tail, t1, lastDay) }
                t1 -= 1
              }
            } else if dense {
              var cBase = 0
              var t1 = d
              while t1 >= t1lo {
                cBase &+= Int(w[t1])
                var c = cBase
                let t2hi = min(lastDay, t1 + L - 1)
                var t2 = d
                while t2 <= t2hi {
                  if t2 > d { c &+= Int(w[t2]) }
                  if t2 - t1 + 1 >= minDays { consider(c, t1, t2) }
                  t2 += 1
                }
                t1 -= 1
              }
            } else if grouped {
              // Windows holding d lie in blocks (b − 1, b) or (b, b + 1)
              // (a block is as long as the longest window): skip them all
              // when neither pair's bound beats the best so far.
              let floor = best * (1 - 1e-12) - 1e-12
              let b = Int(dBlock[d])
              let b0 = max(0, b - 1), b1 = min(nBlocks - 1, b + 1)
              if groupBound(
                bSum[b0] &+ (b0 < b ? bSum[b] : 0), min(bInverse[b0], bInverse[b]),
                max(bLogRatio[b0], bLogRatio[b])) <= floor
                && groupBound(
                  bSum[b] &+ (b1 > b ? bSum[b1] : 0), min(bInverse[b1], bInverse[b]),
                  max(bLogRatio[b1], bLogRatio[b])) <= floor
              { continue }
              // The group's exact bound, read from the circle's daily
              // counts without branches: the most cases of a window
              // starting in t1lo...d and reaching as far as it may (a
              // sliding sum), and the largest daily ratio in reach (days
              // without cases give 1/q = ∞ and ln q = −∞).
              let reach = min(lastDay, d + L - 1)
              do {
                var inverseQ = Double.infinity
                var lnQ = -Double.infinity
                var run: Int32 = 0
                let hi0 = min(reach, t1lo + L - 1)
                var t = t1lo
                while t <= hi0 {
                  let v = w[t]
                  run &+= v
                  inverseQ = min(inverseQ, dFinite[t] * recip[Int(v)])
                  lnQ = max(lnQ, li[Int(v)] - lnDFinite[t])
                  t += 1
                }
                var cMax = run
                var t1 = t1lo
                while t1 < d {
                  run &-= w[t1]
                  t1 += 1
                  let t2 = t1 + L - 1
                  if t2 <= reach {
                    let v = w[t2]
                    run &+= v
                    inverseQ = min(inverseQ, dFinite[t2] * recip[Int(v)])
                    lnQ = max(lnQ, li[Int(v)] - lnDFinite[t2])
                  }
                  cMax = max(cMax, run)
                }
                if groupBound(cMax, inverseQ, lnQ) <= floor { continue }
              }
              // The case days right of d (within a window's reach) with
              // running sums, and left of it (down to t1lo).
              var nR = 0
              var sum: Int32 = 0
              if d < reach {
                var wi = (d + 1) >> 6
                var bits = mark[wi] & (~0 &<< UInt64((d + 1) & 63))
                while true {
                  while bits != 0 {
                    let t = wi << 6 | bits.trailingZeroBitCount
                    if t > reach { break }
                    let v = w[t]
                    sum &+= v
                    rDay[nR] = Int32(t)
                    rSum[nR] = sum
                    nR += 1
                    bits &= bits &- 1
                  }
                  wi += 1
                  if wi >= W || wi << 6 > reach { break }
                  bits = mark[wi]
                }
              }
              var nL = 0
              sum = 0
              var wi = d >> 6
              var bits = mark[wi] & (d & 63 == 63 ? ~0 : (1 &<< UInt64((d & 63) + 1)) &- 1)
              scanLeft: while true {
                while bits != 0 {
                  let bit = 63 - bits.leadingZeroBitCount
                  let t = wi << 6 | bit
                  if t < t1lo { break scanLeft }
                  let v = w[t]
                  sum &+= v
                  lDay[nL] = Int32(t)
                  lSum[nL] = sum
                  nL += 1
                  bits &= ~(1 &<< UInt64(bit))
                }
                if wi == 0 || (wi << 6) - 1 < t1lo { break }
                wi -= 1
                bits = mark[wi]
              }
              for i in 0..<nL {
                let t1 = Int(lDay[i])
                let cBase = Int(lSum[i])
                consider(cBase, t1, d)
                let t2hi = t1 + L - 1
                var j = 0
                while j < nR && Int(rDay[j]) <= t2hi {
                  consider(cBase + Int(rSum[j]), t1, Int(rDay[j]))
                  j += 1
                }
              }
            } else {
              // The circle's case days right of d (within a window's reach)
              // with running sums, then every case day t1 ≤ d, leftwards.
              let reach = min(lastDay, d + L - 1)
              var nR = 0
              var sum: Int32 = 0
              if d < reach {
                var wi = (d + 1) >> 6
                var bits = mark[wi] & (~0 &<< UInt64((d + 1) & 63))
                while true {
                  while bits != 0 {
                    let t = wi << 6 | bits.trailingZeroBitCount
                    if t > reach { break }
                    sum &+= w[t]
                    rDay[nR] = Int32(t)
                    rSum[nR] = sum
                    nR += 1
                    bits &= bits &- 1
                  }
                  wi += 1
                  if wi >= W || wi << 6 > reach { break }
                  bits = mark[wi]
                }
              }
              var cBase = 0
              var wi = d >> 6
              var bits = mark[wi] & (d & 63 == 63 ? ~0 : (1 &<< UInt64((d & 63) + 1)) &- 1)
              scanLeft: while true {
                while bits != 0 {
                  let bit = 63 - bits.leadingZeroBitCount
                  let t1 = wi << 6 | bit
                  if t1 < t1lo { break scanLeft }
                  cBase &+= Int(w[t1])
                  consider(cBase, t1, d)
                  let t2hi = t1 + L - 1
                  var j = 0
                  while j < nR && Int(rDay[j]) <= t2hi {
                    consider(cBase + Int(rSum[j]), t1, Int(rDay[j]))
                    j += 1
                  }
                  bits &= ~(1 &<< UInt64(bit))
                }
                if wi == 0 || (wi << 6) - 1 < t1lo { break }
                wi -= 1
                bits = mark[wi]
              }
            }
          }
        }
        if grouped {
          for b in 0..<nBlocks {
            bSum[b] = 0
            bInverse[b] = .infinity
            bLogRatio[b] = -.infinity
          }
        }
        // Reset the touched days only.
        for wi in 0..<W {
          var bits = mark[wi]
          while bits != 0 {
            w[wi << 6 | bits.trailingZeroBitCount] = 0
            bits &= bits &- 1
          }
          mark[wi] = 0
        }
        if let pc = perCenter {
          pc[center] = bestWindow
          if bestWindow.llr > globalBest { globalBest = bestWindow.llr }
        } else {
          globalBest = best
        }
      }
    }}}}}}}}}}}}}}}}}}}}}}}}}
    return globalBest
  }

  // MARK: Replicates

  /// Runs the Monte Carlo replicates; returns each replicate's maximum LLR.
  ///
  /// With `earlyStop` = h > 0, replicates run in rounds of 50 and stop once
  /// every cluster to report (LLRs `targets`) is decided (sequential Monte
  /// Carlo, Besag and Clifford 1991, on both sides):
  /// - clearly not significant: at least h replicate maxima reach its LLR
  ///   (its p-value is then about h / replicates run or more);
  /// - clearly significant: no replicate maximum reaches it and the Gumbel
  ///   tail of the maxima so far puts its p-value below `gumbelDecided`
  ///   (1e-7), far under any threshold a run's multiple-testing control sets.
  /// A cluster between the two keeps the replicates going, up to all of them.
  func replicates(cases: [SpaceTimeScan.Case], targets: [Double]) -> [Double] {
    let R = replicateCount
    guard R > 0 else { return [] }
    var ul: [Int32] = []
    var ud: [Int32] = []
    ul.reserveCapacity(total)
    ud.reserveCapacity(total)
    for c in cases {
      for _ in 0..<Int(c.count) {
        ul.append(c.location)
        ud.append(c.day)
      }
    }
    let unitLoc = ul, unitDay = ud
    let alias = model == .poisson ? AliasTable(weights: expected) : nil
    let nThreads = min(threads, R)
    var maxima = [Double](repeating: -1, count: R)
    // Rounds of a fixed size, so the stop does not depend on the thread count.
    let round = earlyStop > 0 ? 50 : R
    var done = 0
    while done < R {
      let upTo = min(R, done + round)
      let from = done
      maxima.withUnsafeMutableBufferPointer { buf in
        let out = UnsafeSendableBox(buf.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: nThreads) { thread in
          var scratch = Scratch(self)
          var data = Data(nLoc: nLoc, days: days)
          var permuted = unitDay
          var drawnLoc = [Int32](repeating: 0, count: alias == nil ? 0 : total)
          var drawnDay = drawnLoc
          for r in stride(from: from + thread, to: upTo, by: nThreads) {
            let rng = GSLRandom(seed: Kernel.replicateSeed(seed, r))
            if let alias {
              for i in 0..<total {
                let cell = alias.sample(rng)
                drawnLoc[i] = Int32(cell / days)
                drawnDay[i] = Int32(cell % days)
              }
              data.fill(n: total, locations: drawnLoc, days: drawnDay, counts: nil)
            } else {
              // Fisher–Yates shuffle of the days over the cases, from the
              // original order, so each replicate depends only on its seed.
              for i in 0..<unitDay.count { permuted[i] = unitDay[i] }
              var i = unitDay.count - 1
              while i > 0 {
                let j = rng.uniformInt(i + 1)
                permuted.swapAt(i, j)
                i -= 1
              }
              data.fill(n: unitLoc.count, locations: unitLoc, days: permuted, counts: nil)
            }
            out.value[r] = scan(data: data, scratch: &scratch, perCenter: nil)
          }
        }
      }
      done = upTo
      if earlyStop > 0 && Kernel.decided(targets, maxima: maxima[0..<done], h: earlyStop) { break }
    }
    return Array(maxima[0..<done])
  }

  static let gumbelDecided = 1e-7

  /// Whether every target LLR is decided by the maxima so far (see `replicates`).
  static func decided(_ targets: [Double], maxima: ArraySlice<Double>, h: Int) -> Bool {
    guard !targets.isEmpty else { return true }
    let fit = maxima.count >= 100 ? SpaceTimeScan.gumbelFit(maxima) : nil
    for llr in targets {
      let reached = maxima.lazy.filter { $0 >= llr - 1e-9 }.count
      if reached >= h { continue }
      if reached == 0, let fit, SpaceTimeScan.gumbelTail(llr, fit) < gumbelDecided { continue }
      return false
    }
    return true
  }

  static func replicateSeed(_ seed: UInt64, _ r: Int) -> UInt64 {
    var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(r + 1)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

struct UnsafeSendableBox<T>: @unchecked Sendable {
  let value: T
  init(_ v: T) { value = v }
}

/// Walker's alias method over non-negative weights, drawing with a GSL
/// generator's uniforms (O(1) per draw).
struct AliasTable: Sendable {
  let prob: [Double]
  let alias: [Int32]

  init(weights: [Double]) {
    let n = weights.count
    let s = weights.reduce(0, +)
    var p = weights.map { $0 * Double(n) / s }
    var al = [Int32](repeating: 0, count: n)
    var small: [Int] = [], large: [Int] = []
    for i in 0..<n { if p[i] < 1 { small.append(i) } else { large.append(i) } }
    while let l = small.popLast() {
      guard let g = large.last else { p[l] = 1; continue }
      al[l] = Int32(g)
      p[g] -= 1 - p[l]
      if p[g] < 1 {
        large.removeLast()
        small.append(g)
      }
    }
    for g in large { p[g] = 1 }
    prob = p
    alias = al
  }

  func sample(_ rng: GSLRandom) -> Int {
    let u = rng.uniform() * Double(prob.count)
    let i = min(Int(u), prob.count - 1)
    return (u - Double(i)) < prob[i] ? i : Int(alias[i])
  }
}
