import Foundation
import HotlineCore
import HotlineText

/// Recurring problem classes (类案) and same-incident groups (并单) over tickets.
///
/// ```swift
/// let r = RecurringAnalysis.run(tickets: tickets, config: .init())
/// r.classes            // ranked, each with its evidence ticket ids
/// r.incidents          // merged same-incident groups with a confidence
/// r.classOfTicket[i]   // index into r.classes of ticket i, or nil
/// ```
/// Pure: no I/O, no clock; the result depends only on the tickets and the config.
public enum RecurringAnalysis {
  public struct Config: Sendable {
    public var incidents = IncidentMerging.Config()
    public var classes = ClassFinder.Config()
    public var entities = EntityExtractor.Config()
    /// Time zone of dates in the result.
    public var clock = ZoneClock.shanghai
    public var threads = 2
    public var findIncidents = true
    public var findClasses = true
    public init() {}
  }

  public struct Result: Sendable {
    public var incidents: [IncidentMerging.Incident]
    public var classes: [RecurringClass]
    /// For ticket `i` of the input, the index of its class in `classes`.
    public var classOfTicket: [Int?]
    /// For ticket `i` of the input, the index of its incident in `incidents`.
    public var incidentOfTicket: [Int?]
    /// The entities named in each ticket's title and text.
    public var entities: [[Entity]]
    /// Seconds spent per stage (entities, incidents, classes).
    public var timings: [String: Double]
  }

  public static func run(tickets: [Ticket], config: Config = Config()) -> Result {
    var timings: [String: Double] = [:]
    var t0 = Date()
    // Work in time order; map back to input order at the end.
    let order = tickets.indices.sorted {
      tickets[$0].receivedAt != tickets[$1].receivedAt ? tickets[$0].receivedAt < tickets[$1].receivedAt : $0 < $1
    }
    let sorted = order.map { tickets[$0] }
    let learned = EntityExtractor.learn(tickets: sorted, config: config.entities, threads: config.threads)
    timings["entities"] = Date().timeIntervalSince(t0)
    t0 = Date()
    let prepared = Prepared(sorted, learned: learned)
    timings["prepare"] = Date().timeIntervalSince(t0)
    t0 = Date()
    let incidents =
      config.findIncidents
      ? IncidentMerging.run(prepared, config: config.incidents, threads: config.threads, timings: &timings) : []
    timings["incidents"] = Date().timeIntervalSince(t0)
    t0 = Date()
    let found = config.findClasses ? ClassFinder.run(prepared, config: config.classes, clock: config.clock) : []
    timings["classes"] = Date().timeIntervalSince(t0)

    // Back to input order.
    var classOfTicket = [Int?](repeating: nil, count: tickets.count)
    var incidentOfTicket = [Int?](repeating: nil, count: tickets.count)
    var entities = [[Entity]](repeating: [], count: tickets.count)
    for (k, i) in order.enumerated() { entities[i] = prepared.mentions[k] }
    var classes = found
    for c in classes.indices {
      classes[c].ticketIndices = classes[c].ticketIndices.map { order[$0] }
      for i in classes[c].ticketIndices { classOfTicket[i] = c }
    }
    var incs = incidents
    for k in incs.indices {
      incs[k].ticketIndices = incs[k].ticketIndices.map { order[$0] }
      for i in incs[k].ticketIndices { incidentOfTicket[i] = k }
    }
    return Result(
      incidents: incs, classes: classes, classOfTicket: classOfTicket, incidentOfTicket: incidentOfTicket,
      entities: entities, timings: timings)
  }
}

/// Per-ticket keys shared by the incident and class stages (tickets in time order).
struct Prepared: Sendable {
  let tickets: [Ticket]
  /// Category path (L1->L2…), "" when the ticket has none.
  let problem: [String]
  let communityKey: [String?]
  let streetKey: [String?]
  let mentions: [[Entity]]
  /// Names of mentioned and address entities (for "shares a place").
  let entityKeys: [Set<String>]
  /// Block keys for incident candidates.
  let placeKeys: [[String]]

  init(_ tickets: [Ticket], learned: EntityExtractor.Learned) {
    self.tickets = tickets
    let n = tickets.count
    problem = tickets.map { $0.category.joined(separator: "->") }
    communityKey = tickets.map { t in
      guard let c = t.community, !c.isEmpty else { return nil }
      return (t.district.map(Prepared.canonicalDistrict) ?? "") + "/" + c
    }
    streetKey = tickets.map { t in
      guard let s = t.street, !s.isEmpty else { return nil }
      return (t.district.map(Prepared.canonicalDistrict) ?? "") + "/" + Prepared.canonicalStreet(s)
    }
    mentions = learned.mentions
    var entityKeys: [Set<String>] = []
    entityKeys.reserveCapacity(n)
    for i in 0..<n {
      var keys = Set(learned.mentions[i].filter { $0.kind != .road && $0.kind != .busLine }.map(\.name))
      for x in learned.addressEntities[i] where x.kind != .road { keys.insert(x.name) }
      entityKeys.append(keys)
    }
    self.entityKeys = entityKeys
    var placeKeys: [[String]] = []
    placeKeys.reserveCapacity(n)
    for i in 0..<n {
      var keys = entityKeys[i].map { "e:" + $0 }
      if let c = communityKey[i] { keys.append("c:" + c + "|" + problem[i]) }
      placeKeys.append(keys)
    }
    self.placeKeys = placeKeys
  }

  /// 泰丰 → 泰丰区 is not knowable without a gazetteer; only trailing spaces are dropped.
  static func canonicalDistrict(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }

  /// …街道办事处 / …街办 → …街道; a bare name gets 街道.
  static func canonicalStreet(_ s: String) -> String {
    var x = s.trimmingCharacters(in: .whitespaces)
    for suffix in ["街道办事处", "办事处", "街办"] where x.hasSuffix(suffix) {
      x = String(x.dropLast(suffix.count))
      if !x.hasSuffix("街道") && !x.hasSuffix("镇") && !x.hasSuffix("乡") { x += "街道" }
      return x
    }
    if !x.hasSuffix("街道") && !x.hasSuffix("镇") && !x.hasSuffix("乡") { x += "街道" }
    return x
  }
}

/// Drops the clauses many texts share (intake and demand formulas such as
/// 来电人反映 or 希望相关部门尽快处理): a clause (text between punctuation)
/// seen in at least `max(minCount, n / 2000)` texts is boilerplate.
enum Boilerplate {
  static let separators: Set<Unicode.Scalar> = Set("，。！？；：,.!?;:\n\r 、".unicodeScalars)

  static func clauses(_ s: String) -> [Substring] {
    s.split(whereSeparator: { c in c.unicodeScalars.first.map { separators.contains($0) } ?? false })
  }

  static func strip(_ texts: [String], minCount: Int = 30) -> [String] {
    var counts: [Substring: Int] = [:]
    for t in texts {
      for c in Set(clauses(t)) { counts[c, default: 0] += 1 }
    }
    let limit = max(minCount, texts.count / 2000)
    return texts.map { t in
      let kept = clauses(t).filter { (counts[$0] ?? 0) < limit }
      return kept.isEmpty ? t : kept.joined(separator: "，")
    }
  }
}
