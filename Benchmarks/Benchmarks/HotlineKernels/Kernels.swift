import Benchmark
import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineImport
import HotlineStats
import HotlineSynth
import HotlineText

/// Inputs made once: the synthetic `tiny` city (about 3,000 tickets) in a
/// temporary directory, its texts, and their tokens.
enum Inputs {
  static let city: URL = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-bench-tiny")
    if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("tickets.csv").path) {
      _ = try! CityGenerator(preset: .tiny, seed: 20_251_122).write(to: dir)
    }
    return dir
  }()

  static let csv = city.appendingPathComponent("tickets.csv").path

  static let tickets: [Ticket] = {
    let reader = try! TicketReader(path: csv, options: ImportOptions(keyer: CallerKeyer(secret: Array(repeating: 7, count: 32))))
    var out: [Ticket] = []
    while let rows = try! reader.next() {
      for r in rows { if case .ticket(let t, _) = r { out.append(t) } }
    }
    return out
  }()

  static let texts: [String] = tickets.map { ($0.title ?? "") + "\n" + $0.text }

  /// 300 areas scattered over 60 x 50 km (planar km), 60 days, about 3,000
  /// cases (one a draw), with a planted 40-case cluster: the shape of a
  /// street-level hotspot run on one category.
  static let scanAreas = 300
  static let scanDays = 60
  static let scanPoints: (x: [Double], y: [Double]) = {
    var rng = SplitMix64(seed: 20_251_122)
    let x = (0..<scanAreas).map { _ in rng.nextDouble() * 60 }
    let y = (0..<scanAreas).map { _ in rng.nextDouble() * 50 }
    return (x, y)
  }()
  static let scanCases: [SpaceTimeScan.Case] = {
    var rng = SplitMix64(seed: 7)
    var cases = (0..<3_000).map { _ in
      SpaceTimeScan.Case(location: Int(rng.next() % UInt64(scanAreas)), day: Int(rng.next() % UInt64(scanDays)))
    }
    for i in 0..<40 { cases.append(SpaceTimeScan.Case(location: 17, day: 50 + i % 3)) }
    return cases
  }()

  /// Counts per area for Gi*: background draws plus a hot corner.
  static let gstarValues: [Double] = {
    var rng = SplitMix64(seed: 11)
    let (x, y) = scanPoints
    return (0..<scanAreas).map { i in
      Double(rng.next() % 4) + (x[i] < 10 && y[i] < 10 ? 6 : 0)
    }
  }()

  static let tokens: TokenizedDocuments = {
    let n = try! TextNormalizer()
    let s = try! WordSegmenter(lexicon: .hotline)
    var b = TokenizedDocuments.Builder()
    for t in texts { b.append(s.words(in: n.normalize(t)).filter { $0.unicodeScalars.count >= 2 }) }
    return b.documents
  }()
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .peakMemoryResident], maxDuration: .seconds(5))

  Benchmark("CSV parsing (tiny city, tickets)") { benchmark in
    for _ in benchmark.scaledIterations {
      let reader = try TicketReader(
        path: Inputs.csv, options: ImportOptions(keyer: CallerKeyer(secret: Array(repeating: 7, count: 32))))
      var n = 0
      while let rows = try reader.next() { n += rows.count }
      blackHole(n)
    }
  }

  Benchmark("Segmentation (tiny city texts)") { benchmark in
    let s = try WordSegmenter(lexicon: .hotline)
    let texts = Inputs.texts
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      var n = 0
      for t in texts { n += s.words(in: t).count }
      blackHole(n)
    }
  }

  Benchmark("Normalisation (tiny city texts)") { benchmark in
    let norm = try TextNormalizer()
    let texts = Inputs.texts
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      var n = 0
      for t in texts { n += norm.normalize(t).utf8.count }
      blackHole(n)
    }
  }

  Benchmark("MinHash signatures (tiny city texts, 64 permutations, 1 thread)") { benchmark in
    let hasher = MinHasher(permutations: 64, shingleLength: 3)
    let texts = Inputs.texts
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(hasher.signatures(texts, threads: 1).values.count)
    }
  }

  // One scan of the observed data plus one Monte Carlo replicate (a
  // permutation of the days and a scan of it), one thread: the unit of work a
  // 999-replicate run repeats.
  Benchmark("Space-time scan, observed + 1 replicate (300 areas x 60 days)") { benchmark in
    var p = SpaceTimeScan.Parameters()
    p.maxRadiusKm = 3
    p.maxDays = 7
    p.replicates = 1
    p.threads = 1
    let scan = SpaceTimeScan(parameters: p)
    let (x, y) = Inputs.scanPoints
    let cases = Inputs.scanCases
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(try scan.run(x: x, y: y, days: Inputs.scanDays, cases: cases).clusters.count)
    }
  }

  Benchmark("Gi* with 999 permutations (300 areas, 8 nearest)") { benchmark in
    let (x, y) = Inputs.scanPoints
    let neighbours = LocalGStar.Neighbours.kNearest(x: x, y: y, k: 8)
    let values = Inputs.gstarValues
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(LocalGStar(values: values, neighbours: neighbours, permutations: 999).pPermutation?.count)
    }
  }

  Benchmark("GSDMM, 5 sweeps (tiny city, K = 30)") { benchmark in
    var c = TopicModel.Config()
    c.maxTopics = 30
    c.iterations = 5
    c.convergence = 0
    let docs = Inputs.tokens
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(try TopicModel.run(documents: docs, config: c).topics.count)
    }
  }
}
