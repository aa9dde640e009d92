import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineReport
import HotlineStore

/// What the analyses found, shaped for the briefings' sections.
enum Findings {
  /// A hotspot's one-line title.
  static func label(_ h: Hotspot, lang: Language) -> String {
    let leaf = h.category.components(separatedBy: Ticket.categorySeparator).last ?? h.category
    let place = h.area.replacingOccurrences(of: "/", with: " ")
    let extra = h.areas.count > 1 ? lang.pick("等\(h.areas.count)个区域", " and \(h.areas.count - 1) more areas") : ""
    return lang.pick(
      "\(place)\(extra) \(leaf) 异常聚集（\(h.start)至\(h.end)）",
      "\(leaf) cluster at \(place)\(extra) (\(h.start) to \(h.end))")
  }

  /// The space-time scan and daily alerts at street level over days
  /// `from...to`, labelled: what `analyze` and the briefings report.
  static func streetHotspots(
    _ tickets: [Ticket], from: Int, to: Int, clock: ZoneClock, seed: UInt64, lang: Language
  ) throws -> HotspotResult {
    // Streets without located tickets take their centre from the gazetteer, when present.
    let gazetteer = AdminGazetteer.defaultURL().flatMap { try? AdminGazetteer(contentsOf: $0) }
    let input = HotspotInput(
      tickets: tickets, level: .street, from: from, to: to, clock: clock, gazetteer: gazetteer,
      historyDays: 58)
    var config = HotspotConfig()
    config.methods = [.scan, .alerts]
    config.seed = seed
    config.threads = ProcessInfo.processInfo.activeProcessorCount
    var r = try HotspotAnalysis.run(input, level: .street, config: config)
    for i in r.hotspots.indices { r.hotspots[i].label = label(r.hotspots[i], lang: lang) }
    return r
  }

  /// The strongest hotspots, with a typical ticket and the department that handled most of them.
  static func hotspots(_ r: HotspotResult, tickets: [Ticket], top: Int = 5) -> [BriefHotspot] {
    let chosen = r.hotspots.sorted { $0.pValue != $1.pValue ? $0.pValue < $1.pValue : $0.id < $1.id }.prefix(top)
    let wanted = Set(chosen.flatMap(\.ticketIds))
    var byId: [String: Ticket] = [:]
    for t in tickets where wanted.contains(t.id) { byId[t.id] = t }
    return chosen.map { h in
      var departments: [String: Int] = [:]
      for id in h.ticketIds { if let d = byId[id]?.departments.first { departments[d, default: 0] += 1 } }
      let lead = departments.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
      let typical = h.ticketIds.lazy.compactMap { byId[$0] }.first
      return BriefHotspot(
        title: h.label, area: h.area, category: h.category, start: h.start, end: h.end, observed: h.observed,
        expected: h.expected, pValue: h.pValue, leadDepartment: lead, typicalTicket: typical?.text,
        typicalTicketId: typical?.id, ticketIds: h.ticketIds, location: Coordinate(lon: h.lon, lat: h.lat))
    }
  }

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
    let review = pass.builder.review(clock: clock, grouping: CallerPass.grouping(recurring, tickets: tickets))
    // Hotspots of the period itself.
    let hotspots = try streetHotspots(
      tickets, from: period.startDay, to: period.endDay, clock: clock, seed: seed, lang: lang)
    return BriefingFindings(
      hotspots: Findings.hotspots(hotspots, tickets: tickets), recurring: Findings.recurring(recurring),
      callers: Findings.callers(review, lang: lang))
  }
}
