import ArgumentParser
import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineReport
import HotlineStore

extension Hotline {
  struct Recurring: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Recurring problem classes (类案, 每月一题) with their evidence tickets.",
      discussion: """
        A class is the same place or entity (estate, road point, company, developer, school, site,
        bus line, shop, or community) and the same problem (category), concentrated over weeks or
        months far beyond the place's share of the city's tickets of that category. Classes are
        ranked for 每月一题 by frequency, spread, persistence, growth, unresolved share and
        cross-department handling; each carries its reasons and evidence tickets.
        """)
    @OptionGroup var global: GlobalOptions

    @Option(help: "Fewest tickets in a class.")
    var minTickets = 8

    @Option(help: "Fewest distinct callers in a class.")
    var minCallers = 4

    @Option(help: "Smallest Poisson log-likelihood ratio of a class's window against its place's baseline.")
    var minLlr = 40.0

    @Option(help: "Fewest distinct weeks with tickets in a class (persistence).")
    var minActiveWeeks = 5

    @Option(help: "Smallest LLR of a class's window against its own series (concentration in time).")
    var minTimeLlr = 10.0

    @Option(help: "Classes shown in the table (JSON always lists all).")
    var top = 20

    @Option(help: "Threads (default: the number of cores).")
    var threads: Int?

    func validate() throws {
      guard minTickets >= 2 else { throw ValidationError("'--min-tickets' must be at least 2.") }
      guard minCallers >= 1 else { throw ValidationError("'--min-callers' must be positive.") }
      guard top >= 1 else { throw ValidationError("'--top' must be positive.") }
      guard minActiveWeeks >= 1 else { throw ValidationError("'--min-active-weeks' must be positive.") }
    }

    func run() throws {
      try global.guarded {
        let (_, tickets, r, timings) = try RecurringRun.run(global, threads: threads) { config in
          config.findIncidents = false
          config.classes.minTickets = minTickets
          config.classes.minCallers = minCallers
          config.classes.minLLR = minLlr
          config.classes.minActiveWeeks = minActiveWeeks
          config.classes.minConditionalLLR = minTimeLlr
        }
        let json = RecurringJSON(r, tickets: tickets.count, lang: global.lang, timings: timings)
        if global.json {
          try Output.json(json)
        } else {
          Output.line(render(json))
        }
      }
    }

    func render(_ j: RecurringJSON) -> String {
      let lang = global.lang
      var out: [String] = []
      out.append(
        lang.pick(
          "\(j.tickets) 条工单中发现 \(j.classes.count) 个反复出现的问题类案，涉及 \(j.classes.reduce(0) { $0 + $1.count }) 条工单（按“每月一题”排序）",
          "\(j.classes.count) recurring problem classes in \(j.tickets) tickets, covering \(j.classes.reduce(0) { $0 + $1.count }) tickets (ranked for the monthly topic)"
        ))
      let rows = j.classes.prefix(top).map { c -> [String] in
        [
          c.id, String(format: "%.1f", c.score), c.title, c.entity, c.area, "\(c.count)", "\(c.callers)",
          "\(c.first)~\(c.last)", String(format: "%.0f%%", 100 * c.unresolvedShare),
          c.leadDepartment ?? "",
        ]
      }
      out.append("")
      out.append(
        TextTable(
          headers: [
            lang.pick("编号", "ID"), lang.pick("得分", "Score"), lang.pick("类案", "Class"),
            lang.pick("对象", "Entity"), lang.pick("区域", "Area"), lang.pick("件数", "Tickets"),
            lang.pick("来电人", "Callers"), lang.pick("时间", "Dates"), lang.pick("未解决", "Unresolved"),
            lang.pick("建议牵头", "Lead"),
          ], rows: rows, rightAligned: [1, 5, 6, 8]
        ).render())
      for c in j.classes.prefix(min(top, 5)) {
        out.append("")
        out.append("\(c.id) \(c.title)：" + c.reasons.joined(separator: "；"))
        if !c.assistingDepartments.isEmpty {
          out.append(lang.pick("  协办：", "  assisting: ") + c.assistingDepartments.joined(separator: "、"))
        }
        if let p = c.pingPong.first {
          out.append(lang.pick("  推诿：", "  ping-pong: ") + "\(p.a) ⇄ \(p.b)（\(p.count)）")
        }
        out.append(lang.pick("  证据工单：", "  evidence: ") + c.ticketIds.prefix(5).joined(separator: " ") + (c.ticketIds.count > 5 ? " …" : ""))
      }
      return out.joined(separator: "\n")
    }
  }

  struct Incidents: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Same-incident groups (并单) with a confidence.",
      discussion: """
        Tickets about one incident: near-duplicate text (MinHash-LSH over character shingles) or
        the same named place, within a time window, with compatible categories.
        """)
    @OptionGroup var global: GlobalOptions

    // The defaults are the library's, so `incidents` and `analyze` find the same groups.
    @Option(help: "Link two tickets at or above this confidence (0…1).")
    var minConfidence = IncidentMerging.Config().minConfidence

    @Option(help: "Longest gap between two linked tickets, in hours.")
    var windowHours = IncidentMerging.Config().windowHours

    @Option(help: "Incidents shown in the table (JSON always lists all).")
    var top = 20

    @Option(help: "Threads (default: the number of cores).")
    var threads: Int?

    func validate() throws {
      guard minConfidence > 0 && minConfidence < 1 else { throw ValidationError("'--min-confidence' must be in (0, 1).") }
      guard windowHours > 0 else { throw ValidationError("'--window-hours' must be positive.") }
      guard top >= 1 else { throw ValidationError("'--top' must be positive.") }
    }

    func run() throws {
      try global.guarded {
        let (db, tickets, r, timings) = try RecurringRun.run(global, threads: threads) { config in
          config.findClasses = false
          config.incidents.minConfidence = minConfidence
          config.incidents.windowHours = windowHours
        }
        let json = IncidentsJSON(r, tickets: tickets, clock: db.clock, timings: timings)
        if global.json {
          try Output.json(json)
        } else {
          let lang = global.lang
          var out: [String] = []
          let merged = json.incidents.reduce(0) { $0 + $1.count }
          out.append(
            lang.pick(
              "\(json.tickets) 条工单中合并出 \(json.incidents.count) 起同一事件（并单），涉及 \(merged) 条工单",
              "\(json.incidents.count) same-incident groups in \(json.tickets) tickets, covering \(merged) tickets"))
          out.append("")
          out.append(
            TextTable(
              headers: [
                lang.pick("编号", "ID"), lang.pick("事件", "Incident"), lang.pick("地点", "Place"),
                lang.pick("件数", "Tickets"), lang.pick("来电人", "Callers"), lang.pick("开始", "First"),
                lang.pick("置信度", "Confidence"), lang.pick("近似重复", "Near-dup"), lang.pick("工单", "Tickets"),
              ],
              rows: json.incidents.prefix(top).map {
                [
                  $0.id, $0.title, $0.place, "\($0.count)", "\($0.callers)", $0.first,
                  String(format: "%.2f", $0.confidence), $0.nearDuplicate ? lang.pick("是", "yes") : lang.pick("否", "no"),
                  $0.ticketIds.prefix(3).joined(separator: " ") + ($0.ticketIds.count > 3 ? " …" : ""),
                ]
              }, rightAligned: [3, 4, 6]
            ).render())
          Output.line(out.joined(separator: "\n"))
        }
      }
    }
  }
}

/// Loads the tickets and runs the recurring analysis with a command's settings.
enum RecurringRun {
  static func run(
    _ global: GlobalOptions, threads: Int?, configure: (inout RecurringAnalysis.Config) -> Void
  ) throws -> (HotlineDatabase, [Ticket], RecurringAnalysis.Result, [String: Double]) {
    let db = try global.openDatabase(create: false)
    let t0 = Date()
    let tickets = try db.tickets()
    let loaded = Date().timeIntervalSince(t0)
    var config = RecurringAnalysis.Config()
    config.clock = db.clock
    config.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    config.incidents.seed = global.seed
    configure(&config)
    let r = RecurringAnalysis.run(tickets: tickets, config: config)
    var timings = r.timings
    timings["load"] = loaded
    return (db, tickets, r, timings)
  }
}

// MARK: - JSON

struct RecurringJSON: Encodable {
  struct NameCount: Encodable {
    var name: String
    var count: Int
  }
  struct PingPong: Encodable {
    var a: String
    var b: String
    var count: Int
  }
  struct Part: Encodable {
    var name: String
    var value: Double
    var score: Double
    var weight: Double
  }
  struct Class: Encodable {
    var id, title, entity, entityType, scope, area, category, first, last: String
    var district, street, community, leadDepartment: String?
    var count, callers, activeWeeks, streets, communities, transfers, observed: Int
    var growth, transferredShare, unresolvedShare, dissatisfiedShare, expected, llr, timeLLR, pValue, score: Double
    var departments: [String]
    var departmentCounts: [NameCount]
    var assistingDepartments: [String]
    var pingPong: [PingPong]
    var scoreParts: [Part]
    var reasons: [String]
    var ticketIds: [String]
    enum CodingKeys: String, CodingKey {
      case id, title, entity, scope, area, category, first, last, district, street, community, count, callers
      case streets, communities, transfers, observed, growth, expected, llr, score, departments, reasons
      case entityType = "entity_type", leadDepartment = "lead_department", activeWeeks = "active_weeks"
      case transferredShare = "transferred_share", unresolvedShare = "unresolved_share"
      case dissatisfiedShare = "dissatisfied_share", pValue = "p_value", departmentCounts = "department_counts"
      case timeLLR = "time_llr"
      case assistingDepartments = "assisting_departments", pingPong = "ping_pong", scoreParts = "score_parts"
      case ticketIds = "ticket_ids"
    }
  }
  var tickets: Int
  var classes: [Class]
  var classifiedTickets: Int
  var seconds: [String: Double]
  enum CodingKeys: String, CodingKey {
    case tickets, classes, seconds
    case classifiedTickets = "classified_tickets"
  }

  init(_ r: RecurringAnalysis.Result, tickets: Int, lang: Language, timings: [String: Double]) {
    self.tickets = tickets
    seconds = timings.mapValues { ($0 * 1000).rounded() / 1000 }
    classes = r.classes.map { c in
      Class(
        id: c.id, title: c.title, entity: c.entity, entityType: c.entityKind.rawValue, scope: c.scope, area: c.area,
        category: c.category, first: c.firstDate, last: c.lastDate, district: c.district, street: c.street,
        community: c.community, leadDepartment: c.leadDepartment, count: c.count, callers: c.callers,
        activeWeeks: c.activeWeeks, streets: c.streets, communities: c.communities, transfers: c.transfers,
        observed: c.observed, growth: c.growth, transferredShare: c.transferredShare,
        unresolvedShare: c.unresolvedShare, dissatisfiedShare: c.dissatisfiedShare, expected: c.expected,
        llr: c.llr, timeLLR: c.timeLLR, pValue: c.pValue, score: c.score, departments: c.departments.map(\.name),
        departmentCounts: c.departments.map { NameCount(name: $0.name, count: $0.count) },
        assistingDepartments: c.assistingDepartments,
        pingPong: c.pingPong.map { PingPong(a: $0.a, b: $0.b, count: $0.count) },
        scoreParts: c.scoreParts.map { Part(name: $0.name, value: $0.value, score: $0.score, weight: $0.weight) },
        reasons: lang == .zh ? c.reasonsZh : c.reasonsEn, ticketIds: c.ticketIds)
    }
    classifiedTickets = r.classes.reduce(0) { $0 + $1.count }
  }
}

struct IncidentsJSON: Encodable {
  struct Incident: Encodable {
    var id, title, place, category, first, last: String
    var count, callers: Int
    var confidence, similarity: Double
    var nearDuplicate: Bool
    var ticketIds: [String]
    enum CodingKeys: String, CodingKey {
      case id, title, place, category, first, last, count, callers, confidence, similarity
      case nearDuplicate = "near_duplicate", ticketIds = "ticket_ids"
    }
  }
  var tickets: Int
  var incidents: [Incident]
  var mergedTickets: Int
  var seconds: [String: Double]
  enum CodingKeys: String, CodingKey {
    case tickets, incidents, seconds
    case mergedTickets = "merged_tickets"
  }

  init(_ r: RecurringAnalysis.Result, tickets: [Ticket], clock: ZoneClock, timings: [String: Double]) {
    self.tickets = tickets.count
    seconds = timings.mapValues { ($0 * 1000).rounded() / 1000 }
    func mode(_ xs: [String]) -> String {
      var c: [String: Int] = [:]
      for x in xs where !x.isEmpty { c[x, default: 0] += 1 }
      return c.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? ""
    }
    incidents = r.incidents.map { inc in
      let ts = inc.ticketIndices.map { tickets[$0] }
      let places = inc.ticketIndices.flatMap { i in
        r.entities[i].filter { $0.kind != .road && $0.kind != .busLine }.map(\.name)
      }
      let place = mode(places).isEmpty ? mode(ts.compactMap(\.community)) : mode(places)
      return Incident(
        id: inc.id, title: mode(ts.compactMap(\.title)), place: place,
        category: mode(ts.map { $0.category.joined(separator: "->") }), first: clock.iso8601(ts.first!.receivedAt),
        last: clock.iso8601(ts.last!.receivedAt), count: ts.count,
        callers: Set(ts.map { $0.callerKey ?? "t:" + $0.id }).count,
        confidence: (inc.confidence * 1000).rounded() / 1000, similarity: (inc.meanSimilarity * 1000).rounded() / 1000,
        nearDuplicate: inc.nearDuplicate, ticketIds: ts.map(\.id))
    }
    mergedTickets = incidents.reduce(0) { $0 + $1.count }
  }
}
