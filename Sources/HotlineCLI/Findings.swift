import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineReport
import HotlineStore

/// What the analyses found, shaped for the briefings' sections.
enum Findings {
  /// The highest-ranked recurring classes (每月一题 candidates).
  static func recurring(_ r: RecurringAnalysis.Result, top: Int = 5) -> [BriefRecurringClass] {
    r.classes.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }.prefix(top).map { c in
      BriefRecurringClass(
        title: c.title, area: c.area, category: c.category, start: c.firstDate, end: c.lastDate, tickets: c.count,
        callers: c.callers, departments: c.departments.map(\.name), resolutionRate: 1 - c.unresolvedShare,
        score: c.score, ticketIds: c.ticketIds)
    }
  }

  /// Flagged callers by suggested route (counts only: no one is named in a briefing).
  static func callers(_ result: CallerReviewResult, lang: Language) -> [BriefCallerReview] {
    var counts: [CallerRoute: Int] = [:]
    for f in result.callers where f.flagged { counts[f.route, default: 0] += 1 }
    return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }.map {
      BriefCallerReview(route: lang == .zh ? $0.key.chinese : $0.key.english, count: $0.value)
    }
  }

  /// Runs the recurring-class and caller analyses over the half year up to
  /// the period's end, for a briefing made on its own (`hotline brief`).
  static func compute(db: HotlineDatabase, period: ReportPeriod, seed: UInt64, lang: Language) throws
    -> BriefingFindings
  {
    let clock = db.clock
    let tickets = try db.tickets(
      from: BriefingSupport.epoch(day: period.endDay - 182, clock),
      to: BriefingSupport.epoch(day: period.endDay + 1, clock))
    guard !tickets.isEmpty else { return BriefingFindings() }
    var config = RecurringAnalysis.Config()
    config.clock = clock
    config.findIncidents = false
    config.threads = ProcessInfo.processInfo.activeProcessorCount
    config.incidents.seed = seed
    let recurring = RecurringAnalysis.run(tickets: tickets, config: config)
    let pass = CallerPass.run(tickets)
    var classOf: [String: String] = [:]
    for (i, c) in recurring.classOfTicket.enumerated() { if let c { classOf[tickets[i].id] = "class-\(c)" } }
    let review = pass.builder.review(clock: clock, grouping: KnownClassMatter(classOf: classOf))
    return BriefingFindings(
      hotspots: [], recurring: Findings.recurring(recurring), callers: Findings.callers(review, lang: lang))
  }
}
