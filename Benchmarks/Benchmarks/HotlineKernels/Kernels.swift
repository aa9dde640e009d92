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
