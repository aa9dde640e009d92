import ArgumentParser
import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineReport
import HotlineStore

/// One streaming pass over the database: out-of-scope flags for every ticket
/// and the caller review's light records.
struct CallerPass {
  var builder = CallerReview.Builder()
  var flags: [ScopeFlag] = []
  var tickets = 0
  var seconds = 0.0

  static func run(_ db: HotlineDatabase, callers: Bool, progress: Progress) throws -> CallerPass {
    let start = Date()
    var pass = CallerPass()
    let total = try db.ticketCount()
    let context = Context(callers: callers)
    // Read the tickets in time order, classify slices of 20,000 on every
    // core, then add them in order.
    var buffer: [Ticket] = []
    buffer.reserveCapacity(20_000)
    try db.forEachTicket { t in
      buffer.append(t)
      if buffer.count == 20_000 {
        pass.add(buffer, context)
        buffer.removeAll(keepingCapacity: true)
        progress.update(done: pass.tickets, total: total, unit: "tickets")
      }
    }
    pass.add(buffer, context)
    progress.finish()
    pass.seconds = Date().timeIntervalSince(start)
    return pass
  }

  /// The same pass over tickets already in memory: one scan of each
  /// ticket's bytes on every core gives its out-of-scope flag and whether it
  /// reads like an organisation; the review then works on the tickets
  /// themselves (no records, no key strings per ticket).
  static func run(_ tickets: [Ticket]) -> MemoryPass {
    let start = Date()
    let classifier = ScopeClassifier()
    let n = tickets.count
    var scope = [UInt8](repeating: 0, count: n)
    var marks = [UInt8](repeating: 0, count: n)
    let codeIndex = Dictionary(
      classifier.classCodes.enumerated().map { ($1, UInt8($0 + 1)) }, uniquingKeysWith: { a, _ in a })
    // More pieces than cores: a core slowed by other work does not hold up the rest.
    let pieces = max(1, min(n, 16 * ProcessInfo.processInfo.activeProcessorCount))
    var flagsOf = [[ScopeFlag]](repeating: [], count: pieces)
    scope.withUnsafeMutableBufferPointer { sp in
      marks.withUnsafeMutableBufferPointer { mp in
        flagsOf.withUnsafeMutableBufferPointer { fp in
          tickets.withUnsafeBufferPointer { tp in
            nonisolated(unsafe) let (sp, mp, fp, tp) = (sp, mp, fp, tp)
            DispatchQueue.concurrentPerform(iterations: pieces) { part in
              var flags: [ScopeFlag] = []
              for i in (n * part / pieces)..<(n * (part + 1) / pieces) {
                let (flag, organisational) = classifier.screen(id: tp[i].id, title: tp[i].title, text: tp[i].text)
                if let flag {
                  sp[i] = codeIndex[flag.code] ?? 0
                  flags.append(flag)
                }
                var m: UInt8 = organisational ? CallerReview.TicketTable.organisational : 0
                if CallerReview.TicketTable.saysDissatisfied(tp[i].satisfaction) {
                  m |= CallerReview.TicketTable.dissatisfied
                }
                mp[i] = m
              }
              fp[part] = flags
            }
          }
        }
      }
    }
    return MemoryPass(
      builder: CallerReview.TicketTable(tickets: tickets, scope: scope, codes: classifier.classCodes, marks: marks),
      flags: flagsOf.flatMap { $0 }, tickets: n, seconds: Date().timeIntervalSince(start))
  }

  struct Context {
    let classifier = ScopeClassifier()
    let callers: Bool
    let cores = ProcessInfo.processInfo.activeProcessorCount
  }

  /// Classifies a slice on every core and adds it, in order.
  mutating func add(_ slice: [Ticket], _ c: Context) { add(slice, slice.indices, c) }

  /// Classifies `tickets[range]` on every core (the review's records and
  /// caller keys are made there too) and adds them, in order.
  mutating func add(_ tickets: [Ticket], _ range: Range<Int>, _ c: Context) {
    guard !range.isEmpty else { return }
    let results = ClassifiedSlice.run(tickets, range, parts: c.cores, classifier: c.classifier, callers: c.callers)
    for k in 0..<range.count {
      self.tickets += 1
      let flag = results.flags[k]
      if let flag { flags.append(flag) }
      if c.callers {
        if let item = results.items[k] {
          builder.add(item, callerKey: results.keys[k], mask: tickets[range.lowerBound + k].callerMask)
        } else {
          builder.add(CallerTicket(id: "", receivedAt: 0), callerKey: nil, mask: nil)
        }
      }
    }
  }

  /// Same-matter grouping through the recurring classes (titles for tickets in none).
  static func grouping(_ recurring: RecurringAnalysis.Result, tickets: [Ticket]) -> KnownClassMatter {
    var classOf: [String: String] = [:]
    for (i, c) in recurring.classOfTicket.enumerated() { if let c { classOf[tickets[i].id] = "class-\(c)" } }
    return KnownClassMatter(classOf: classOf)
  }
}

/// The scope pass over tickets in memory: the flags, and the caller
/// review's input (`builder.review(...)` as with a streaming pass).
struct MemoryPass {
  var builder: CallerReview.TicketTable
  var flags: [ScopeFlag]
  var tickets: Int
  var seconds: Double
}

/// Out-of-scope flags of one slice and, when the caller review runs, its
/// records and caller keys, computed in parallel (the classifier is shared
/// read-only).
struct ClassifiedSlice: @unchecked Sendable {
  var flags: [ScopeFlag?]
  /// The review's record of each ticket with a caller key (nil otherwise).
  var items: [CallerTicket?]
  var keys: [String?]

  static func run(
    _ tickets: [Ticket], _ range: Range<Int>, parts: Int, classifier: ScopeClassifier, callers: Bool
  ) -> ClassifiedSlice {
    let n = range.count
    var flags = [ScopeFlag?](repeating: nil, count: n)
    var items = [CallerTicket?](repeating: nil, count: callers ? n : 0)
    var keys = [String?](repeating: nil, count: callers ? n : 0)
    let base = range.lowerBound
    flags.withUnsafeMutableBufferPointer { fp in
      items.withUnsafeMutableBufferPointer { ip in
        keys.withUnsafeMutableBufferPointer { kp in
          nonisolated(unsafe) let fp = fp
          nonisolated(unsafe) let ip = ip
          nonisolated(unsafe) let kp = kp
          tickets.withUnsafeBufferPointer { tp in
            nonisolated(unsafe) let tp = tp
            // More pieces than cores: a core slowed by other work does not hold up the rest.
            let pieces = max(1, min(n, 4 * parts))
            DispatchQueue.concurrentPerform(iterations: pieces) { part in
              let lo = n * part / pieces, hi = n * (part + 1) / pieces
              for i in lo..<hi {
                guard callers else {
                  fp[i] = classifier.classify(tp[base + i])
                  continue
                }
                let (flag, organisational) = classifier.screen(tp[base + i])
                fp[i] = flag
                if let key = tp[base + i].callerKey {
                  kp[i] = key
                  ip[i] = CallerTicket(tp[base + i], scope: flag?.code, organisational: organisational)
                }
              }
            }
          }
        }
      }
    }
    return ClassifiedSlice(flags: flags, items: items, keys: keys)
  }
}

extension Hotline {
  struct Callers: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Repeat callers for joint review (联合研判): evidence, never a verdict.",
      discussion: """
        Per caller: calls over time, the most calls in any --window-days window, bursts (a
        temporal scan over the caller's own history), the largest same-matter group and its
        outcomes, out-of-scope share, topic spread, places, night calls. Three evidence channels
        (burst, same unsettled matter, out-of-scope share) are tested against the population
        (scan statistic, negative-binomial and binomial tails on GSL, Bonferroni over callers);
        a caller is flagged only on evidence, never on the count alone. Flagged callers get a
        type, reasons, a route and a case file.
        """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Callers with fewer calls are not tested.") var minCalls = 3
    @Option(help: "Window of the 'N calls in D days' rule (days).") var windowDays = 30
    @Option(help: "Calls of the 'N calls in D days' rule.") var windowCalls = 8
    @Option(help: "Burst window (days).") var burstDays = 3
    @Option(help: "Family-wise error rate over all callers tested.") var alpha = 0.01
    @Option(help: "Rows of the table.") var top = 30
    @Option(help: "Print the case file of one caller (key, or masked number as shown).") var caseFile: String?
    @Flag(help: "Flagged callers only (default: also heavy users that are not flagged).") var flaggedOnly = false

    func validate() throws {
      guard minCalls >= 2 else { throw ValidationError("'--min-calls' must be at least 2.") }
      guard windowDays > 0, windowCalls > 0, burstDays > 0 else {
        throw ValidationError("windows and counts must be positive.")
      }
      guard alpha > 0 && alpha < 1 else { throw ValidationError("'--alpha' must be in (0, 1).") }
      guard top > 0 else { throw ValidationError("'--top' must be positive.") }
    }

    func run() throws {
      try global.guarded {
        let db = try global.openDatabase(create: false)
        let started = Date()
        let pass = try CallerPass.run(db, callers: true, progress: Progress(label: "callers", enabled: !global.json))
        var config = CallerReview.Config()
        config.minCalls = minCalls
        config.windowDays = windowDays
        config.windowCalls = windowCalls
        config.burstDays = burstDays
        config.alpha = alpha
        let result = pass.builder.review(config: config, clock: db.clock)
        var callers = result.callers
        if flaggedOnly { callers = callers.filter(\.flagged) }
        let scopeOf = Dictionary(pass.flags.map { ($0.ticketId, $0.code) }, uniquingKeysWith: { a, _ in a })
        let english = global.lang == .en
        func makeCaseFile(_ f: CallerFinding) throws -> CallerCaseFile {
          let tickets = try f.ticketIds.compactMap { try db.ticket(id: $0) }
          return CallerCaseFile(f, tickets: tickets, scopeOf: scopeOf, clock: db.clock, english: english)
        }
        if let wanted = caseFile {
          guard let f = result.callers.first(where: { $0.key == wanted || $0.mask == wanted }) else {
            throw CommandFailure(zh: "列出的来电人中没有 \(wanted)", en: "no caller \(wanted) among the callers listed")
          }
          let file = try makeCaseFile(f)
          if global.json { try Output.json(file) } else { Output.line(Self.render(file, lang: global.lang)) }
          return
        }
        let seconds = Date().timeIntervalSince(started)
        if global.json {
          let rows = try callers.map { f in
            CallerJSON(f, lang: global.lang, caseFile: f.flagged ? try makeCaseFile(f) : nil)
          }
          try Output.json(
            CallersJSON(
              callers: rows, population: result.population, concentration: result.concentration,
              flagged: callers.filter(\.flagged).count,
              config: .init(
                minCalls: minCalls, windowDays: windowDays, windowCalls: windowCalls, burstDays: burstDays,
                alpha: alpha),
              seconds: seconds))
        } else {
          Output.line(Self.render(result, callers: callers, top: top, lang: global.lang, seconds: seconds))
        }
      }
    }

    static func render(
      _ r: CallerReviewResult, callers: [CallerFinding], top: Int, lang: Language, seconds: Double
    ) -> String {
      var out: [String] = []
      let p = r.population
      let flagged = callers.filter(\.flagged).count
      out.append(
        lang.pick(
          "来电人 \(p.callers) 个（工单 \(p.tickets) 件），检验 \(p.tested) 个（≥ 最少来电次数）；标记 \(flagged) 个供联合研判，另列高频但无异常证据者 \(callers.count - flagged) 个。",
          "\(p.callers) callers (\(p.tickets) tickets), \(p.tested) tested; \(flagged) flagged for joint review, \(callers.count - flagged) heavy users listed but not flagged."
        ))
      out.append(
        lang.pick(
          "人群模型：每人来电负二项 (p=\(String(format: "%.3f", p.nbP)), r=\(String(format: "%.3f", p.nbR)))，超范围率 \(String(format: "%.2f%%", 100 * p.scopeRate))，未解决/不满意率 \(p.outcomeTickets == 0 ? "未知（无办理结果）" : String(format: "%.1f%%", 100 * p.unsettledRate))。",
          "Population: calls per caller negative binomial (p=\(String(format: "%.3f", p.nbP)), r=\(String(format: "%.3f", p.nbR))), out-of-scope rate \(String(format: "%.2f%%", 100 * p.scopeRate)), unsettled rate \(p.outcomeTickets == 0 ? "unknown (no outcomes)" : String(format: "%.1f%%", 100 * p.unsettledRate))."
        ))
      out.append("")
      var table = TextTable(
        headers: lang == .zh
          ? ["#", "来电人", "类型", "来电", "分值", "p 值", "建议路由", "主要理由"]
          : ["#", "caller", "type", "calls", "score", "p", "route", "main reason"],
        rightAligned: [0, 3, 4])
      for (i, f) in callers.prefix(top).enumerated() {
        let wanted: String =
          switch f.type {
          case .persistent: "matter"
          case .burst: "burst"
          case .scattershot, .petition: "scope"
          case .organisation: "organisation"
          case .frequent: "count_only"
          }
        let main = f.reasons.first { $0.code == wanted } ?? f.reasons.first
        var reason = main.map { lang == .zh ? $0.zh : $0.en } ?? ""
        if TextTable.displayWidth(reason) > 70 { reason = String(reason.prefix(lang == .zh ? 34 : 68)) + "…" }
        table.rows.append([
          "\(i + 1)", f.mask ?? String(f.key.prefix(8)),
          (lang == .zh ? f.type.chinese : f.type.rawValue) + (f.flagged ? "" : lang.pick("（不标记）", " (not flagged)")),
          "\(f.features.calls)", String(format: "%.1f", f.score), CallerReview.formatP(log10: log10(max(f.pValue, 1e-300))),
          lang == .zh ? f.route.chinese : f.route.english, reason,
        ])
      }
      out.append(table.render())
      let c = r.concentration
      let shares = c.top.prefix(3).map {
        String(format: "%@ %.1f%%", lang.pick("前", "top ") + String(format: "%g%%", 100 * $0.callerShare), 100 * $0.ticketShare)
      }.joined(separator: lang.pick("，", ", "))
      out.append("")
      out.append(
        lang.pick(
          "来电集中度：\(shares)；基尼系数 \(String(format: "%.3f", c.gini))。用时 \(String(format: "%.1f", seconds)) 秒。案卷：hotline callers --case-file <来电人>。",
          "Concentration: \(shares); Gini \(String(format: "%.3f", c.gini)). \(String(format: "%.1f", seconds)) s. Case file: hotline callers --case-file <caller>."
        ))
      return out.joined(separator: "\n")
    }

    static func render(_ f: CallerCaseFile, lang: Language) -> String {
      var out: [String] = []
      out.append(lang.pick("联合研判案卷 · 来电人 \(f.caller)（\(f.type.chinese)）", "Case file · caller \(f.caller) (\(f.type.rawValue))"))
      out.append(lang.pick("建议路由：\(f.routeLabel)", "Suggested route: \(f.routeLabel)"))
      out.append(lang.pick("时间：\(f.first) — \(f.last)", "Period: \(f.first) — \(f.last)"))
      out.append(lang.pick("理由：", "Reasons:"))
      for r in f.reasons { out.append("  - " + r) }
      out.append(
        lang.pick(
          "结果：解决 \(f.outcomes.resolved)，部分解决 \(f.outcomes.partial)，未解决 \(f.outcomes.unresolved)，未办结 \(f.outcomes.open)，不满意 \(f.outcomes.dissatisfied)，重办/关联 \(f.outcomes.reopened)",
          "Outcomes: resolved \(f.outcomes.resolved), partial \(f.outcomes.partial), unresolved \(f.outcomes.unresolved), open \(f.outcomes.open), dissatisfied \(f.outcomes.dissatisfied), re-opened \(f.outcomes.reopened)"
        ))
      out.append(
        lang.pick("承办单位：", "Departments: ")
          + f.departments.prefix(6).map { "\($0.name)×\($0.count)" }.joined(separator: lang.pick("，", ", ")))
      out.append(
        lang.pick("按月：", "By month: ") + f.timeline.map { "\($0.month) \($0.count)" }.joined(separator: lang.pick("，", ", ")))
      if !f.matter.ticketIds.isEmpty {
        out.append(
          lang.pick(
            "主要事项：「\(f.matter.title)」\(f.matter.ticketIds.count) 件，未解决或不满意 \(f.matter.unsettled) 件",
            "Main matter: “\(f.matter.title)” \(f.matter.ticketIds.count) tickets, \(f.matter.unsettled) unsettled"))
      }
      out.append("")
      var table = TextTable(
        headers: lang == .zh
          ? ["工单编号", "时间", "标题", "承办单位", "结果", "满意度", "超范围", "同一事项"]
          : ["ticket", "received", "title", "departments", "outcome", "satisfaction", "scope", "same matter"])
      for e in f.tickets {
        table.rows.append([
          e.ticketId, String(e.receivedAt.prefix(16)).replacingOccurrences(of: "T", with: " "), String(e.title.prefix(18)),
          e.departments.prefix(2).joined(separator: ";"), e.resolution ?? "", e.satisfaction ?? "", e.scopeClass ?? "",
          e.sameMatter ? "●" : "",
        ])
      }
      out.append(table.render())
      return out.joined(separator: "\n")
    }
  }

  struct Scope: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Out-of-scope requests (不合理不合规诉求), flagged, never rejected.",
      discussion: """
        Flags requests of the classes hotline centres publish (beyond jurisdiction; already in
        litigation, arbitration or petition; superstition; another person's private data; second
        claims after demolition and wish-pool requests; retiree wage disputes; private online
        disputes; private parking fees; repeats of answered matters; harassment; suspected
        mental-health crises), each with its reason and the words that fired. Flagged tickets
        stay in every count.
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Example rows per class in the table.") var examples = 3

    func run() throws {
      try global.guarded {
        let db = try global.openDatabase(create: false)
        let pass = try CallerPass.run(db, callers: false, progress: Progress(label: "scope", enabled: !global.json))
        let classifier = ScopeClassifier()
        var counts: [String: Int] = [:]
        for f in pass.flags { counts[f.code, default: 0] += 1 }
        let classes = classifier.book.classes.map { c in
          ScopeJSON.ClassCount(code: c.code, name: global.lang == .zh ? c.name : c.nameEnglish, count: counts[c.code] ?? 0)
        }
        if global.json {
          try Output.json(
            ScopeJSON(
              outOfScope: pass.flags.map { ScopeJSON.Flag($0, english: global.lang == .en) }, classes: classes,
              tickets: pass.tickets, flagged: pass.flags.count, seconds: pass.seconds))
          return
        }
        let lang = global.lang
        var out: [String] = []
        let share = String(format: "%.2f%%", 100 * Double(pass.flags.count) / Double(max(pass.tickets, 1)))
        out.append(
          lang.pick(
            "工单 \(pass.tickets) 件，标记超范围（不合理不合规）诉求 \(pass.flags.count) 件（\(share)）。仅作标记，不自动退回，仍计入各项统计。",
            "\(pass.tickets) tickets, \(pass.flags.count) flagged out of scope (\(share)). Flagged only, never rejected; they stay in every count."
          ))
        out.append("")
        var table = TextTable(
          headers: lang == .zh ? ["类别", "名称", "件数", "示例（工单编号：触发词）"] : ["class", "name", "tickets", "examples (ticket: words)"],
          rightAligned: [2])
        for c in classes where c.count > 0 {
          let ex = pass.flags.lazy.filter { $0.code == c.code }.prefix(examples).map {
            "\($0.ticketId)：\($0.evidence.prefix(3).joined(separator: "/"))"
          }.joined(separator: "  ")
          table.rows.append([c.code, c.name, "\(c.count)", ex])
        }
        out.append(table.render())
        Output.line(out.joined(separator: "\n"))
      }
    }
  }
}

/// `hotline callers --json`: one caller.
struct CallerJSON: Encodable {
  var caller: String
  var key: String
  var score: Double
  var type: String
  var calls: Int
  var pValue: Double
  var pAdjusted: Double
  var flagged: Bool
  var reasons: [String]
  var route: String
  var routeLabel: String
  var ticketIds: [String]
  var features: CallerFeatures
  var caseFile: CallerCaseFile?

  init(_ f: CallerFinding, lang: Language, caseFile: CallerCaseFile?) {
    caller = f.mask ?? "****"
    key = f.key
    score = (f.score * 1000).rounded() / 1000
    type = f.type.rawValue
    calls = f.features.calls
    pValue = f.pValue
    pAdjusted = f.pAdjusted
    flagged = f.flagged
    reasons = f.reasons.map { lang == .zh ? $0.zh : $0.en }
    route = f.route.rawValue
    routeLabel = lang == .zh ? f.route.chinese : f.route.english
    ticketIds = f.ticketIds
    features = f.features
    self.caseFile = caseFile
  }

  enum CodingKeys: String, CodingKey {
    case caller, key, score, type, calls, flagged, reasons, route, features
    case pValue = "p_value", pAdjusted = "p_adjusted", routeLabel = "route_label", ticketIds = "ticket_ids"
    case caseFile = "case_file"
  }
}

/// `hotline callers --json`.
struct CallersJSON: Encodable {
  struct Config: Encodable {
    var minCalls: Int
    var windowDays: Int
    var windowCalls: Int
    var burstDays: Int
    var alpha: Double
    enum CodingKeys: String, CodingKey {
      case alpha
      case minCalls = "min_calls", windowDays = "window_days", windowCalls = "window_calls", burstDays = "burst_days"
    }
  }
  var callers: [CallerJSON]
  var population: CallerPopulation
  var concentration: CallerConcentration
  var flagged: Int
  var config: Config
  var seconds: Double
}

/// `hotline scope --json`.
struct ScopeJSON: Encodable {
  struct Flag: Encodable {
    var ticketId: String
    var code: String
    var reason: String
    var evidence: [String]
    var classes: [String]
    init(_ f: ScopeFlag, english: Bool) {
      ticketId = f.ticketId
      code = f.code
      reason = english ? f.reasonEnglish : f.reason
      evidence = f.evidence
      classes = f.codes
    }
    enum CodingKeys: String, CodingKey {
      case reason, evidence, classes
      case ticketId = "ticket_id", code = "class"
    }
  }
  struct ClassCount: Encodable {
    var code: String
    var name: String
    var count: Int
    enum CodingKeys: String, CodingKey {
      case name, count
      case code = "class"
    }
  }
  var outOfScope: [Flag]
  var classes: [ClassCount]
  var tickets: Int
  var flagged: Int
  var seconds: Double
  enum CodingKeys: String, CodingKey {
    case classes, tickets, flagged, seconds
    case outOfScope = "out_of_scope"
  }
}
