import ArgumentParser
import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineReport
import HotlineStore

extension KPIGrouping: ExpressibleByArgument {}
extension BriefingKind: ExpressibleByArgument {}

/// KPI definitions and floors as options (shared by `kpi` and `brief`).
struct KPIOptions: ParsableArguments {
  @Option(help: "满意度 grades that count as satisfied (comma-separated).")
  var satisfied = "满意,基本满意,非常满意,比较满意"
  @Option(help: "满意度 values that are not a rating (excluded from 满意率).")
  var unrated = "未评价,未回访,无法联系,不需回访"
  @Flag(help: "Count 部分解决 as resolved in 解决率.")
  var partialResolved = false
  @Option(help: "Floor for 响应率.") var floorResponse = 0.92
  @Option(help: "Floor for 按时办结率.") var floorOnTime = 0.90
  @Option(help: "Floor for 解决率.") var floorResolution = 0.80
  @Option(help: "Floor for 满意率.") var floorSatisfaction = 0.85
  @Option(help: "Units with fewer assessable tickets are never named below a floor.") var minTickets = 30

  var definitions: KPIDefinitions {
    var d = KPIDefinitions()
    d.satisfiedGrades = satisfied.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    d.unratedGrades = unrated.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } + [""]
    d.partialCountsAsResolved = partialResolved
    return d
  }
  var thresholds: KPIThresholds {
    KPIThresholds(response: floorResponse, onTime: floorOnTime, resolution: floorResolution, satisfaction: floorSatisfaction, minTickets: minTickets)
  }
}

enum BriefingSupport {
  /// Epoch seconds of the start of a day number in the database's zone.
  static func epoch(day: Int, _ clock: ZoneClock) -> Int64 {
    let (y, m, d) = CivilDateTime.civilFromDays(day)
    return clock.epoch(CivilDateTime(year: y, month: m, day: d))
  }

  /// The last ticket's time and day (nil for an empty database).
  static func lastReceived(_ db: HotlineDatabase) throws -> (epoch: Int64, day: Int)? {
    try db.receivedMonths().last.map { ($0, db.clock.dayNumber($0)) }
  }

  static func parsePeriod(_ s: String) throws -> ReportPeriod {
    guard let p = ReportPeriod(parsing: s) else {
      throw CommandFailure(
        zh: "无法识别统计期 '\(s)'（可用 2024-06、2024-W23、2024-Q2、2024、2024-06-03 或 2024-06-01..2024-06-15）",
        en: "cannot read period '\(s)' (use 2024-06, 2024-W23, 2024-Q2, 2024, 2024-06-03 or 2024-06-01..2024-06-15)")
    }
    return p
  }

  static func tickets(_ db: HotlineDatabase, _ p: ReportPeriod) throws -> [Ticket] {
    try db.tickets(from: epoch(day: p.startDay, db.clock), to: epoch(day: p.endDay + 1, db.clock))
  }
}

/// Where a briefing reads its tickets: the database (by the received_at
/// index), or tickets already in memory (sorted by time, as `analyze` holds them).
struct BriefingSource {
  /// Tickets per local month ("yyyy-MM").
  let months: [String: Int]
  let last: (epoch: Int64, day: Int)?
  let tickets: (ReportPeriod) throws -> [Ticket]

  static func database(_ db: HotlineDatabase) throws -> BriefingSource {
    let clock = db.clock
    let (months, last) = try db.receivedMonths()
    return BriefingSource(
      months: months, last: last.map { ($0, clock.dayNumber($0)) }, tickets: { try BriefingSupport.tickets(db, $0) })
  }

  /// `sorted` must be ordered by receivedAt.
  static func memory(_ sorted: [Ticket], clock: ZoneClock) -> BriefingSource {
    var byDay: [Int: Int] = [:]
    for t in sorted { byDay[clock.dayNumber(t.receivedAt), default: 0] += 1 }
    var months: [String: Int] = [:]
    for (day, n) in byDay {
      let (y, m, _) = CivilDateTime.civilFromDays(day)
      months[String(format: "%04d-%02d", y, m), default: 0] += n
    }
    func lowerBound(_ epoch: Int64) -> Int {
      var lo = 0, hi = sorted.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if sorted[mid].receivedAt < epoch { lo = mid + 1 } else { hi = mid }
      }
      return lo
    }
    return BriefingSource(
      months: months, last: sorted.last.map { ($0.receivedAt, clock.dayNumber($0.receivedAt)) },
      tickets: { p in
        Array(
          sorted[lowerBound(BriefingSupport.epoch(day: p.startDay, clock))..<lowerBound(
            BriefingSupport.epoch(day: p.endDay + 1, clock))])
      })
  }
}

extension Hotline {
  struct Kpi: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Service KPIs (响应率, 按时办结率, 解决率, 满意率) by department, district or street.",
      discussion: """
        Definitions and floors are options (cities differ); the raw 满意度 grades are always
        listed. Units below a floor with at least --min-tickets assessable tickets are named,
        with the ids of the failing tickets.
        """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var kpi: KPIOptions
    @Option(help: "Unit: department (lead 承办单位), district or street.") var by: KPIGrouping = .department
    @Option(help: "Period: 2024-06, 2024-W23, 2024-Q2, 2024, a day, or FROM..TO (default: all tickets).") var period: String?
    @Option(help: "Evaluation day yyyy-MM-dd (open tickets past their deadline then are overdue; default: the last ticket's time, or the period's end).") var asOf: String?
    @Option(help: "Rows in the table.") var top = 20

    func run() throws {
      try global.guarded {
        let db = try global.openDatabase(create: false)
        let clock = db.clock
        let p = try period.map(BriefingSupport.parsePeriod)
        let last = try BriefingSupport.lastReceived(db)
        var asOfEpoch = last?.epoch ?? 0
        if let p { asOfEpoch = min(asOfEpoch, BriefingSupport.epoch(day: p.endDay + 1, clock)) }
        if let asOf {
          guard let d = ReportPeriod(parsing: asOf), d.kind == .day else { throw CommandFailure(zh: "无法识别 --as-of '\(asOf)'（格式 yyyy-MM-dd）", en: "cannot read --as-of '\(asOf)' (yyyy-MM-dd)") }
          asOfEpoch = BriefingSupport.epoch(day: d.endDay + 1, clock)
        }
        let start = Date()
        var b = KPIBuilder(grouping: by, asOf: asOfEpoch, definitions: kpi.definitions, thresholds: kpi.thresholds)
        if let p { for t in try BriefingSupport.tickets(db, p) { b.add(t) } } else { try db.forEachTicket { b.add($0) } }
        let report = b.finish()
        let seconds = Date().timeIntervalSince(start)
        if global.json {
          try Output.json(KPIJSON(period: p, asOfTime: clock.iso8601(asOfEpoch), report: report, seconds: seconds))
          return
        }
        let L = global.lang
        func pct(_ r: KPIRate) -> String { r.value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func row(_ r: KPIRow, _ name: String) -> [String] {
          func mark(_ k: String, _ rate: KPIRate) -> String { pct(rate) + (r.below.contains(k) ? " ▼" : "") }
          return [name, "\(r.tickets)", mark("response", r.response), mark("on_time", r.onTime), mark("resolution", r.resolution),
                  mark("satisfaction", r.satisfaction), "\(r.overdue)", "\(r.extended)", "\(r.returned)", "\(r.multipleTransfers)", "\(r.reopened)"]
        }
        var table = TextTable(
          headers: [L.pick("单位", "Unit"), L.pick("工单", "Tickets"), L.pick("响应率", "Response"), L.pick("按时办结率", "On time"),
                    L.pick("解决率", "Resolved"), L.pick("满意率", "Satisfied"), L.pick("超期", "Overdue"), L.pick("延期", "Extended"),
                    L.pick("退回", "Returned"), L.pick("多次转办", "Multi-transfer"), L.pick("重办", "Re-opened")],
          rightAligned: Set(1...10))
        table.rows.append(row(report.overall, L.pick("全部", "All")))
        for u in report.units.prefix(top) { table.rows.append(row(u, u.unit)) }
        Output.line(L.pick("统计期", "Period") + ": " + (p?.label ?? L.pick("全部工单", "all tickets")) + " · " + L.pick("截至", "as of") + " " + clock.iso8601(asOfEpoch))
        Output.line(table.render())
        let th = report.thresholds
        Output.line(String(format: L.pick("考核线：响应率 %.0f%%，按时办结率 %.0f%%，解决率 %.0f%%，满意率 %.0f%%（▼ 低于考核线）", "Floors: response %.0f%%, on time %.0f%%, resolution %.0f%%, satisfaction %.0f%% (▼ below)"),
                           th.response * 100, th.onTime * 100, th.resolution * 100, th.satisfaction * 100))
        if report.belowThreshold.isEmpty {
          Output.line(L.pick("本期无低于考核线的单位。", "No unit below a floor."))
        } else {
          Output.line(L.pick("低于考核线的单位：", "Units below a floor:"))
          for u in report.belowThreshold {
            let names = u.below.map { k -> String in
              switch k {
              case "response": return L.pick("响应率", "response") + " " + pct(u.response)
              case "on_time": return L.pick("按时办结率", "on time") + " " + pct(u.onTime)
              case "resolution": return L.pick("解决率", "resolution") + " " + pct(u.resolution)
              default: return L.pick("满意率", "satisfaction") + " " + pct(u.satisfaction)
              }
            }
            Output.line("  " + u.unit + "：" + names.joined(separator: "，"))
          }
        }
        if !report.pingPongPairs.isEmpty {
          Output.line(L.pick("多次转办最多的部门对：", "Department pairs with most repeated transfers:"))
          for pp in report.pingPongPairs.prefix(5) {
            Output.line("  \(pp.first) ↔ \(pp.second)：\(pp.tickets)" + L.pick(" 件（如 ", " tickets (e.g. ") + pp.ticketIds.prefix(3).joined(separator: ", ") + L.pick("）", ")"))
          }
        }
        let grades = report.overall.satisfactionGrades.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: "，")
        Output.line(L.pick("满意度原始等级：", "Raw satisfaction grades: ") + grades)
      }
    }
  }

  struct Brief: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Briefings: leadership one-pager, weekly, monthly, special and 每月一题 reports (HTML, PDF).",
      discussion: """
        Writes one self-contained HTML file (inline SVG charts, no network) and FILE.evidence.csv
        with every ticket id behind every linked number; --pdf also prints FILE.pdf with headless
        Chromium (Debian package chromium).
        """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var kpi: KPIOptions
    @Option(help: "leadership, weekly, monthly, special or monthly-topic.") var kind: BriefingKind = .leadership
    @Option(help: "Period (default: the last whole month, or week for weekly, in the data).") var period: String?
    @Option(help: "专报: a category path prefix or a word of the tickets' title/text; 每月一题: a category prefix.") var topic: String?
    @Option(help: "The HTML file to write.") var out = "briefing.html"
    @Flag(help: "Also print a PDF beside the HTML with headless Chromium.") var pdf = false
    @Flag(help: "Skip the recurring-class and caller analyses (faster; those sections then say 本期无).")
    var noFindings = false

    func validate() throws {
      if kind == .special && (topic ?? "").isEmpty { throw ValidationError("'--kind special' needs '--topic'.") }
    }

    func run() throws {
      try global.guarded {
        let db = try global.openDatabase(create: false)
        let seed = global.seed, lang = global.lang
        let result = try Brief.make(
          db: db, kind: kind, period: period, topic: topic, out: out, pdf: pdf, lang: lang, kpi: kpi,
          findings: noFindings ? nil : { try Findings.compute(db: db, period: $0, seed: seed, lang: lang) })
        if global.json {
          try Output.json(result)
        } else {
          Output.line(global.lang.pick("已写出简报：", "Briefing written: ") + result.html + (result.pdf.map { "，PDF：" + $0 } ?? ""))
          Output.line(global.lang.pick("证据清单：", "Evidence list: ") + result.evidenceCsv + String(format: global.lang.pick("（%d 件工单，%.2f 秒）", " (%d tickets, %.2f s)"), result.tickets, result.seconds))
        }
      }
    }

    struct BriefResult: Encodable {
      var kind: String
      var period: ReportPeriod
      var html: String
      var pdf: String?
      var evidenceCsv: String
      var tickets: Int
      var seconds: Double
      var data: BriefingData
      enum CodingKeys: String, CodingKey {
        case kind, period, html, pdf, tickets, seconds, data
        case evidenceCsv = "evidence_csv"
      }
    }

    static func make(
      db: HotlineDatabase, kind: BriefingKind, period: String?, topic: String?, out: String, pdf: Bool, lang: Language,
      kpi: KPIOptions, findings: ((ReportPeriod) throws -> BriefingFindings)? = nil, source: BriefingSource? = nil
    ) throws -> BriefResult {
      let start = Date()
      let clock = db.clock
      let source = try source ?? BriefingSource.database(db)
      guard let last = source.last else { throw CommandFailure(zh: "数据库中没有工单", en: "the database has no tickets") }
      let p = try period.map(BriefingSupport.parsePeriod) ?? ReportPeriod.lastWhole(kind == .weekly ? .week : .month, endingBy: last.day)
      let current = try source.tickets(p)
      let previous = try source.tickets(p.previous)
      let months = source.months
      let firstMonth = months.keys.min() ?? ""
      func monthKey(_ day: Int) -> String {
        let (y, m, _) = CivilDateTime.civilFromDays(day)
        return String(format: "%04d-%02d", y, m)
      }
      // Year-on-year: the same period a year earlier, when the data reaches back that far.
      let ye = p.yearEarlier
      var yearEarlierCount: Int? = nil
      if monthKey(ye.startDay) >= firstMonth {
        yearEarlierCount = p.kind == .month ? months[monthKey(ye.startDay)] ?? 0 : try source.tickets(ye).count
      }
      // Monthly trend: 12 months up to the period's month, with the months a year earlier.
      var trend: [BriefingData.TrendPoint] = []
      var monthlyCategory: [[String: Int]] = []
      if kind == .leadership || kind == .monthly || kind == .monthlyTopic {
        var (y, m, _) = CivilDateTime.civilFromDays(p.endDay)
        var keys: [(String, String)] = []
        for _ in 0..<12 {
          keys.append((String(format: "%04d-%02d", y, m), String(format: "%04d-%02d", y - 1, m)))
          (y, m) = m == 1 ? (y - 1, 12) : (y, m - 1)
        }
        for (k, ly) in keys.reversed() where k >= firstMonth {
          trend.append(.init(label: k, count: months[k] ?? 0, lastYear: ly >= firstMonth ? months[ly] ?? 0 : nil))
        }
        if kind == .monthlyTopic {
          // Persistence: level-2 category counts of the five months before the period.
          var day = p.startDay
          for _ in 0..<5 {
            let prevMonth = ReportPeriod.lastWhole(.month, endingBy: day - 1)
            day = prevMonth.startDay
            guard monthKey(day) >= firstMonth else { break }
            var c: [String: Int] = [:]
            for t in try source.tickets(prevMonth) { if let k = BriefingBuilder.l2(t) { c[k, default: 0] += 1 } }
            monthlyCategory.insert(c, at: 0)
          }
        }
      }
      let asOf = min(last.epoch, BriefingSupport.epoch(day: p.endDay + 1, clock))
      let input = BriefingInput(
        kind: kind, period: p, topic: topic, current: current, previous: previous, yearEarlierCount: yearEarlierCount,
        trend: trend, monthlyCategoryCounts: monthlyCategory, findings: try findings?(p) ?? BriefingFindings(),
        definitions: kpi.definitions,
        thresholds: kpi.thresholds, asOf: asOf, clock: clock)
      let data = BriefingBuilder.build(input, lang: lang)
      let csvPath = (out as NSString).deletingPathExtension + ".evidence.csv"
      let (html, evidence) = BriefingRenderer(lang: lang, evidenceFile: (csvPath as NSString).lastPathComponent)
        .render(data, generatedAt: clock.iso8601(Int64(Date().timeIntervalSince1970)))
      let dir = (out as NSString).deletingLastPathComponent
      if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
      try html.write(toFile: out, atomically: true, encoding: .utf8)
      var csv = "evidence_id,label,ticket_id\n"
      func field(_ s: String) -> String { s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
      for item in evidence { for id in item.ticketIds { csv += item.id + "," + field(item.label) + "," + field(id) + "\n" } }
      try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
      var pdfPath: String? = nil
      if pdf {
        let target = (out as NSString).deletingPathExtension + ".pdf"
        try Chromium.printPDF(html: out, pdf: target)
        pdfPath = target
      }
      var data2 = data
      data2.evidence = evidence.map { Evidence(id: $0.id, label: $0.label, count: $0.count, ticketIds: Array($0.ticketIds.prefix(50))) }
      return BriefResult(kind: kind.rawValue, period: p, html: out, pdf: pdfPath, evidenceCsv: csvPath, tickets: data.tickets, seconds: Date().timeIntervalSince(start), data: data2)
    }
  }

  struct Campaigns: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Seasonal profiles, forecasts and campaign planning/evaluation.",
      discussion: """
        Default: seasonal profile (month, ISO week, weekday, holiday and 调休 make-up workday
        indices) and a --weeks forecast with 95 % intervals for the busiest categories, and the
        campaign seasons in the horizon with suggested lead departments.
        --evaluate with --category, --from, --to (and --area): before/during/after volumes and
        closure quality against the seasonal expectation.
        --backtest N: holds out the last N weeks and scores the forecast (MAPE) against the
        seasonal-naive and naive baselines.
        """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Forecast horizon in weeks (4–12).") var weeks = 8
    @Option(help: "Category depth (1: level 1, 2: level 1->level 2).") var level = 2
    @Option(help: "Busiest categories profiled and forecast.") var top = 10
    @Flag(help: "Evaluate a campaign (needs --category, --from, --to).") var evaluate = false
    @Option(help: "Campaign category (path prefix, e.g. 生态环境->施工/工业/商业噪声).") var category: String?
    @Option(help: "Campaign area: a district or street name (default: everywhere).") var area: String?
    @Option(help: "Campaign first day yyyy-MM-dd.") var from: String?
    @Option(help: "Campaign last day yyyy-MM-dd.") var to: String?
    @Option(help: "Backtest: hold out the last N weeks and score the forecasts.") var backtest: Int?

    func validate() throws {
      guard (1...12).contains(weeks) else { throw ValidationError("'--weeks' must be 1…12 (4–12 recommended).") }
      guard (1...3).contains(level) else { throw ValidationError("'--level' must be 1, 2 or 3.") }
      if evaluate && (category == nil || from == nil || to == nil) { throw ValidationError("'--evaluate' needs '--category', '--from' and '--to'.") }
    }

    func run() throws {
      try global.guarded {
        let db = try global.openDatabase(create: false)
        let clock = db.clock
        let L = global.lang
        if evaluate { try runEvaluate(db, clock, L); return }
        let startTime = Date()
        var b = DailySeriesBuilder(clock: clock) { CampaignPlan.categoryKey($0, level: level) }
        try db.forEachTicket { b.add($0) }
        let (total, by) = b.finish()
        guard !total.counts.isEmpty else { throw CommandFailure(zh: "数据库中没有工单", en: "the database has no tickets") }
        if let backtest {
          var rows: [ForecastAccuracy] = []
          if let a = ForecastAccuracy.backtest(total, weeks: backtest, name: L.pick("全部", "all")) { rows.append(a) }
          let busiest = by.sorted { ($0.value.counts.reduce(0, +), $1.key) > ($1.value.counts.reduce(0, +), $0.key) }.prefix(top)
          for (k, s) in busiest { if let a = ForecastAccuracy.backtest(s, weeks: backtest, name: k) { rows.append(a) } }
          let seconds = Date().timeIntervalSince(startTime)
          if global.json { try Output.json(BacktestJSON(weeks: backtest, series: rows, seconds: seconds)); return }
          var table = TextTable(headers: [L.pick("序列", "Series"), L.pick("实际", "Actual"), "MAPE", L.pick("季节朴素 MAPE", "Seasonal naive"), L.pick("朴素 MAPE", "Naive"), L.pick("95%区间覆盖", "95% coverage")], rightAligned: [1, 2, 3, 4, 5])
          func f(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
          for r in rows { table.rows.append([r.series, "\(Int(r.actual))", f(r.mape), f(r.seasonalNaiveMape), f(r.naiveMape), f(r.coverage)]) }
          Output.line(L.pick("回测：留出最后 \(backtest) 周", "Backtest: last \(backtest) weeks held out"))
          Output.line(table.render())
          return
        }
        let plan = try CampaignPlan.make(total: total, byKey: by, weeks: weeks, top: top, lang: L == .zh) { cats, a, z in
          try db.tickets(from: BriefingSupport.epoch(day: a, clock), to: BriefingSupport.epoch(day: z + 1, clock))
            .lazy.filter { CampaignPlan.categoryKey($0, level: level).map { cats.contains($0) } == true }.prefix(20).map(\.id)
        }
        if global.json { try Output.json(plan); return }
        Output.line(L.pick("预测起点 \(plan.origin)，未来 \(weeks) 周（95% 预测区间）", "Forecast from \(plan.origin), \(weeks) weeks (95 % intervals)"))
        var table = TextTable(headers: [L.pick("分类", "Category"), L.pick("周", "Week"), L.pick("预测", "Expected"), L.pick("区间", "Interval"), L.pick("去年同期", "Last year")], rightAligned: [2, 3, 4])
        for c in [plan.total] + plan.categories {
          for (i, w) in c.forecast.enumerated() {
            table.rows.append([i == 0 ? c.category : "", w.start, String(format: "%.0f", w.expected), String(format: "%.0f–%.0f", w.low, w.high), w.lastYear.map { String(format: "%.0f", $0) } ?? "—"])
          }
        }
        Output.line(table.render())
        Output.line(L.pick("即将到来的高峰与建议专项行动：", "Coming peaks and suggested campaigns:"))
        if plan.suggestions.isEmpty { Output.line(L.pick("  本期无", "  none")) }
        for s in plan.suggestions {
          var line = "  \(s.name) \(s.start)–\(s.end)：" + L.pick("预测 ", "forecast ") + String(format: "%.0f（%.0f–%.0f）", s.forecast, s.forecastLow, s.forecastHigh)
          if let ly = s.lastYear { line += L.pick("，去年同窗 ", ", last year ") + String(format: "%.0f", ly) }
          if let r = s.lastYearRatio { line += String(format: L.pick("（为平常的 %.1f 倍）", " (%.1f× an ordinary window)"), r) }
          line += L.pick("；建议牵头：", "; lead: ") + s.leadDepartment
          Output.line(line)
          Output.line("    " + s.categories.joined(separator: "；"))
        }
        for c in plan.categories where !c.peakWeeks.isEmpty {
          Output.line("  " + c.category + L.pick(" 预测高峰周：", " peak weeks: ") + c.peakWeeks.joined(separator: ", "))
        }
      }
    }

    func runEvaluate(_ db: HotlineDatabase, _ clock: ZoneClock, _ L: Language) throws {
      guard let a = ReportPeriod(parsing: from!), a.kind == .day, let z = ReportPeriod(parsing: to!), z.kind == .day, a.startDay <= z.startDay else {
        throw CommandFailure(zh: "无法识别 --from/--to（格式 yyyy-MM-dd，且 from ≤ to）", en: "cannot read --from/--to (yyyy-MM-dd, from ≤ to)")
      }
      let len = z.startDay - a.startDay + 1
      let tickets = try db.tickets(from: BriefingSupport.epoch(day: a.startDay - len - 364, clock), to: BriefingSupport.epoch(day: z.startDay + len + 1, clock))
      let last = try BriefingSupport.lastReceived(db)?.epoch ?? 0
      let e = CampaignEvaluation.evaluate(tickets: tickets, category: category!, area: area, start: a.startDay, end: z.startDay, asOf: last, clock: clock)
      if global.json { try Output.json(e); return }
      func f(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
      var table = TextTable(headers: [L.pick("阶段", "Window"), L.pick("日期", "Dates"), L.pick("工单", "Tickets"), L.pick("季节预期", "Expected"), L.pick("按时办结率", "On time"), L.pick("解决率", "Resolved"), L.pick("满意率", "Satisfied")], rightAligned: [2, 3, 4, 5, 6])
      let names = ["before": L.pick("前", "before"), "during": L.pick("中", "during"), "after": L.pick("后", "after")]
      for w in e.windows {
        table.rows.append([names[w.name] ?? w.name, "\(w.start)–\(w.end)", "\(w.tickets)", w.expected.map { String(format: "%.1f", $0) } ?? "—", f(w.onTime), f(w.resolution), f(w.satisfaction)])
      }
      Output.line(L.pick("专项行动评估：", "Campaign evaluation: ") + e.category + (e.area.map { " · " + $0 } ?? ""))
      Output.line(table.render())
      if let r = e.duringRatio, let p = e.pValue { Output.line(String(format: L.pick("行动期间：实际/预期 = %.2f，p = %.2g", "During: observed/expected = %.2f, p = %.2g"), r, p)) }
      if let r = e.afterRatio, let p = e.afterPValue { Output.line(String(format: L.pick("行动之后：实际/预期 = %.2f，p = %.2g", "After: observed/expected = %.2f, p = %.2g"), r, p)) }
      // `method` stays English in JSON; the table names it in the chosen language.
      let methodZh =
        e.method.contains("one year earlier")
        ? "行动前 × 上年同期的季节变化（上年：窗口 / 行动前）" : "行动前 × 全部工单的变化（窗口 / 行动前）"
      Output.line(L.pick("预期方法：" + methodZh, "Expectation: " + e.method))
    }
  }
}

/// `hotline kpi --json`.
struct KPIJSON: Encodable {
  var period: ReportPeriod?
  var asOfTime: String
  var report: KPIReport
  var seconds: Double
  enum CodingKeys: String, CodingKey {
    case period, report, seconds
    case asOfTime = "as_of_time"
  }
}

/// `hotline campaigns --backtest N --json`.
struct BacktestJSON: Encodable {
  var weeks: Int
  var series: [ForecastAccuracy]
  var seconds: Double
}

/// Headless Chromium (Debian package `chromium`) for PDF and PNG.
enum Chromium {
  static func executable() -> String? {
    for name in ["chromium", "chromium-browser", "google-chrome", "headless_shell"] {
      for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
      }
    }
    return nil
  }

  static func printPDF(html: String, pdf: String) throws {
    guard let exe = executable() else {
      throw CommandFailure(
        zh: "--pdf 需要无界面 Chromium（apt-get install chromium；见 Scripts/bootstrap.sh）",
        en: "--pdf needs headless Chromium (apt-get install chromium; see Scripts/bootstrap.sh)")
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    let url = URL(fileURLWithPath: html).standardizedFileURL.absoluteString
    p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf=" + pdf, url]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0, FileManager.default.fileExists(atPath: pdf) else {
      throw CommandFailure(
        zh: "chromium 未能输出 \(pdf)（退出码 \(p.terminationStatus)）",
        en: "chromium could not print \(pdf) (exit \(p.terminationStatus))")
    }
  }
}
