import Foundation
import HotlineCore
import HotlineStore
import Testing

struct ReviewRowsTests {
  @Test func reviewRowsCarryTheSameFieldsAsFullTickets() throws {
    let db = try HotlineDatabase.inMemory()
    var a = sampleTicket("A1", at: 2_000)
    a.category = ["城市管理", "市容环境", "占道经营"]
    a.parentId = "A0"
    a.satisfaction = "不满意"
    var b = sampleTicket("B1", at: 1_000)
    b.category = []
    b.callerKey = nil
    b.callerMask = nil
    b.closedAt = nil
    b.resolution = nil
    try db.upsert([SourcedTicket(ticket: a, file: "x.csv", line: 2), SourcedTicket(ticket: b, file: "x.csv", line: 3)])
    var seen: [Ticket] = []
    try db.forEachTicket { seen.append($0) }
    #expect(seen.map(\.id) == ["B1", "A1"])  // time order
    let full = try db.tickets()
    for (r, f) in zip(seen, full) {
      #expect(r.id == f.id && r.receivedAt == f.receivedAt && r.closedAt == f.closedAt)
      #expect(r.callerKey == f.callerKey && r.callerMask == f.callerMask)
      #expect(r.category == f.category && r.title == f.title && r.text == f.text)
      #expect(r.district == f.district && r.street == f.street && r.community == f.community)
      #expect(r.resolution == f.resolution && r.satisfaction == f.satisfaction && r.parentId == f.parentId)
      #expect(r.departments == f.departments && r.location == f.location)
      // The audit row is never read.
      #expect(r.raw.columns.isEmpty)
    }
    #expect(seen[1].category == ["城市管理", "市容环境", "占道经营"])
  }
}
