import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineReport

/// What `hotline analyze` found, in a few lines for the terminal: the
/// largest topics, the strongest hotspots and recurring classes with their
/// evidence (counts, expected, p-value), the callers suggested for joint
/// review (counts by route only, no one is named), out-of-scope requests
/// and the city-wide KPIs. The JSON files hold everything; this is where a
/// reader starts.
struct AnalysisDigest {
  struct Topic {
    var label: String
    var size: Int
  }
  var tickets = 0
  var topics = 0
  var outliers = 0
  var largestTopics: [Topic] = []
  /// The days the hotspot methods scanned (first and last, ISO dates).
  var hotspotFrom = "", hotspotTo = ""
  var hotspots = 0
  var topHotspots: [BriefHotspot] = []
  var classes = 0
  var topClasses: [BriefRecurringClass] = []
  var incidents = 0
  var incidentTickets = 0
  var flaggedCallers = 0
  var routes: [BriefCallerReview] = []
  var outOfScope = 0
  var kpi: KPIRow? = nil
  var unitsBelow = 0

  static let shown = 3

  func text(_ lang: Language) -> String {
    let zh = lang == .zh
    var out: [String] = []
    func pct(_ r: KPIRate) -> String {
      r.value.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }
    func p(_ v: Double) -> String { v < 0.001 ? String(format: "%.1e", v) : String(format: "%.3f", v) }
    func share(_ n: Int) -> String { String(format: "%.1f%%", Double(n) / Double(max(tickets, 1)) * 100) }

    out.append(zh ? "发现（共 \(tickets) 条工单）：" : "Findings (\(tickets) tickets):")
    let largest = largestTopics.prefix(Self.shown).map { zh ? "\($0.label) \($0.size) 件" : "\($0.label) \($0.size)" }
    out.append(
      zh
        ? "  主题 \(topics) 个，离群 \(outliers) 条（\(share(outliers))）；最大：\(largest.joined(separator: "，"))"
        : "  \(topics) topics, \(outliers) outliers (\(share(outliers))); largest: \(largest.joined(separator: ", "))")

    out.append(
      zh
        ? "  热点 \(hotspots) 个（\(hotspotFrom) — \(hotspotTo)，经多重检验控制）\(hotspots == 0 ? "" : "：")"
        : "  \(hotspots) hotspots (\(hotspotFrom) to \(hotspotTo), after multiple-testing control)\(hotspots == 0 ? "" : ":")")
    for (i, h) in topHotspots.prefix(Self.shown).enumerated() {
      let when = h.start == h.end ? h.start : zh ? "\(h.start) — \(h.end)" : "\(h.start) to \(h.end)"
      out.append(
        zh
          ? "    \(i + 1). \(h.area) · \(h.category) · \(when) · \(h.observed) 件，预期 \(String(format: "%.1f", h.expected))，p=\(p(h.pValue))"
          : "    \(i + 1). \(h.area) · \(h.category) · \(when) · \(h.observed) tickets, \(String(format: "%.1f", h.expected)) expected, p=\(p(h.pValue))")
    }

    out.append(
      zh
        ? "  类案 \(classes) 个（同一地点同一问题反复发生）\(classes == 0 ? "" : "：")"
        : "  \(classes) recurring problem \(classes == 1 ? "class" : "classes") (the same problem at the same place)\(classes == 0 ? "" : ":")")
    for (i, c) in topClasses.prefix(Self.shown).enumerated() {
      let unresolved = c.resolutionRate.map { String(format: zh ? "，解决率 %.0f%%" : ", %.0f%% resolved", $0 * 100) } ?? ""
      out.append(
        zh
          ? "    \(i + 1). \(c.title) · \(c.area) · \(c.start) — \(c.end) · \(c.tickets) 件，\(c.callers) 位来电人\(unresolved)"
          : "    \(i + 1). \(c.title) · \(c.area) · \(c.start) to \(c.end) · \(c.tickets) tickets, \(c.callers) callers\(unresolved)")
    }
    out.append(
      zh
        ? "  同一事件并单 \(incidents) 组（\(incidentTickets) 条工单）"
        : "  \(incidents) same-incident groups (\(incidentTickets) tickets)")

    let routeText = routes.map { "\($0.route) \($0.count)" }.joined(separator: zh ? "，" : ", ")
    out.append(
      zh
        ? "  建议联合研判的来电人 \(flaggedCallers) 位\(routes.isEmpty ? "" : "（\(routeText)）")；证据只给事实，不作结论"
        : "  \(flaggedCallers) callers suggested for joint review\(routes.isEmpty ? "" : " (\(routeText))"); evidence, not a verdict")
    out.append(
      zh ? "  不合理不合规诉求线索 \(outOfScope) 条（\(share(outOfScope))）" : "  \(outOfScope) possible out-of-scope requests (\(share(outOfScope)))")
    if let k = kpi {
      out.append(
        zh
          ? "  服务指标：响应率 \(pct(k.response))，按时办结率 \(pct(k.onTime))，解决率 \(pct(k.resolution))，满意率 \(pct(k.satisfaction))；低于考核线的单位 \(unitsBelow) 个"
          : "  KPIs: response \(pct(k.response)), on time \(pct(k.onTime)), resolved \(pct(k.resolution)), satisfied \(pct(k.satisfaction)); \(unitsBelow) units below a floor")
    }
    out.append(
      zh
        ? "  （每项发现的工单编号与统计量见 JSON 文件）"
        : "  (the JSON files give every finding's ticket ids and statistics)")
    return out.joined(separator: "\n")
  }
}
