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

    @Option(help: "Hotspots: the last N days of the data are scanned (space-time scan and daily alerts).")
    var hotspotDays = 30

    func run() throws {
      try global.guarded {
        let fm = FileManager.default
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let timer = StageTimer()
        let db = try global.openDatabase(create: false)
        let tickets = try timer.stage("load") { try db.tickets() }
        guard !tickets.isEmpty else { throw CommandFailure(zh: "\(global.db) 中没有工单", en: "no tickets in \(global.db)") }
        var digest = AnalysisDigest()
        digest.tickets = tickets.count
        do {
          // The token ids are dropped once the topics are written.
          let documents = try timer.stage("segment") {
            try TicketTokenizer.tokenizeInParallel(tickets, placeNames: Topics.placeNames(tickets))
          }
          let topics = try timer.stage("topics") {
            try Topics.cluster(tickets: tickets, documents: documents, db: db, seed: global.seed)
          }
          try write(topics, "topics.json")
          digest.topics = topics.topics.count
          digest.outliers = topics.outliers.size
          digest.largestTopics = topics.topics.sorted { ($0.size, $1.id) > ($1.size, $0.id) }
            .prefix(AnalysisDigest.shown).map { .init(label: $0.label, size: $0.size) }
        }

        // Hotspots over the last days: the space-time scan and daily alerts, street level.
        let hotspotStart = Date()
        let lastDay = db.clock.dayNumber(tickets.last?.receivedAt ?? 0)
        // Not before the first ticket's day (a window longer than the data).
        let firstHotspotDay = max(
          lastDay - max(1, hotspotDays) + 1, db.clock.dayNumber(tickets.first?.receivedAt ?? 0))
        let hotspots = try timer.stage("hotspots") { () -> HotspotResult in
          try Findings.streetHotspots(
            tickets, from: firstHotspotDay, to: lastDay, clock: db.clock, seed: global.seed,
            lang: global.lang)
        }
        let isoDay = ReportPeriod.dayString
        digest.hotspotFrom = isoDay(firstHotspotDay)
        digest.hotspotTo = isoDay(lastDay)
        digest.hotspots = hotspots.hotspots.count
        try write(
          HotspotsJSON(hotspots, seed: global.seed, seconds: Date().timeIntervalSince(hotspotStart)), "hotspots.json")

        // Recurring classes and same-incident groups; kept afterwards: the
        // callers' same-matter grouping and the briefing's top classes.
        let (matter, briefRecurring) = try { () throws -> (KnownClassMatter, [BriefRecurringClass]) in
          let recurring = timer.stage("recurring") { () -> RecurringAnalysis.Result in
            var config = RecurringAnalysis.Config()
            config.clock = db.clock
            config.threads = ProcessInfo.processInfo.activeProcessorCount
            config.incidents.seed = global.seed
            return RecurringAnalysis.run(tickets: tickets, config: config)
          }
          try write(
            RecurringJSON(recurring, tickets: tickets.count, lang: global.lang, timings: recurring.timings),
            "recurring.json")
          try write(
            IncidentsJSON(recurring, tickets: tickets, clock: db.clock, timings: recurring.timings), "incidents.json")
          digest.classes = recurring.classes.count
          digest.incidents = recurring.incidents.count
          digest.incidentTickets = recurring.incidents.reduce(0) { $0 + $1.ticketIndices.count }
          return (CallerPass.grouping(recurring, tickets: tickets), Findings.recurring(recurring, top: .max))
        }()

        // Out-of-scope flags and the caller review (the same matter through the recurring classes).
        let started = Date()
        let pass = timer.stage("scope") { CallerPass.run(tickets) }
        let classifier = ScopeClassifier()
        var flagCounts: [String: Int] = [:]
        for f in pass.flags { flagCounts[f.code, default: 0] += 1 }
        try write(
          ScopeJSON(
            outOfScope: pass.flags.map { ScopeJSON.Flag($0, english: global.lang == .en) },
            classes: classifier.book.classes.map { c in
              ScopeJSON.ClassCount(
                code: c.code, name: global.lang == .zh ? c.name : c.nameEnglish, count: flagCounts[c.code] ?? 0)
            }, tickets: pass.tickets, flagged: pass.flags.count, seconds: pass.seconds), "scope.json")
        var callerReview: CallerReviewResult? = nil
        let callers = timer.stage("callers") { () -> CallersJSON in
          let config = CallerReview.Config()
          let (result, indices) = pass.builder.reviewIndexed(
            config: config, clock: db.clock, grouping: matter)
          callerReview = result
          let scopeOf = Dictionary(pass.flags.map { ($0.ticketId, $0.code) }, uniquingKeysWith: { a, _ in a })
          // Case files for the flagged callers, from their tickets' indices.
          let rows = zip(result.callers, indices).map { f, idx in
            CallerJSON(
              f, lang: global.lang,
              caseFile: f.flagged
                ? CallerCaseFile(
                  f, tickets: idx.map { tickets[$0] }, scopeOf: scopeOf, clock: db.clock,
                  english: global.lang == .en) : nil)
          }
          return CallersJSON(
            callers: rows, population: result.population, concentration: result.concentration,
            flagged: result.callers.filter(\.flagged).count,
            config: .init(
              minCalls: config.minCalls, windowDays: config.windowDays, windowCalls: config.windowCalls,
              burstDays: config.burstDays, alpha: config.alpha),
            seconds: Date().timeIntervalSince(started))
        }
        try write(callers, "callers.json")

        // Service KPIs by department over all tickets.
        let kpiReport = try timer.stage("kpi") { () -> KPIJSON in
          let options = try KPIOptions.parse([])
          let asOf = tickets.last?.receivedAt ?? 0
          var b = KPIBuilder(
            grouping: .department, asOf: asOf, definitions: options.definitions, thresholds: options.thresholds)
          let t0 = Date()
          for t in tickets { b.add(t) }
          return KPIJSON(
            period: nil, asOfTime: db.clock.iso8601(asOf), report: b.finish(), seconds: Date().timeIntervalSince(t0))
        }
        try write(kpiReport, "kpi.json")
        digest.outOfScope = pass.flags.count
        digest.kpi = kpiReport.report.overall
        digest.unitsBelow = kpiReport.report.belowThreshold.count

        // The leadership one-pager and the monthly report, from what was found above.
        try timer.stage("brief") {
          let findings = BriefingFindings(
            hotspots: Findings.hotspots(hotspots, tickets: tickets), recurring: briefRecurring,
            callers: callerReview.map { Findings.callers($0, lang: global.lang) } ?? [])
          digest.topHotspots = findings.hotspots
          digest.topClasses = findings.recurring
          digest.routes = findings.callers
          digest.flaggedCallers = callerReview?.callers.filter(\.flagged).count ?? 0
          // A briefing lists the hotspots of its own period (the scanned days
          // may reach further back with --hotspot-days) and the classes active
          // in the half year up to its end (as `hotline brief` finds them).
          func inPeriod(_ period: ReportPeriod) -> BriefingFindings {
            var r = hotspots, f = findings
            let first = isoDay(period.startDay), last = isoDay(period.endDay)
            r.hotspots = r.hotspots.filter { String($0.end.prefix(10)) >= first && String($0.start.prefix(10)) <= last }
            f.hotspots = Findings.hotspots(r, tickets: tickets)
            let halfYear = isoDay(period.endDay - 182)
            f.recurring = Array(
              findings.recurring.filter { String($0.end.prefix(10)) >= halfYear && String($0.start.prefix(10)) <= last }
                .prefix(5))
            return f
          }
          let source = BriefingSource.memory(tickets, clock: db.clock)
          for kind in [BriefingKind.leadership, .monthly] {
            _ = try Brief.make(
              db: db, kind: kind, period: nil, topic: nil,
              out: (out as NSString).appendingPathComponent("\(kind.rawValue).html"), pdf: false, lang: global.lang,
              kpi: try KPIOptions.parse([]), findings: { inPeriod($0) }, source: source)
          }
        }
        try write(timer.report, "timings.json")
        if global.json {
          try Output.json(timer.report)
        } else {
          Output.line(timer.text(language: global.lang, directory: out))
          Output.line("\n" + digest.text(global.lang))
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
    // What the stage freed goes back to the system before the next one
    // allocates (see `FreedMemory`).
    FreedMemory.release()
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

  func text(language: Language, directory: String? = nil) -> String {
    var lines: [String] = []
    if let directory {
      lines.append(language.pick("分析完成，结果在 \(directory)/：", "Analysis done, results in \(directory)/:"))
    }
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
