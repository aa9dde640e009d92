import ArgumentParser
import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineReport
import HotlineStore

extension HotspotLevel: ExpressibleByArgument {}
extension TrendPValue: ExpressibleByArgument {}

extension Hotline {
  struct Hotspots: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Space-time hotspots: scan statistic, Gi* with FDR and trends, daily alerts.",
      discussion: """
        One finding per episode (the methods that agree are named inside), each significant after
        Benjamini-Hochberg control of the false discovery rate. Cases are tickets counted once per
        caller, category, area and day. --trends lists Emerging Hot Spot labels per area instead.
        """)

    enum MethodChoice: String, ExpressibleByArgument, CaseIterable { case scan, gstar, alerts, all }
    enum AlertBaselineChoice: String, ExpressibleByArgument, CaseIterable { case conditional, regression }
    enum AlertFamilyChoice: String, ExpressibleByArgument, CaseIterable { case run, day }
    enum ScanOverlapChoice: String, ExpressibleByArgument, CaseIterable { case spaceTime = "space-time", geographical }
    enum ScanFamilyChoice: String, ExpressibleByArgument, CaseIterable { case categories, clusters }

    @OptionGroup var global: GlobalOptions

    @Option(help: "First day (yyyy-MM-dd, local), default: the data's first day.")
    var from: String?

    @Option(help: "Last day (yyyy-MM-dd, inclusive), default: the data's last day.")
    var to: String?

    @Option(help: "scan, gstar, alerts or all.")
    var method: MethodChoice = .all

    @Option(help: "district, street, community or grid.")
    var level: HotspotLevel = .street

    @Option(help: "Grid cell size in km (--level grid).")
    var gridKm = 1.0

    @Option(help: "Category levels that make a category (1: level 1 only, 2: level 1 -> level 2).")
    var categoryDepth = 2

    @Option(help: "Scan: Monte Carlo replicates (at least 999 for reporting).")
    var replicates = 999

    @Option(help: "Scan: maximum circle radius in km (also the Gi* neighbourhood and episode distance).")
    var maxRadiusKm = 3.0

    @Option(help: "Scan: maximum window in days.")
    var maxDays = 14

    @Option(help: "Scan: clusters considered per category (primary and secondary).")
    var maxClusters = 20

    @Option(help: "Scan: secondary clusters may not share an area on a common day (space-time) or at all (geographical, SaTScan's default).")
    var scanOverlap: ScanOverlapChoice = .spaceTime

    @Flag(help: "Scan: prospective, only clusters still going on the last day (windows ending on it), each with its recurrence interval in days (a daily surveillance run; default: retrospective, every window of the period).")
    var prospective = false

    @Option(help: "Scan: a CSV of area,population (area as district/street[/community] down to --level); the scan then uses the Poisson model against population instead of the space-time permutation model.")
    var population: String?

    @Option(help: "False discovery rate of the findings (Benjamini-Hochberg).")
    var fdr = 0.05

    @Option(help: "Scan multiple testing: categories (Benjamini-Hochberg across categories on their most likely clusters, then every cluster of the R selected of m categories at p <= fdr * R / m) or clusters (one Benjamini-Hochberg family of all clusters).")
    var scanFamily: ScanFamilyChoice = .categories

    @Option(help: "Alerts baseline: conditional (area's share on same-kind days) or regression (ESSENCE-style, EWMA fallback).")
    var alertsBaseline: AlertBaselineChoice = .conditional

    @Option(help: "Alerts, regression baseline: use the fit when its adjusted deviance R² is at least this (else EWMA).")
    var alertsMinR2 = 0.6

    @Option(help: "Alerts: days before --from read as the baseline of the period's first days (0: none).")
    var historyDays = 58

    @Option(help: "Alerts multiple-testing family: run (every test of the run) or day (each day's tests, a daily run).")
    var alertsFamily: AlertFamilyChoice = .run

    @Option(help: "Gazetteer of county and street centres for areas without located tickets (default: datasets/gazetteer, 'none' to skip).")
    var gazetteer: String?

    @Option(help: "The city the districts belong to, for the gazetteer (default: the city most district names point to).")
    var city: String?

    @Flag(help: "List Emerging Hot Spot labels per area and category instead of findings.")
    var trends = false

    @Flag(
      inversion: .prefixedNo,
      help: "Trends: a week is hot or cold when its Gi* passes Benjamini-Hochberg at 10 % over every area and week of the category (--no-trend-fdr: each week on its own at 10 %, as an exploratory map; expect false labels).")
    var trendFdr = true

    @Option(help: "Trends: the p-value of a week's Gi*: permutation (conditional, the default) or normal (ArcGIS's, from the z-score).")
    var trendP: TrendPValue = .permutation

    @Option(help: "Rows shown in the table (JSON always lists all).")
    var top = 30

    func validate() throws {
      guard replicates >= 0 else { throw ValidationError("'--replicates' must not be negative.") }
      guard maxClusters >= 1 else { throw ValidationError("'--max-clusters' must be at least 1.") }
      guard maxRadiusKm > 0, maxDays >= 1 else { throw ValidationError("'--max-radius-km' and '--max-days' must be positive.") }
      guard fdr > 0, fdr < 1 else { throw ValidationError("'--fdr' must be between 0 and 1.") }
      guard (1...4).contains(categoryDepth) else { throw ValidationError("'--category-depth' must be 1 to 4.") }
      for d in [from, to].compactMap({ $0 }) where Self.day(d) == nil {
        throw ValidationError("'\(d)' is not a date (yyyy-MM-dd).")
      }
    }

    static func day(_ s: String) -> Int? {
      let p = s.split(whereSeparator: { $0 == "-" || $0 == "/" }).compactMap { Int($0) }
      guard p.count == 3, CivilDateTime(year: p[0], month: p[1], day: p[2]).isValid else { return nil }
      return CivilDateTime.daysFromCivil(year: p[0], month: p[1], day: p[2])
    }

    func run() throws {
      try global.guarded {
        let db = try global.openDatabase(create: false)
        let started = Date()
        let gaz = try loadGazetteer()
        let input = try HotspotInput(
          level: level, categoryDepth: categoryDepth, from: from.flatMap(Self.day), to: to.flatMap(Self.day),
          gridKm: gridKm, clock: db.clock, gazetteer: gaz, city: city,
          historyDays: method == .all || method == .alerts ? historyDays : 0
        ) { add in try db.forEachTicket { add($0) } }
        var config = HotspotConfig()
        config.methods = method == .all ? Set(HotspotMethod.allCases) : [HotspotMethod(rawValue: method.rawValue)!]
        if trends { config.methods.insert(.gstar) }
        config.trendFDR = trendFdr
        config.trendPValue = trendP
        config.seed = global.seed
        config.replicates = replicates
        config.maxRadiusKm = maxRadiusKm
        config.maxDays = maxDays
        config.maxClustersPerCategory = maxClusters
        config.prospective = prospective
        if let population { config.population = try Self.population(population, input: input) }
        config.secondaryOverlapName = scanOverlap == .spaceTime ? "space_time" : "geographical"
        config.fdr = fdr
        config.scanFamily = ScanFamily(rawValue: scanFamily.rawValue)!
        config.alertBaselineName = alertsBaseline.rawValue
        config.alertRegressionMinR2 = alertsMinR2
        config.alertFamily = AlertFamily(rawValue: alertsFamily.rawValue)!
        var result = try HotspotAnalysis.run(input, level: level, config: config)
        for i in result.hotspots.indices { result.hotspots[i].label = label(result.hotspots[i]) }
        let seconds = Date().timeIntervalSince(started)
        if global.json {
          if trends {
            try Output.json(
              TrendsJSON(
                trends: result.trends.map(TrendJSON.init), fdr: config.trendFDR, pValue: config.trendPValue.rawValue,
                alpha: config.trendAlpha))
          } else {
            try Output.json(HotspotsJSON(result, seed: global.seed, seconds: seconds, config: config))
          }
        } else {
          Output.line(trends ? renderTrends(result) : render(result, seconds: seconds))
        }
      }
    }

    func label(_ h: Hotspot) -> String { Findings.label(h, lang: global.lang) }

    /// Reads `area,population` rows (a header line is skipped) and maps them onto the
    /// input's areas; every area with cases needs a positive population.
    static func population(_ path: String, input: HotspotInput) throws -> [Double] {
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw CommandFailure(zh: "无法读取人口文件 \(path)", en: "cannot read the population file \(path)")
      }
      var rows: [(area: String, population: Double)] = []
      for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() {
        let f = line.split(separator: ",", omittingEmptySubsequences: false).map {
          $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\"\u{FEFF}")))
        }
        guard f.count >= 2, let p = Double(f[1]) else {
          if i == 0 { continue }  // header
          throw CommandFailure(
            zh: "\(path):\(i + 1)：应为“区域,人口”，人口须为数字", en: "\(path):\(i + 1): expected 'area,population' with a number")
        }
        rows.append((f[0], p))
      }
      let (values, missing) = input.population(rows)
      guard missing.isEmpty else {
        let more = missing.count > 5 ? " …" : ""
        throw CommandFailure(
          zh: "\(path) 缺少 \(missing.count) 个区域的人口（或人口不为正）：\(missing.prefix(5).joined(separator: "、"))\(more)",
          en: "\(path) lacks a positive population for \(missing.count) areas: \(missing.prefix(5).joined(separator: ", "))\(more)")
      }
      return values
    }

    /// The gazetteer named by --gazetteer, else the default one if present.
    func loadGazetteer() throws -> AdminGazetteer? {
      if let g = gazetteer {
        if g == "none" { return nil }
        return try AdminGazetteer(contentsOf: URL(fileURLWithPath: g))
      }
      guard level != .grid, let url = AdminGazetteer.defaultURL() else { return nil }
      return try? AdminGazetteer(contentsOf: url)
    }

    func render(_ r: HotspotResult, seconds: Double) -> String {
      let lang = global.lang
      let levelName = ["district": "区县", "street": "街道", "community": "社区", "grid": "网格"][level.rawValue] ?? level.rawValue
      var out = lang.pick(
        "热点（\(levelName) 级，\(r.areas) 个区域，\(r.days) 天，\(r.cases) 个案例，\(r.categoriesAnalysed) 个分类；FDR ≤ \(fdr)）：\(r.hotspots.count) 个，用时 \(String(format: "%.1f", seconds)) 秒\n",
        "Hotspots (\(level.rawValue) level, \(r.areas) areas, \(r.days) days, \(r.cases) cases, \(r.categoriesAnalysed) categories; FDR ≤ \(fdr)): \(r.hotspots.count), \(String(format: "%.1f", seconds)) s\n")
      var t = TextTable(
        headers: (lang == .zh
          ? ["编号", "区域", "分类", "起止", "观测", "期望", "相对风险", "p 值", "方法", "工单"]
          : ["id", "area", "category", "dates", "observed", "expected", "RR", "p", "methods", "tickets"])
          + (prospective ? [lang.pick("重现间隔（天）", "recurrence (days)")] : []),
        rightAligned: prospective ? [4, 5, 6, 7, 9, 10] : [4, 5, 6, 7, 9])
      for h in r.hotspots.prefix(top) {
        let leaf = h.category.components(separatedBy: Ticket.categorySeparator).last ?? h.category
        t.rows.append([
          h.id, h.area.replacingOccurrences(of: "/", with: " ") + (h.areas.count > 1 ? " +\(h.areas.count - 1)" : ""),
          leaf, h.start == h.end ? h.start : "\(h.start)~\(h.end.suffix(5))", "\(h.observed)",
          String(format: "%.1f", h.expected), String(format: "%.1f", h.relativeRisk), String(format: "%.3g", h.pValue),
          h.methods.map { methodName($0) }.joined(separator: "+"), "\(h.ticketIds.count)",
        ] + (prospective ? [h.recurrenceIntervalDays.map { String(format: $0 < 1e6 ? "%.0f" : "%.2g", $0) } ?? "-"] : []))
      }
      out += t.render()
      if r.hotspots.count > top {
        out += lang.pick("\n（另有 \(r.hotspots.count - top) 个，见 --json 或 --top）", "\n(\(r.hotspots.count - top) more: --json or --top)")
      }
      return out
    }

    func methodName(_ m: String) -> String {
      guard global.lang == .zh else { return m }
      switch m {
      case "scan": return "扫描"
      case "gstar": return "Gi*"
      case "alerts": return "日预警"
      default: return m
      }
    }

    func renderTrends(_ r: HotspotResult) -> String {
      let lang = global.lang
      let names: [String: String] = [
        "new": "新热点", "consecutive": "连续热点", "intensifying": "加剧热点", "persistent": "持续热点",
        "diminishing": "减弱热点", "sporadic": "零星热点", "oscillating": "振荡热点", "historical": "历史热点",
      ]
      var t = TextTable(
        headers: lang == .zh
          ? ["区域", "分类", "趋势标签", "热点期数", "冷点期数", "末期 z", "MK tau", "MK p"]
          : ["area", "category", "label", "hot periods", "cold periods", "last z", "MK tau", "MK p"],
        rightAligned: [3, 4, 5, 6, 7])
      let order = ["intensifying", "persistent", "consecutive", "new", "sporadic", "oscillating", "diminishing", "historical"]
      let sorted = r.trends.sorted {
        (order.firstIndex(of: $0.label) ?? 9, -$0.lastZ) < (order.firstIndex(of: $1.label) ?? 9, -$1.lastZ)
      }
      for x in sorted.prefix(top) {
        t.rows.append([
          x.area.replacingOccurrences(of: "/", with: " "),
          x.category.components(separatedBy: Ticket.categorySeparator).last ?? x.category,
          lang == .zh ? (names[x.label] ?? x.label) : x.label, "\(x.hotPeriods)/\(x.periods)", "\(x.coldPeriods)",
          String(format: "%.2f", x.lastZ), String(format: "%.2f", x.trendTau), String(format: "%.3g", x.trendP),
        ])
      }
      let test = trendFdr
        ? lang.pick("每个分类的全部区域×周经 FDR 10% 控制", "FDR 10 % over each category's areas x weeks")
        : lang.pick("每周单独 10% 显著，未控制多重检验，仅供探索", "each week at 10 % on its own, no multiple-testing control: exploratory")
      return lang.pick(
        "新兴热点趋势（每周 Gi*，\(test)；\(r.trends.count) 个区域×分类）\n",
        "Emerging hot spot trends (weekly Gi*, \(test); \(r.trends.count) area x category)\n")
        + (r.trends.isEmpty
          ? (trendFdr
            ? lang.pick("无：没有区域的热点变化在多重检验控制后显著。\n", "None: no area's change is significant after multiple-testing control.\n")
            : lang.pick("无。\n", "None.\n"))
          : t.render())
    }
  }
}

/// `hotline hotspots --json` (field names documented in README).
struct HotspotsJSON: Encodable {
  struct Item: Encodable {
    var id, method: String
    var methods: [String]
    var area: String
    var areas: [String]
    var level, category, start, end: String
    var observed: Int
    var expected, relativeRisk, statistic, pValue, qValue: Double
    var recurrenceIntervalDays: Double?
    var label, detectedAt: String
    var ticketIds: [String]
    var lon, lat: Double

    enum CodingKeys: String, CodingKey {
      case id, method, methods, area, areas, level, category, start, end, observed, expected, statistic, label, lon, lat
      case relativeRisk = "relative_risk", pValue = "p_value", qValue = "q_value"
      case recurrenceIntervalDays = "recurrence_interval_days", detectedAt = "detected_at", ticketIds = "ticket_ids"
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id)
      try c.encode(method, forKey: .method)
      try c.encode(methods, forKey: .methods)
      try c.encode(area, forKey: .area)
      try c.encode(areas, forKey: .areas)
      try c.encode(level, forKey: .level)
      try c.encode(category, forKey: .category)
      try c.encode(start, forKey: .start)
      try c.encode(end, forKey: .end)
      try c.encode(observed, forKey: .observed)
      try c.encode(expected, forKey: .expected)
      try c.encode(relativeRisk.isFinite ? relativeRisk : 1e9, forKey: .relativeRisk)
      try c.encode(statistic, forKey: .statistic)
      try c.encode(pValue, forKey: .pValue)
      try c.encode(qValue, forKey: .qValue)
      try c.encode(recurrenceIntervalDays, forKey: .recurrenceIntervalDays)  // null when not prospective
      try c.encode(label, forKey: .label)
      try c.encode(detectedAt, forKey: .detectedAt)
      try c.encode(ticketIds, forKey: .ticketIds)
      try c.encode(lon, forKey: .lon)
      try c.encode(lat, forKey: .lat)
    }
  }
  struct Summary: Encodable {
    var areas, days, cases, categories, replicates, alertTests, alertRawAlarms: Int
    var alertRawAlarms05, alertTestsWithCase: Int
    var alertBaseline, alertFamily, scanFamily, scanAnalysis, scanModel: String
    var seed: UInt64
    var seconds: Double
    var methodSeconds: [String: Double]
    enum CodingKeys: String, CodingKey {
      case areas, days, cases, categories, replicates, seed, seconds
      case methodSeconds = "method_seconds"
      case alertTests = "alert_tests", alertRawAlarms = "alert_raw_alarms"
      case alertRawAlarms05 = "alert_raw_alarms_05", alertTestsWithCase = "alert_tests_with_case"
      case alertBaseline = "alert_baseline", alertFamily = "alert_family", scanFamily = "scan_family"
      case scanAnalysis = "scan_analysis", scanModel = "scan_model"
    }
  }
  var hotspots: [Item]
  var summary: Summary

  init(_ r: HotspotResult, seed: UInt64, seconds: Double, config: HotspotConfig = .init()) {
    hotspots = r.hotspots.map {
      Item(
        id: $0.id, method: $0.method, methods: $0.methods, area: $0.area, areas: $0.areas, level: $0.level,
        category: $0.category, start: $0.start, end: $0.end, observed: $0.observed, expected: $0.expected,
        relativeRisk: $0.relativeRisk, statistic: $0.statistic, pValue: $0.pValue, qValue: $0.qValue,
        recurrenceIntervalDays: $0.recurrenceIntervalDays, label: $0.label, detectedAt: $0.detectedAt,
        ticketIds: $0.ticketIds, lon: $0.lon, lat: $0.lat)
    }
    summary = Summary(
      areas: r.areas, days: r.days, cases: r.cases, categories: r.categoriesAnalysed, replicates: r.replicatesRun,
      alertTests: r.alertTests, alertRawAlarms: r.alertRawAlarms, alertRawAlarms05: r.alertRawAlarms05,
      alertTestsWithCase: r.alertTestsWithCase, alertBaseline: config.alertBaselineName,
      alertFamily: config.alertFamily.rawValue, scanFamily: config.scanFamily.rawValue,
      scanAnalysis: config.scanAnalysisName, scanModel: config.population == nil ? "space_time_permutation" : "poisson", seed: seed, seconds: seconds, methodSeconds: r.methodSeconds)
  }
}

struct TrendJSON: Encodable {
  var area, level, category, label: String
  var periods, hotPeriods, coldPeriods: Int
  var lastZ, trendTau, trendP: Double
  enum CodingKeys: String, CodingKey {
    case area, level, category, label, periods
    case hotPeriods = "hot_periods", coldPeriods = "cold_periods", lastZ = "last_z", trendTau = "trend_tau"
    case trendP = "trend_p"
  }
  init(_ t: HotspotTrend) {
    area = t.area
    level = t.level
    category = t.category
    label = t.label
    periods = t.periods
    hotPeriods = t.hotPeriods
    coldPeriods = t.coldPeriods
    lastZ = t.lastZ
    trendTau = t.trendTau
    trendP = t.trendP
  }
}

struct TrendsJSON: Encodable {
  var trends: [TrendJSON]
  /// How a week was judged hot or cold: BH over the category's cube or not, and which p-value.
  var fdr: Bool
  var pValue: String
  var alpha: Double
  enum CodingKeys: String, CodingKey {
    case trends, fdr, alpha
    case pValue = "p_value"
  }
}
