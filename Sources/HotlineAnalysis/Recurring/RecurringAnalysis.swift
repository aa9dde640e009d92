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
    // (Tickets read from the store already are: then no copy is made.)
    let inOrder = zip(tickets, tickets.dropFirst()).allSatisfy { $0.receivedAt <= $1.receivedAt }
    let order =
      inOrder
      ? Array(tickets.indices)
      : tickets.indices.sorted {
        tickets[$0].receivedAt != tickets[$1].receivedAt ? tickets[$0].receivedAt < tickets[$1].receivedAt : $0 < $1
      }
    let sorted = inOrder ? tickets : order.map { tickets[$0] }
    // The vocabulary and the address entities are needed only until the
    // tickets' entity ids are made: they are freed (and their pages
    // returned) before the signatures are.
    let prepared = { () -> Prepared in
      let learned = EntityExtractor.learn(tickets: sorted, config: config.entities, threads: config.threads)
      timings["entities"] = Date().timeIntervalSince(t0)
      t0 = Date()
      return Prepared(sorted, mentions: learned.mentions, addressEntities: learned.addressEntities)
    }()
    FreedMemory.release()
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
    for (k, i) in order.enumerated() { entities[i] = prepared.mentions(k) }
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
  /// Every entity named, once; and per ticket, the ids into it of the entities
  /// its title and text name, in order (a few bytes per ticket where arrays
  /// of entities would cost a heap block each).
  let entityTable: [Entity]
  let mentionList: FlatLists
  /// Ids of the non-road entities the title/text names (sorted), per ticket.
  let mentionIds: FlatLists
  /// Ids of the non-road entities the address names (sorted), per ticket.
  let addressIds: FlatLists
  /// Ids of community × problem (−1 without a community).
  let communityProblemId: [Int32]

  init(_ tickets: [Ticket], mentions: [[Entity]], addressEntities: [[Entity]]) {
    self.tickets = tickets
    let n = tickets.count
    // Memoised: exports repeat the same few thousand place and category values.
    // (Keyed by UTF-8 bytes: String hashing normalises non-ASCII text.)
    var problemMemo: [UTF8Key: String] = [:]
    problem = tickets.map { t in
      let joined = UTF8Key(t.category.joined(separator: "->"))
      if let x = problemMemo[joined] { return x }
      problemMemo[joined] = joined.string
      return joined.string
    }
    var communityMemo: [UTF8Key: String] = [:]
    communityKey = tickets.map { t in
      guard let c = t.community, !c.isEmpty else { return nil }
      let raw = UTF8Key((t.district ?? "") + "\u{1}" + c)
      if let x = communityMemo[raw] { return x }
      let x = (t.district.map(Prepared.canonicalDistrict) ?? "") + "/" + c
      communityMemo[raw] = x
      return x
    }
    var streetMemo: [UTF8Key: String] = [:]
    streetKey = tickets.map { t in
      guard let s = t.street, !s.isEmpty else { return nil }
      let raw = UTF8Key((t.district ?? "") + "\u{1}" + s)
      if let x = streetMemo[raw] { return x }
      let x = (t.district.map(Prepared.canonicalDistrict) ?? "") + "/" + Prepared.canonicalStreet(s)
      streetMemo[raw] = x
      return x
    }
    var entityIds: [Entity: Int32] = [:]
    var table: [Entity] = []
    var list = FlatLists(reservingCapacity: n)
    var e: [Int32] = []
    for i in 0..<n {
      e.removeAll(keepingCapacity: true)
      for x in mentions[i] {
        if let id = entityIds[x] {
          e.append(id)
        } else {
          entityIds[x] = Int32(table.count)
          e.append(Int32(table.count))
          table.append(x)
        }
      }
      list.append(e)
    }
    entityTable = table
    mentionList = list
    var ids: [UTF8Key: Int32] = [:]
    var mIds = FlatLists(reservingCapacity: n)
    var aIds = FlatLists(reservingCapacity: n)
    var cp: [Int32] = []
    cp.reserveCapacity(n)
    var m: [Int32] = []
    var a: [Int32] = []
    for i in 0..<n {
      m.removeAll(keepingCapacity: true)
      for e in mentions[i] where e.kind != .road && e.kind != .busLine {
        m.append(Prepared.intern(e.name, &ids))
      }
      a.removeAll(keepingCapacity: true)
      for e in addressEntities[i] where e.kind != .road { a.append(Prepared.intern(e.name, &ids)) }
      mIds.append(Array(Set(m)).sorted())
      aIds.append(Array(Set(a)).sorted())
      if let c = communityKey[i] { cp.append(Prepared.intern("\u{2}" + c + "|" + problem[i], &ids)) } else { cp.append(-1) }
    }
    mentionIds = mIds
    addressIds = aIds
    communityProblemId = cp
  }

  /// The entities ticket `i`'s title and text name, in order.
  func mentions(_ i: Int) -> [Entity] { mentionList[i].map { entityTable[Int($0)] } }

  static func intern(_ s: String, _ ids: inout [UTF8Key: Int32]) -> Int32 {
    let k = UTF8Key(s)
    if let x = ids[k] { return x }
    let x = Int32(ids.count)
    ids[k] = x
    return x
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
  @inline(__always) static func isSeparator(_ v: UInt32) -> Bool {
    switch v {
    case 0x2C, 0x2E, 0x21, 0x3F, 0x3B, 0x3A, 0x0A, 0x0D, 0x20: true  // , . ! ? ; : newline space
    case 0xFF0C, 0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A, 0x3001: true  // ，。！？；：、
    default: false
    }
  }

  /// The clauses of a text as scalar ranges, with their hashes.
  static func clauses(_ u: [UInt32]) -> [(UInt64, Range<Int>)] {
    var out: [(UInt64, Range<Int>)] = []
    var start = 0
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for (i, v) in u.enumerated() {
      if isSeparator(v) {
        if i > start { out.append((h, start..<i)) }
        start = i + 1
        h = 0xCBF2_9CE4_8422_2325
      } else {
        h = (h ^ UInt64(v)) &* 0x100_0000_01B3
      }
    }
    if u.count > start { out.append((h, start..<u.count)) }
    return out
  }

  static func strip(_ texts: [String], minCount: Int = 30, threads: Int = 2) -> [String] {
    strip(texts[...], learn(texts, minCount: minCount, threads: threads), threads: threads)
  }

  /// The counts of a corpus's boilerplate clauses (those seen at least `limit` times).
  struct Table: Sendable {
    let counts: [UInt64: Int32]
    let limit: Int32
  }

  static func learn(_ texts: [String], minCount: Int = 30, threads: Int = 2) -> Table {
    let n = texts.count
    let parts = max(1, min(threads, n))
    let chunk = (n + parts - 1) / max(parts, 1)
    let slots = Slots<[UInt64: Int32]>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { p in
      var counts: [UInt64: Int32] = [:]
      var seen = Set<UInt64>()
      let lo = p * chunk
      let hi = min(n, lo + chunk)
      if lo < hi {
        for t in texts[lo..<hi] {
          seen.removeAll(keepingCapacity: true)
          for (h, _) in clauses(t.unicodeScalars.map(\.value)) where seen.insert(h).inserted { counts[h, default: 0] += 1 }
        }
      }
      slots.set(p, counts)
    }
    var counts: [UInt64: Int32] = [:]
    for v in slots.values { if let v { counts.merge(v, uniquingKeysWith: +) } }
    // Only the boilerplate clauses are kept: a clause counted below the limit
    // is treated as one never seen, and millions of them are.
    let limit = Int32(max(minCount, n / 2000))
    return Table(counts: counts.filter { $0.value >= limit }, limit: limit)
  }

  /// The texts without their boilerplate clauses (a text made only of them is kept whole).
  static func strip(_ texts: ArraySlice<String>, _ table: Table, threads: Int = 2) -> [String] {
    let n = texts.count
    let parts = max(1, min(threads, n))
    let chunk = (n + parts - 1) / max(parts, 1)
    let first = texts.startIndex
    let out = Slots<[String]>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { p in
      var local: [String] = []
      let lo = first + p * chunk
      let hi = min(first + n, lo + chunk)
      if lo < hi {
        for t in texts[lo..<hi] {
          let u = t.unicodeScalars.map(\.value)
          var kept = String.UnicodeScalarView()
          for (h, r) in clauses(u) where (table.counts[h] ?? 0) < table.limit {
            if !kept.isEmpty { kept.append("，") }
            for v in u[r] { if let s = Unicode.Scalar(v) { kept.append(s) } }
          }
          local.append(kept.isEmpty ? t : String(kept))
        }
      }
      out.set(p, local)
    }
    return out.values.flatMap { $0 ?? [] }
  }
}
