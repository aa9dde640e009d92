import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineStats
import Testing

/// The in-memory review (`CallerReview.TicketTable`) against the streaming
/// one (`Builder`): the same tickets must give the same review.
struct CallerTableTests {
  /// The review tests' planted population as tickets: keys in the importer's
  /// form (32 hex digits) for most callers, other forms for some.
  static func tickets() -> (tickets: [Ticket], scope: [String: String]) {
    var out: [Ticket] = []
    var scope: [String: String] = [:]
    for (k, (item, key)) in CallerReviewTests.population().items.enumerated() {
      var h: UInt64 = 1_469_598_103_934_665_603
      for b in key.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
      // Every fifth background caller keeps a key of another form.
      let hex = String(h, radix: 16)
      let callerKey = key.hasSuffix("5") ? "other-\(key)" : String(repeating: "0", count: 32 - hex.count) + hex
      let org = item.organisational ? "网格员巡查发现" : "市民来电反映"
      out.append(
        Ticket(
          id: item.id, receivedAt: item.receivedAt, closedAt: k % 7 == 0 ? nil : item.receivedAt + 86_400,
          callerKey: k % 97 == 0 ? nil : callerKey, callerMask: k % 3 == 0 ? nil : "138****\(k % 10_000)",
          category: item.category.components(separatedBy: "->"), title: k % 11 == 0 ? nil : item.title,
          text: "\(org)，\(item.title)，请处理。", community: item.place, resolution: item.resolution,
          satisfaction: item.dissatisfied ? (k % 2 == 0 ? "不满意" : "Dissatisfied") : (k % 5 == 0 ? "非常满意" : "满意")))
      if let s = item.scope { scope[item.id] = s }
    }
    return (out, scope)
  }

  @Test func tableReviewEqualsBuilderReview() throws {
    let (tickets, scopeOf) = Self.tickets()
    let streamed = CallerReview.run(tickets, scopeOf: { scopeOf[$0.id] })
    let codes = ["U01", "U02", "U03", "U04", "U09", "U12"]
    let org = OrganisationWording()
    let table = CallerReview.TicketTable(
      tickets: tickets,
      scope: tickets.map { t in scopeOf[t.id].map { UInt8(codes.firstIndex(of: $0)! + 1) } ?? 0 }, codes: codes,
      marks: tickets.map { t in
        (org.matches(t.text) ? CallerReview.TicketTable.organisational : 0)
          | (CallerReview.TicketTable.saysDissatisfied(t.satisfaction) ? CallerReview.TicketTable.dissatisfied : 0)
      })
    let (inMemory, indices) = table.reviewIndexed()
    #expect(streamed.callers.count > 4)
    #expect(streamed.callers.contains { !$0.flagged })
    #expect(inMemory.population == streamed.population)
    #expect(inMemory.concentration == streamed.concentration)
    #expect(inMemory.callers == streamed.callers)
    // The indices name each listed caller's tickets, in its order.
    #expect(indices.count == inMemory.callers.count)
    for (f, idx) in zip(inMemory.callers, indices) { #expect(idx.map { tickets[$0].id } == f.ticketIds) }
    #expect(table.review().callers == streamed.callers)
  }

  @Test func dissatisfactionIsReadAsTheRecordsReadIt() {
    for s in ["不满意", "非常不满意", "不满意（办理慢）", "DISSATISFIED", "dissatisfied", "Dissatisfied", "满意", "基本满意", "",
              "satisfied", "dissatisfied ", "不满", "不满意\u{301}", "x不满意",
              "\u{F967}满意", "满意\u{F967}"]
    {
      let expected = s.contains("不满意") || s.lowercased() == "dissatisfied"
      #expect(CallerReview.TicketTable.saysDissatisfied(s) == expected, "\(s)")
    }
    #expect(!CallerReview.TicketTable.saysDissatisfied(nil))
  }
}
