import Foundation
public import HotlineAnalysis
public import HotlineCore

/// Renders the `stats` first look at a database as readable text.
public enum SummaryRenderer {
  public static func text(
    _ s: DatabaseSummary, concentration: CallerConcentration?, language lang: Language
  ) -> String {
    var out: [String] = []
    func pct(_ n: Int) -> String {
      s.tickets == 0 ? "-" : String(format: "%.1f%%", 100 * Double(n) / Double(s.tickets))
    }
    out.append(lang.pick("工单总量", "Tickets") + ": \(s.tickets)")
    if let f = s.firstReceived, let l = s.lastReceived {
      out.append(lang.pick("时间范围", "Period") + ": \(f.prefix(10)) — \(l.prefix(10)) (\(s.timeZone))")
    }
    out.append(lang.pick("来电人（号码键）", "Callers (keys)") + ": \(s.callers)")
    out.append(
      lang.pick("有坐标", "With coordinates") + ": \(pct(s.withLocation))   "
        + lang.pick("有分类", "With category") + ": \(pct(s.withCategory))   "
        + lang.pick("已办结", "Closed") + ": \(pct(s.closed))")
    func section(_ title: String, _ keyHeader: String, _ items: [LabelCount]) {
      guard !items.isEmpty else { return }
      out.append("")
      out.append("## " + title)
      let table = TextTable(
        headers: [keyHeader, lang.pick("件数", "Count"), lang.pick("占比", "Share")],
        rows: items.map { [$0.key, "\($0.count)", pct($0.count)] }, rightAligned: [1, 2])
      out.append(table.render())
    }
    section(lang.pick("按月", "By month"), lang.pick("月份", "Month"), s.byMonth)
    section(lang.pick("按区县", "By district"), lang.pick("区县", "District"), s.byDistrict)
    section(lang.pick("按一级分类", "By category (level 1)"), lang.pick("分类", "Category"), s.byCategory)
    section(lang.pick("按渠道", "By channel"), lang.pick("渠道", "Channel"), s.byChannel)
    section(lang.pick("按诉求类型", "By kind"), lang.pick("类型", "Kind"), s.byKind)
    if let c = concentration, c.callers > 0 {
      out.append("")
      out.append("## " + lang.pick("来电集中度", "Caller concentration"))
      let rows = c.top.map { t in
        [
          String(format: "%g%%", t.callerShare * 100), "\(t.callers)",
          String(format: "%.1f%%", t.ticketShare * 100),
        ]
      }
      out.append(
        TextTable(
          headers: [
            lang.pick("来电人前", "Top callers"), lang.pick("人数", "Callers"),
            lang.pick("工单占比", "Share of tickets"),
          ], rows: rows, rightAligned: [0, 1, 2]
        ).render())
      out.append(
        String(format: "Gini %.3f   ", c.gini)
          + lang.pick("重复来电人占比", "Repeat callers") + String(format: " %.1f%%", c.repeatCallerShare * 100))
    }
    if !s.imports.isEmpty {
      out.append("")
      out.append("## " + lang.pick("导入记录", "Imports"))
      out.append(
        TextTable(
          headers: [
            lang.pick("文件", "File"), lang.pick("读取", "Read"), lang.pick("新增", "New"),
            lang.pick("更新", "Updated"), lang.pick("重复", "Unchanged"), lang.pick("拒收", "Rejected"),
          ],
          rows: s.imports.suffix(10).map {
            [
              ($0.file as NSString).lastPathComponent, "\($0.read)", "\($0.imported)", "\($0.updated)",
              "\($0.unchanged)", "\($0.rejected)",
            ]
          }, rightAligned: [1, 2, 3, 4, 5]
        ).render())
    }
    return out.joined(separator: "\n")
  }
}
