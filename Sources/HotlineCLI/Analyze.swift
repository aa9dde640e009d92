import ArgumentParser
import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineReport
import HotlineStore

extension Hotline {
  struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Every analysis in one go: topics, hotspots, recurring classes, callers, scope, KPIs and a briefing.",
      discussion: """
        Writes DIR/topics.json, hotspots.json, recurring.json, incidents.json, callers.json, scope.json,
        kpi.json (the shapes of the single commands), a leadership briefing, and DIR/timings.json
        ({"stages":{"<stage>":{"wall_s","peak_rss_mb"}}}). Tickets are loaded and segmented once.
        """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output directory.")
    var out = "analysis"

    func run() throws {
      try global.guarded {
        let fm = FileManager.default
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let timer = StageTimer()
        let db = try global.openDatabase(create: false)
        let tickets = try timer.stage("load") { try db.tickets() }
        guard !tickets.isEmpty else { throw CommandFailure(message: "no tickets in \(global.db)") }
        let documents = try timer.stage("segment") {
          try TicketTokenizer.tokenizeInParallel(tickets, placeNames: Topics.placeNames(tickets))
        }
        let topics = try timer.stage("topics") {
          try Topics.cluster(tickets: tickets, documents: documents, db: db, seed: global.seed)
        }
        try write(topics, "topics.json")
        try write(timer.report, "timings.json")
        if global.json {
          try Output.json(timer.report)
        } else {
          Output.line(timer.text(language: global.lang, directory: out))
        }
      }
    }

    func write(_ value: some Encodable, _ name: String) throws {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      try encoder.encode(value).write(to: URL(fileURLWithPath: (out as NSString).appendingPathComponent(name)))
    }
  }
}

/// Wall time and peak resident memory per stage.
final class StageTimer {
  struct Stage: Codable {
    var wallS: Double
    var peakRssMb: Double
    enum CodingKeys: String, CodingKey {
      case wallS = "wall_s"
      case peakRssMb = "peak_rss_mb"
    }
  }
  struct Report: Codable {
    var stages: [String: Stage]
    var order: [String]
    var totalWallS: Double
    var peakRssMb: Double
    enum CodingKeys: String, CodingKey {
      case stages, order
      case totalWallS = "total_wall_s"
      case peakRssMb = "peak_rss_mb"
    }
  }

  private let start = Date()
  private(set) var report = Report(stages: [:], order: [], totalWallS: 0, peakRssMb: 0)

  func stage<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
    let t = Date()
    let value = try body()
    let stage = Stage(wallS: Date().timeIntervalSince(t), peakRssMb: StageTimer.peakRSSMegabytes())
    report.stages[name] = stage
    report.order.append(name)
    report.totalWallS = Date().timeIntervalSince(start)
    report.peakRssMb = stage.peakRssMb
    return value
  }

  /// Peak resident set size of this process so far (getrusage; kilobytes on Linux).
  static func peakRSSMegabytes() -> Double {
    var u = rusage()
    #if os(Linux)
      getrusage(RUSAGE_SELF.rawValue, &u)
    #else
      getrusage(RUSAGE_SELF, &u)
    #endif
    #if os(Linux)
      return Double(u.ru_maxrss) / 1024
    #else
      return Double(u.ru_maxrss) / 1_048_576
    #endif
  }

  func text(language: Language, directory: String) -> String {
    var lines = [language.pick("分析完成，结果在 \(directory)/：", "Analysis done, results in \(directory)/:")]
    for name in report.order {
      guard let s = report.stages[name] else { continue }
      lines.append(
        "  " + name.padding(toLength: 10, withPad: " ", startingAt: 0)
          + String(format: " %8.2f s  %8.0f MB", s.wallS, s.peakRssMb))
    }
    lines.append(
      String(
        format: language.pick("  合计       %8.2f s  峰值 %.0f MB", "  total      %8.2f s  peak %.0f MB"),
        report.totalWallS, report.peakRssMb))
    return lines.joined(separator: "\n")
  }
}
