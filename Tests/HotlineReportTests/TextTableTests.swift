import HotlineAnalysis
import HotlineCore
import HotlineReport
import Testing

struct TextTableTests {
  @Test func chineseTextCountsDoubleWidth() {
    #expect(TextTable.displayWidth("青溪区") == 6)
    #expect(TextTable.displayWidth("A3区") == 4)
    #expect(TextTable.displayWidth("") == 0)
  }

  @Test func columnsAlignUnderWideHeaders() {
    let t = TextTable(headers: ["区县", "件数"], rows: [["青溪区", "12"], ["A区", "3"]], rightAligned: [1])
    let lines = t.render().split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    // Every line ends its first column at the same display offset.
    #expect(lines[2] == "青溪区    12")
    #expect(lines[3] == "A区        3")
  }

  @Test func summaryRendersInBothLanguages() {
    let s = DatabaseSummary(
      tickets: 2, callers: 1, firstReceived: "2019-01-31T23:30:00+08:00",
      lastReceived: "2019-02-01T00:30:00+08:00", timeZone: "Asia/Shanghai", withLocation: 2,
      withCategory: 1, closed: 0, byMonth: [LabelCount(key: "2019-01", count: 2)],
      byDistrict: [LabelCount(key: "青溪区", count: 2)], byCategory: [], byChannel: [], byKind: [],
      imports: [])
    let c = CallerConcentration(ticketsPerCaller: [2])
    let zh = SummaryRenderer.text(s, concentration: c, language: .zh)
    let en = SummaryRenderer.text(s, concentration: c, language: .en)
    #expect(zh.contains("工单总量: 2") && zh.contains("青溪区") && zh.contains("来电集中度"))
    #expect(en.contains("Tickets: 2") && en.contains("By district") && !en.contains("工单总量"))
  }
}
