import Foundation
import HotlineAnalysis
import HotlineCore

/// Renders a briefing as one self-contained HTML file: inline CSS and SVG, no
/// scripts, no network. Every ticket text is HTML-escaped; every number with
/// evidence links to the appendix of ticket ids.
public struct BriefingRenderer {
  public var lang: Language
  /// Ticket ids listed per evidence item in the appendix (the rest go to the evidence CSV).
  public var appendixLimit: Int
  /// Name of the evidence CSV written beside the HTML (mentioned in the appendix), if any.
  public var evidenceFile: String?

  public init(lang: Language, appendixLimit: Int = 100, evidenceFile: String? = nil) {
    self.lang = lang
    self.appendixLimit = appendixLimit
    self.evidenceFile = evidenceFile
  }

  /// The HTML and every evidence item it links to.
  public func render(_ d: BriefingData, generatedAt: String) -> (html: String, evidence: [Evidence]) {
    var w = Writer(lang: lang, evidence: d.evidence)
    w.page(d, generatedAt: generatedAt)
    w.appendix(limit: appendixLimit, file: evidenceFile)
    w.out += "</main></body></html>\n"
    return (w.out, w.evidence)
  }
}

/// The label of a rate's failing tickets: a rate keeps the first 50, so a
/// longer list says how many it holds of how many.
func failingTicketsLabel(_ label: String, _ r: KPIRate, _ lang: Language) -> String {
  let failing = r.denominator - r.numerator, listed = r.failingTicketIds.count
  return failing > listed ? label + lang.pick("（前\(listed)件，共\(failing)件）", " (first \(listed) of \(failing))") : label
}

private struct Writer {
  let lang: Language
  var evidence: [Evidence]
  var out = ""

  init(lang: Language, evidence: [Evidence]) {
    self.lang = lang
    self.evidence = evidence
  }

  func t(_ zh: String, _ en: String) -> String { lang.pick(zh, en) }
  func e(_ s: String) -> String { escapeHTML(s) }

  mutating func ev(_ label: String, _ ids: [String]) -> String {
    if let existing = evidence.first(where: { $0.label == label && $0.ticketIds == ids }) { return existing.id }
    let id = "ev\(evidence.count + 1)"
    evidence.append(Evidence(id: id, label: label, count: ids.count, ticketIds: ids))
    return id
  }
  func evLabel(_ label: String) -> String? { evidence.first { $0.label == label }?.id }

  /// A number linked to its evidence.
  mutating func num(_ text: String, _ label: String, _ ids: [String]) -> String {
    ids.isEmpty ? e(text) : "<a class=\"ev\" href=\"#\(ev(label, ids))\">\(e(text))</a>"
  }
  func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
  func change(_ now: Int, _ before: Int?) -> String {
    guard let before, before > 0 else { return "—" }
    let c = (Double(now) / Double(before) - 1) * 100
    return String(format: "%@%.1f%%", c >= 0 ? "+" : "−", abs(c))
  }
  /// A rate linked to its failing tickets; a rate keeps only the first 50,
  /// so a longer list says so in its label (the appendix and the CSV hold those).
  mutating func rate(_ r: KPIRate, _ label: String) -> String {
    num(pct(r.value), failingTicketsLabel(label, r, lang), r.failingTicketIds)
  }

  static let css = """
    body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;color:#222;margin:0;background:#fff}
    main{max-width:900px;margin:0 auto;padding:24px 28px}
    h1{font-size:24px;margin:0 0 4px;color:#a61b1b;border-bottom:3px solid #a61b1b;padding-bottom:8px}
    h2{font-size:18px;margin:22px 0 8px;border-left:5px solid #a61b1b;padding-left:8px}
    h3{font-size:15px;margin:12px 0 6px}
    .meta{color:#666;font-size:12px;margin-bottom:12px}
    .tiles{display:flex;flex-wrap:wrap;gap:10px}
    .tile{flex:1 1 150px;border:1px solid #ddd;border-radius:6px;padding:8px 10px}
    .tile .v{font-size:22px;font-weight:bold}.tile .l{font-size:12px;color:#666}.tile .s{font-size:11px;color:#666}
    table{border-collapse:collapse;width:100%;font-size:12px;margin:6px 0}
    th,td{border:1px solid #ddd;padding:3px 6px;text-align:left}th{background:#f3f3f3}
    td.n{text-align:right;font-variant-numeric:tabular-nums}
    .card{border:1px solid #e0c9c9;border-radius:6px;padding:8px 12px;margin:8px 0;background:#fffafa}
    .case{font-size:12px;color:#444;background:#f6f6f6;padding:6px 8px;border-radius:4px;white-space:pre-wrap}
    .alert{padding:4px 8px;margin:3px 0;border-radius:4px;font-size:13px}
    .red{background:#fde2e1;border-left:6px solid #c0392b}.amber{background:#fff3d6;border-left:6px solid #e6a100}.green{background:#e3f5e6;border-left:6px solid #2e8b3e}
    .none{color:#888;font-style:italic}
    a.ev{color:inherit;text-decoration:underline dotted}
    .appendix{font-size:11px;color:#444;word-break:break-all}
    .below{color:#c0392b;font-weight:bold}
    svg.chart{max-width:100%;height:auto;display:block;margin:6px 0}
    @media print{main{padding:0}h2.appendix-title{break-before:page}h2{break-after:avoid}.card{break-inside:avoid}}
    """

  mutating func page(_ d: BriefingData, generatedAt: String) {
    let title = d.kind.title(lang) + (d.topic.map { "：" + $0 } ?? "")
    out += "<!DOCTYPE html>\n<html lang=\"\(lang == .zh ? "zh-CN" : "en")\"><head><meta charset=\"utf-8\">"
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>\(e(title)) \(e(d.period.label))</title>"
    out += "<style>\(Writer.css)</style></head><body><main>"
    out += "<h1>\(e(title))</h1>"
    out += "<div class=\"meta\">\(e(t("统计期", "Period"))) \(e(d.period.label))（\(ReportPeriod.dayString(d.period.startDay)) – \(ReportPeriod.dayString(d.period.endDay))）· \(e(t("生成于", "generated"))) \(e(generatedAt)) · \(e(t("数据中的电话号码均已脱敏", "phone numbers masked")))</div>"
    switch d.kind {
    case .leadership: leadership(d)
    case .weekly: weekly(d)
    case .monthly: monthly(d)
    case .special: special(d)
    case .monthlyTopic: monthlyTopic(d)
    }
  }

  // MARK: sections

  mutating func tiles(_ d: BriefingData) {
    let total = num("\(d.tickets)", t("本期工单", "Tickets of the period"), evidence.first { $0.id == "ev1" }?.ticketIds ?? [])
    out += "<div class=\"tiles\">"
    out += "<div class=\"tile\"><div class=\"l\">\(t("受理总量", "Tickets"))</div><div class=\"v\">\(total)</div><div class=\"s\">\(t("同比", "YoY")) \(change(d.tickets, d.yearEarlierTickets)) · \(t("环比", "vs previous")) \(change(d.tickets, d.previousTickets)) · \(t("日均", "per day")) \(String(format: "%.1f", d.dailyAverage))</div></div>"
    for (l, r, floor) in [
      (t("响应率", "Response rate"), d.kpi.response, d.thresholds.response),
      (t("按时办结率", "On-time closure"), d.kpi.onTime, d.thresholds.onTime),
      (t("解决率", "Resolution rate"), d.kpi.resolution, d.thresholds.resolution),
      (t("满意率", "Satisfaction"), d.kpi.satisfaction, d.thresholds.satisfaction),
    ] {
      let cls = (r.value ?? 1) < floor ? " below" : ""
      out += "<div class=\"tile\"><div class=\"l\">\(e(l))</div><div class=\"v\(cls)\">\(rate(r, l + t("未达标工单", ": failing tickets")))</div><div class=\"s\">\(r.numerator)/\(r.denominator) · \(t("目标", "floor")) \(pct(floor))</div></div>"
    }
    out += "</div>"
  }

  mutating func trend(_ d: BriefingData) {
    guard !d.trend.isEmpty else { return }
    let daily = d.kind == .weekly || d.kind == .special
    let legend = daily && d.kind == .special
      ? (t("本期", "this period"), t("上期", "previous period"))
      : (daily ? (t("本周", "this week"), t("上周", "previous week")) : (t("本期", "this period"), t("去年同期", "same period last year")))
    out += Charts.line(labels: d.trend.map(\.label), values: d.trend.map { Double($0.count) }, compare: d.trend.map { $0.lastYear.map(Double.init) }, legend: legend)
  }

  mutating func alerts(_ d: BriefingData, heading: Bool = true) {
    if heading { out += "<h2>\(t("预警", "Alerts"))</h2>" }
    for a in d.alerts {
      let link = a.evidence.map { " <a class=\"ev\" href=\"#\($0)\">\(t("证据", "evidence"))</a>" } ?? ""
      out += "<div class=\"alert \(a.level.rawValue)\">\(e(a.text))\(link)</div>"
    }
  }

  mutating func rising(_ d: BriefingData, cards: Bool) {
    if d.rising.isEmpty && d.findings.hotspots.isEmpty { out += "<p class=\"none\">\(t("本期无", "None this period"))</p>"; return }
    for (i, h) in d.findings.hotspots.enumerated() {
      out += "<div class=\"card\"><h3>\(i + 1). \(e(h.title))</h3><div>\(e(h.area)) · \(e(h.category)) · \(e(h.start))–\(e(h.end))</div>"
      out += "<div>\(t("观测", "observed")) \(num("\(h.observed)", h.title, h.ticketIds)) · \(t("预期", "expected")) \(String(format: "%.1f", h.expected)) · p=\(String(format: "%.2g", h.pValue))"
      if let l = h.leadDepartment { out += " · \(t("建议牵头单位", "suggested lead")): \(e(l))" }
      out += "</div>"
      if let c = h.typicalTicket { out += "<div class=\"case\">\(t("典型案例", "Typical case")) \(e(h.typicalTicketId ?? ""))：\(e(c))</div>" }
      out += "</div>"
    }
    let offset = d.findings.hotspots.count
    for (i, r) in d.rising.enumerated() {
      if cards {
        out += "<div class=\"card\"><h3>\(offset + i + 1). \(e(r.category))</h3>"
        out += "<div>\(t("本期", "this period")) \(num("\(r.observed)", r.category, r.ticketIds)) \(t("件", "tickets")) · \(t("上期", "previous")) \(r.previous) · \(t("预期", "expected")) \(String(format: "%.1f", r.expected)) · p=\(String(format: "%.2g", r.pValue))"
        if let s = r.topStreet, let sh = r.topStreetShare { out += " · \(t("最集中", "most in")) \(e(s)) (\(pct(sh)))" }
        if let l = r.leadDepartment { out += " · \(t("建议牵头单位", "suggested lead")): \(e(l))" }
        out += "</div>"
        if let c = r.typicalTicket { out += "<div class=\"case\">\(t("典型案例", "Typical case")) \(e(r.typicalTicketId ?? ""))：\(e(c))</div>" }
        out += "</div>"
      } else {
        out += "<div>\(offset + i + 1). <b>\(e(r.category))</b> \(num("\(r.observed)", r.category, r.ticketIds)) \(t("件", "tickets")) (\(t("预期", "expected")) \(String(format: "%.1f", r.expected)), p=\(String(format: "%.2g", r.pValue)))\(r.topStreet.map { "，" + t("集中于", "mostly in ") + e($0) } ?? "")</div>"
      }
    }
  }

  mutating func recurring(_ d: BriefingData) {
    guard !d.findings.recurring.isEmpty else { out += "<p class=\"none\">\(t("本期无", "None this period"))</p>"; return }
    out += "<table><tr><th>\(t("类案", "Class"))</th><th>\(t("区域", "Area"))</th><th>\(t("时段", "Span"))</th><th>\(t("工单", "Tickets"))</th><th>\(t("来电人", "Callers"))</th><th>\(t("涉及单位", "Departments"))</th><th>\(t("解决率", "Resolved"))</th></tr>"
    for r in d.findings.recurring {
      out += "<tr><td>\(e(r.title))</td><td>\(e(r.area))</td><td>\(e(r.start))–\(e(r.end))</td><td class=\"n\">\(num("\(r.tickets)", r.title, r.ticketIds))</td><td class=\"n\">\(r.callers)</td><td>\(e(r.departments.joined(separator: "、")))</td><td class=\"n\">\(pct(r.resolutionRate))</td></tr>"
    }
    out += "</table>"
  }

  mutating func callers(_ d: BriefingData) {
    guard !d.findings.callers.isEmpty else { out += "<p class=\"none\">\(t("本期无", "None this period"))</p>"; return }
    out += "<table><tr><th>\(t("处置途径", "Route"))</th><th>\(t("人数", "Callers"))</th></tr>"
    for c in d.findings.callers { out += "<tr><td>\(e(c.route))</td><td class=\"n\">\(c.count)</td></tr>" }
    out += "</table>"
  }

  mutating func map(_ d: BriefingData) {
    let hs = d.findings.hotspots.compactMap { h in h.location.map { (h.title, $0.lon, $0.lat) } }
    let svg = Charts.map(d.areas, hotspots: hs)
    if svg.isEmpty { out += "<p class=\"none\">\(t("无坐标数据", "No coordinates"))</p>"; return }
    out += svg
    out += "<div class=\"meta\">\(t("圆点为各街道工单坐标的中心，面积表示工单量；红色为环比上升超过20%，蓝色为下降超过20%；橙色圆圈为热点。", "Dots: centroid of each street's ticket coordinates, area ∝ tickets; red: up >20 % on the previous period, blue: down >20 %; orange rings: hotspots."))</div>"
  }

  mutating func mix(_ title: String, _ items: [BriefingData.MixItem]) {
    out += "<h3>\(e(title))</h3>"
    out += Charts.bars(items.map { (name: $0.name, value: Double($0.count), previous: Double($0.previous)) })
  }

  mutating func kpiTable(_ title: String, _ rows: [KPIRow]) {
    out += "<h3>\(e(title))</h3><table><tr><th>#</th><th>\(t("单位", "Unit"))</th><th>\(t("工单", "Tickets"))</th><th>\(t("响应率", "Response"))</th><th>\(t("按时办结率", "On time"))</th><th>\(t("解决率", "Resolved"))</th><th>\(t("满意率", "Satisfied"))</th><th>\(t("超期", "Overdue"))</th><th>\(t("延期", "Extended"))</th><th>\(t("退回", "Returned"))</th><th>\(t("多次转办", "Multi-transfer"))</th><th>\(t("重办", "Re-opened"))</th></tr>"
    for (i, r) in rows.enumerated() {
      func cls(_ name: String) -> String { r.below.contains(name) ? " class=\"n below\"" : " class=\"n\"" }
      out += "<tr><td>\(i + 1)</td><td>\(e(r.unit))</td><td class=\"n\">\(r.tickets)</td>"
      out += "<td\(cls("response"))>\(rate(r.response, r.unit + t(" 未响应", ": not responded")))</td>"
      out += "<td\(cls("on_time"))>\(rate(r.onTime, r.unit + t(" 未按时办结", ": not on time")))</td>"
      out += "<td\(cls("resolution"))>\(rate(r.resolution, r.unit + t(" 未解决", ": unresolved")))</td>"
      out += "<td\(cls("satisfaction"))>\(rate(r.satisfaction, r.unit + t(" 不满意", ": not satisfied")))</td>"
      out += "<td class=\"n\">\(num("\(r.overdue)", r.unit + t(" 超期", ": overdue"), r.overdueTicketIds))</td><td class=\"n\">\(r.extended)</td><td class=\"n\">\(r.returned)</td><td class=\"n\">\(r.multipleTransfers)</td>"
      out += "<td class=\"n\">\(num("\(r.reopened)", r.unit + t(" 重办", ": re-opened"), r.reopenedTicketIds))</td></tr>"
    }
    out += "</table>"
  }

  mutating func assessment(_ d: BriefingData) {
    out += "<h2>\(t("考核通报", "Assessment"))</h2>"
    out += "<p>\(t("考核线", "Floors")): \(t("响应率", "response")) \(pct(d.thresholds.response)) · \(t("按时办结率", "on time")) \(pct(d.thresholds.onTime)) · \(t("解决率", "resolution")) \(pct(d.thresholds.resolution)) · \(t("满意率", "satisfaction")) \(pct(d.thresholds.satisfaction))（\(t("工单不足", "units with fewer than")) \(d.thresholds.minTickets) \(t("件的单位不通报", "assessable tickets are not named"))）</p>"
    if d.belowThreshold.isEmpty { out += "<p class=\"none\">\(t("本期无低于考核线的单位", "No unit below a floor"))</p>"; return }
    let names = [("response", t("响应率", "response")), ("on_time", t("按时办结率", "on-time closure")), ("resolution", t("解决率", "resolution")), ("satisfaction", t("满意率", "satisfaction"))]
    if d.belowThreshold.count > 25 {
      out += "<p>\(t("共 \(d.belowThreshold.count) 个单位低于考核线，以下列出工单量最大的 25 个（完整名单见 hotline kpi）。", "\(d.belowThreshold.count) units below a floor; the 25 largest are listed (all: hotline kpi)."))</p>"
    }
    out += "<ul>"
    for r in d.belowThreshold.sorted(by: { ($0.tickets, $1.unit) > ($1.tickets, $0.unit) }).prefix(25) {
      var parts: [String] = []
      for (key, label) in names where r.below.contains(key) {
        let rr = key == "response" ? r.response : key == "on_time" ? r.onTime : key == "resolution" ? r.resolution : r.satisfaction
        parts.append(label + " " + rate(rr, r.unit + " " + label + t("未达标", ": failing")))
      }
      out += "<li><b>\(e(r.unit))</b>（\(r.tickets) \(t("件", "tickets"))）：\(parts.joined(separator: "，"))\(t("，请立即整改。", "; please remedy."))</li>"
    }
    out += "</ul>"
  }

  mutating func pingPong(_ d: BriefingData) {
    guard !d.pingPong.isEmpty else { return }
    out += "<h3>\(t("多次转办的部门对（踢皮球）", "Department pairs passing tickets back and forth"))</h3><table><tr><th>\(t("部门", "Department"))</th><th>\(t("部门", "Department"))</th><th>\(t("工单", "Tickets"))</th></tr>"
    for p in d.pingPong { out += "<tr><td>\(e(p.first))</td><td>\(e(p.second))</td><td class=\"n\">\(num("\(p.tickets)", p.first + " ↔ " + p.second, p.ticketIds))</td></tr>" }
    out += "</table>"
  }

  mutating func risks(_ d: BriefingData) {
    out += "<h2>\(t("下期日历风险", "Calendar risks of the next period"))</h2>"
    if d.calendarRisks.isEmpty { out += "<p class=\"none\">\(t("本期无", "None"))</p>"; return }
    out += "<ul>" + d.calendarRisks.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
  }

  // MARK: kinds

  mutating func leadership(_ d: BriefingData) {
    tiles(d)
    out += "<h2>\(t("总量走势（虚线为去年同期）", "Volume (dashed: same period last year)"))</h2>"
    trend(d)
    alerts(d)
    out += "<h2>\(t("上升热点", "Rising hotspots"))</h2>"
    rising(d, cards: false)
    out += "<h2>\(t("反复发生的类案", "Recurring classes"))</h2>"
    recurring(d)
    out += "<h2>\(t("区域分布", "Map"))</h2>"
    map(d)
    out += "<h2>\(t("建议联合研判的来电人（仅人数与途径）", "Callers for joint review (counts and routes only)"))</h2>"
    callers(d)
  }

  mutating func weekly(_ d: BriefingData) {
    out += "<h2>\(t("一、受理概况", "1. Intake"))</h2>"
    tiles(d)
    trend(d)
    out += "<h2>\(t("二、渠道与类型", "2. Channels and kinds"))</h2>"
    mix(t("渠道", "Channels"), d.channelMix)
    mix(t("诉求类型", "Kinds"), d.kindMix)
    mix(t("问题分类（一级）", "Categories (level 1)"), d.categoryMix)
    out += "<h2>\(t("三、办理质效", "3. Handling quality"))</h2>"
    out += "<p>\(t("超期", "Overdue")) \(num("\(d.kpi.overdue)", t("超期工单", "Overdue tickets"), d.kpi.overdueTicketIds)) · \(t("延期", "extended")) \(d.kpi.extended) · \(t("退回", "returned")) \(d.kpi.returned) · \(t("多次转办", "transferred ≥2×")) \(d.kpi.multipleTransfers) · \(t("重办", "re-opened")) \(d.kpi.reopened)</p>"
    kpiTable(t("承办单位（按工单量）", "Departments (by volume)"), Array(d.departments.prefix(10)))
    out += "<h2>\(t("四、热点", "4. Hotspots"))</h2>"
    rising(d, cards: true)
    out += "<h2>\(t("五、预警", "5. Warnings"))</h2>"
    alerts(d, heading: false)
    pingPong(d)
    out += "<h3>\(t("建议联合研判的来电人", "Callers for joint review"))</h3>"
    callers(d)
    risks(d)
  }

  mutating func monthly(_ d: BriefingData) {
    out += "<h2>\(t("一、总体情况", "1. Overview"))</h2>"
    tiles(d)
    out += "<h3>\(t("月度走势（虚线为去年同期）", "Monthly volume (dashed: a year earlier)"))</h3>"
    trend(d)
    out += "<h2>\(t("二、渠道与诉求类型", "2. Channels and kinds"))</h2>"
    mix(t("渠道", "Channels"), d.channelMix)
    mix(t("诉求类型", "Kinds"), d.kindMix)
    mix(t("问题分类（一级）", "Categories (level 1)"), d.categoryMix)
    out += "<h2>\(t("三、承办单位", "3. Departments"))</h2>"
    kpiTable(t("承办单位排名（按工单量）", "Departments (by volume)"), d.departments)
    kpiTable(t("街道（乡镇）排名", "Streets"), d.streets)
    pingPong(d)
    out += "<h2>\(t("四、热点诉求分析", "4. Hotspots"))</h2>"
    rising(d, cards: true)
    map(d)
    out += "<h2>\(t("五、重复诉求与类案", "5. Repeated requests and recurring classes"))</h2>"
    recurring(d)
    callers(d)
    assessment(d)
    alerts(d)
    risks(d)
  }

  mutating func special(_ d: BriefingData) {
    out += "<h2>\(t("一、事件概述", "1. Overview"))</h2>"
    out += "<p>\(t("本期相关工单", "Tickets this period")) \(num("\(d.tickets)", t("本期工单", "Tickets of the period"), evidence.first { $0.id == "ev1" }?.ticketIds ?? [])) \(t("件，上期", ", previous period")) \(d.previousTickets)\(t("件，环比", ", change")) \(change(d.tickets, d.previousTickets))。\(t("首次反映", "First report")): \(e(d.topicFirstReport ?? "—"))</p>"
    trend(d)
    out += "<h2>\(t("二、诉求画像", "2. Who, what, where"))</h2>"
    mix(t("渠道", "Channels"), d.channelMix)
    mix(t("诉求类型", "Kinds"), d.kindMix)
    map(d)
    out += "<h2>\(t("三、发展研判", "3. Assessment"))</h2>"
    let newStreets = d.areas.filter { $0.previous == 0 }.map(\.area)
    out += "<p>\(t("涉及街道", "Streets")) \(d.areas.count) \(t("个，其中本期新出现", ", new this period")) \(newStreets.count)\(newStreets.isEmpty ? "" : "（" + e(newStreets.prefix(8).joined(separator: "、")) + "）")。\(t("办理", "Handling")): \(t("解决率", "resolved")) \(rate(d.kpi.resolution, t("专报 未解决", "Special: unresolved")))，\(t("满意率", "satisfied")) \(rate(d.kpi.satisfaction, t("专报 不满意", "Special: not satisfied")))。</p>"
    rising(d, cards: true)
    out += "<h2>\(t("四、处置建议", "4. Recommendations"))</h2>"
    let handling = d.departments.filter { !$0.unit.contains("热线") }
    if let lead = handling.first {
      out += "<p>\(t("建议由", "Suggested lead: ")) <b>\(e(lead.unit))</b> \(t("牵头", "")) \(handling.dropFirst().prefix(3).isEmpty ? "" : t("，", "; with ") + e(handling.dropFirst().prefix(3).map(\.unit).joined(separator: "、")) + t("协办", ""))\(t("（依据本期承办量）。", " (by this period's handling volume)."))</p>"
    } else { out += "<p class=\"none\">\(t("本期无", "None"))</p>" }
    out += "<h2>\(t("附：典型工单", "Annex: typical tickets"))</h2>"
    if d.typicalTickets.isEmpty { out += "<p class=\"none\">\(t("本期无", "None"))</p>" }
    for c in d.typicalTickets {
      out += "<div class=\"case\">\(e(c.id)) · \(e(c.received)) · \(e(c.area)) · \(e(c.category))\n\(e(c.text))</div>"
    }
  }

  mutating func monthlyTopic(_ d: BriefingData) {
    out += "<p>\(t("按“四高”（高频、高集中、持续、解决差）与跨部门协调需要综合评分；评分为各项在候选中的百分位加权（量 0.3、集中 0.15、持续 0.2、未解决 0.2、多次转办 0.15）。", "Ranked by the four highs (volume, concentration, persistence, poor resolution) and coordination need: weighted percentile ranks (volume 0.3, concentration 0.15, persistence 0.2, unresolved 0.2, multi-transfer 0.15)."))</p>"
    if d.candidates.isEmpty { out += "<p class=\"none\">\(t("本期无", "None this period"))</p>"; return }
    out += "<h3>\(t("候选问题工单量", "Tickets per candidate"))</h3>"
    out += Charts.bars(d.candidates.map { (name: $0.category, value: Double($0.tickets), previous: nil) })
    out += "<table><tr><th>#</th><th>\(t("问题", "Problem"))</th><th>\(t("工单", "Tickets"))</th><th>\(t("占比", "Share"))</th><th>\(t("覆盖街道", "Streets"))</th><th>\(t("最集中街道占比", "Top street share"))</th><th>\(t("持续月数(近6月)", "Months (of 6)"))</th><th>\(t("解决率", "Resolved"))</th><th>\(t("满意率", "Satisfied"))</th><th>\(t("多次转办", "Multi-transfer"))</th><th>\(t("评分", "Score"))</th></tr>"
    for (i, c) in d.candidates.enumerated() {
      out += "<tr><td>\(i + 1)</td><td>\(e(c.category))</td><td class=\"n\">\(num("\(c.tickets)", c.category, c.ticketIds))</td><td class=\"n\">\(pct(c.share))</td><td class=\"n\">\(c.streets)</td><td class=\"n\">\(pct(c.topStreetShare))</td><td class=\"n\">\(c.persistentMonths)</td><td class=\"n\">\(pct(c.resolution))</td><td class=\"n\">\(pct(c.satisfaction))</td><td class=\"n\">\(pct(c.multiTransferShare))</td><td class=\"n\">\(String(format: "%.2f", c.score))</td></tr>"
    }
    out += "</table>"
    for (i, c) in d.candidates.prefix(5).enumerated() {
      out += "<div class=\"card\"><h3>\(i + 1). \(e(c.category))</h3>"
      if let l = c.leadDepartment { out += "<div>\(t("建议牵头单位", "Suggested lead")): \(e(l))</div>" }
      for (id, text) in zip(c.exampleTicketIds, c.examples) { out += "<div class=\"case\">\(e(id))：\(e(text))</div>" }
      out += "</div>"
    }
  }

  mutating func appendix(limit: Int, file: String?) {
    out += "<h2 class=\"appendix-title\">\(t("附：证据工单编号", "Appendix: evidence ticket ids"))</h2>"
    if let file { out += "<p class=\"meta\">\(t("完整清单", "Full lists")): \(e(file))</p>" }
    out += "<div class=\"appendix\">"
    for item in evidence {
      let shown = item.ticketIds.prefix(limit)
      out += "<p id=\"\(item.id)\"><b>\(e(item.id)) \(e(item.label))</b>（\(item.count) \(t("件", "tickets"))）："
      out += shown.map(e).joined(separator: " ")
      if item.ticketIds.count > shown.count { out += " … " + t("其余 \(item.ticketIds.count - shown.count) 件见完整清单", "\(item.ticketIds.count - shown.count) more in the full list") }
      out += "</p>"
    }
    out += "</div>"
  }
}
