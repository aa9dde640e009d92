import Foundation
import HotlineCore
import Testing

/// The compact storage behind `Ticket` keeps every public field exactly.
@Suite struct TicketStorageTests {
  static let key = "2f8f5dfc32509d7f07cdf842db421e46"

  static func full() -> Ticket {
    Ticket(
      id: "T1", receivedAt: 1_700_000_000, dispatchedAt: 1_700_000_100, deadlineAt: 0, closedAt: -5,
      callerKey: key, callerMask: "138****1234", contactKey: "c0ffee", channel: "电话", kind: .complaint,
      category: ["城乡建设", "物业管理"], title: "标题", text: "内容", district: "锦江区", street: "梅亭街道",
      community: "松台社区", address: "青林东路12号", location: Coordinate(lon: 104.06, lat: 30.67),
      sourceCRS: .gcj02, departments: ["市住建局", "锦江区城管局"], transferCount: 2, status: "已办结",
      resolution: .partial, satisfaction: "满意", parentId: "T0", raw: ["工单编号": "T1", "内容": "内容"])
  }

  @Test func everyFieldReadsBackAsSet() {
    let t = Self.full()
    #expect(t.dispatchedAt == 1_700_000_100 && t.deadlineAt == 0 && t.closedAt == -5)
    #expect(t.callerKey == Self.key && t.contactKey == "c0ffee" && t.parentId == "T0")
    #expect(t.location == Coordinate(lon: 104.06, lat: 30.67) && t.sourceCRS == .gcj02)
    #expect(t.transferCount == 2 && t.kind == .complaint && t.resolution == .partial)
    #expect(t.raw["工单编号"] == "T1" && t.raw.columns == ["工单编号", "内容"])
    let empty = Ticket(id: "T2", receivedAt: 0)
    #expect(empty.dispatchedAt == nil && empty.deadlineAt == nil && empty.closedAt == nil)
    #expect(empty.callerKey == nil && empty.contactKey == nil && empty.parentId == nil)
    #expect(empty.location == nil && empty.transferCount == nil && empty.raw.columns.isEmpty)
  }

  @Test func callerKeysOfAnyFormRoundTrip() {
    var t = Ticket(id: "T", receivedAt: 0)
    for k in [
      Self.key, "0000000000000000000000000000000f", "ffffffffffffffffffffffffffffffff",
      Self.key.uppercased(), String(Self.key.dropLast()), Self.key + "0", "", "not-a-hash", "#T1",
    ] {
      t.callerKey = k
      #expect(t.callerKey == k)
    }
    t.callerKey = nil
    #expect(t.callerKey == nil)
    // A key in the compact form replacing one kept as a string, and back.
    t.callerKey = "odd"
    t.callerKey = Self.key
    #expect(t.callerKey == Self.key)
    #expect(t == Ticket(id: "T", receivedAt: 0, callerKey: Self.key))
  }

  @Test func clearingFieldsClearsThem() {
    var t = Self.full()
    t.dispatchedAt = nil
    t.location = nil
    t.transferCount = nil
    t.contactKey = nil
    t.parentId = nil
    t.raw = RawRecord()
    t.callerKey = nil
    #expect(t.dispatchedAt == nil && t.location == nil && t.transferCount == nil)
    #expect(t.contactKey == nil && t.parentId == nil && t.raw.columns.isEmpty && t.callerKey == nil)
    #expect(t.closedAt == -5 && t.callerMask == "138****1234")
  }

  @Test func copiesDoNotShareChanges() {
    let a = Self.full()
    var b = a
    b.parentId = "T9"
    b.raw["内容"] = "改"
    #expect(a.parentId == "T0" && a.raw["内容"] == "内容")
    #expect(b.parentId == "T9" && b.raw["内容"] == "改" && b.contactKey == "c0ffee")
    #expect(a != b)
  }

  @Test func equalityAndHashingFollowThePublicFields() {
    var a = Self.full()
    var b = Self.full()
    #expect(a == b && a.hashValue == b.hashValue)
    b.closedAt = -6
    #expect(a != b)
    b.closedAt = -5
    a.location = Coordinate(lon: 104.06, lat: 30.670001)
    #expect(a != b)
    a.location = b.location
    a.transferCount = 3
    #expect(a != b)
    a.transferCount = 2
    #expect(a == b && Set([a, b]).count == 1)
  }

  @Test func codingRoundTripsAndKeepsTheFieldNames() throws {
    // (One audit column: a decoded JSON object does not keep its key order.)
    var t = Self.full()
    t.raw = ["工单编号": "T1"]
    let data = try JSONEncoder().encode(t)
    #expect(try JSONDecoder().decode(Ticket.self, from: data) == t)
    let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(Set(object.keys) == [
      "id", "receivedAt", "dispatchedAt", "deadlineAt", "closedAt", "callerKey", "callerMask", "contactKey",
      "channel", "kind", "category", "title", "text", "district", "street", "community", "address", "location",
      "sourceCRS", "departments", "transferCount", "status", "resolution", "satisfaction", "parentId", "raw",
    ])
    let empty = Ticket(id: "T2", receivedAt: 7)
    let emptyObject = try #require(
      JSONSerialization.jsonObject(with: JSONEncoder().encode(empty)) as? [String: Any])
    #expect(Set(emptyObject.keys) == ["id", "receivedAt", "category", "text", "departments", "raw"])
    #expect(try JSONDecoder().decode(Ticket.self, from: JSONEncoder().encode(empty)) == empty)
  }

  @Test func storageIsCompact() {
    // Millions of tickets are held at once: 368 bytes each before the compact storage, 272 with it.
    #expect(MemoryLayout<Ticket>.stride <= 272)
  }
}
