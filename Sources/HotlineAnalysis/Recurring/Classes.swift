import Foundation
import HotlineCore
import HotlineStats

/// One recurring problem class (类案) with its evidence.
public struct RecurringClass: Sendable, Codable {
  public struct NameCount: Sendable, Codable, Hashable {
    public var name: String
    public var count: Int
  }
  /// Two departments a ticket was passed between in both directions within the class (推诿).
  public struct PingPong: Sendable, Codable, Hashable {
    public var a: String
    public var b: String
    public var count: Int
  }
  public struct ScorePart: Sendable, Codable, Hashable {
    public var name: String  // frequency, spread, persistence, growth, unresolved, cross_department
    public var value: Double  // the raw figure
    public var score: Double  // 0…1 after scaling
    public var weight: Double
  }

  public var id: String
  public var title: String
  public var entity: String
  public var entityKind: EntityKind
  /// "place": one place or entity at one place; "cross_place": one entity over several communities.
  public var scope: String
  public var district: String?
  public var street: String?
  public var community: String?
  public var area: String
  public var category: String
  public var count: Int
  public var callers: Int
  public var first: Int64
  public var last: Int64
  public var firstDate: String
  public var lastDate: String
  public var activeWeeks: Int
  public var streets: Int
  public var communities: Int
  /// (second half − first half) / count, over the class's own span.
  public var growth: Double
  public var departments: [NameCount]
  public var transfers: Int
  public var transferredShare: Double
  public var pingPong: [PingPong]
  public var unresolvedShare: Double
  public var dissatisfiedShare: Double
  public var leadDepartment: String?
  public var assistingDepartments: [String]
  /// Evidence of recurrence: tickets observed in the window, the count
  /// expected from the place's share of the city's tickets of this category
  /// in the same weeks, the Poisson log-likelihood ratio and p-value.
  public var observed: Int
  public var expected: Double
  public var llr: Double
  /// The window's LLR against the key's own series spread like the city's
  /// tickets of this problem (how concentrated in time it is).
  public var timeLLR: Double
  public var pValue: Double
  public var score: Double
  public var scoreParts: [ScorePart]
  public var reasonsZh: [String]
  public var reasonsEn: [String]
  public var ticketIndices: [Int]
  public var ticketIds: [String]
}

/// Finds recurring classes: the same place or entity and the same problem,
/// concentrated over weeks or months far beyond what the place's share of
/// the city's tickets of that category predicts.
///
/// For every key (a named entity in the title/text, or the ticket's
/// community) × problem (the category path), the weekly counts are scanned
/// (temporal scan statistic, Kulldorff 1997) for the window of at least
/// `minWeeks` weeks where the key's own tickets concentrate most against
/// their total spread like the city's tickets of that problem (conditional
/// Poisson LLR, `timeLLR` ≥ `minConditionalLLR`: seasonal rises are expected).
/// The window must then also stand far above the place's baseline: against
/// e = share × the city's count of that problem in the window, where share is
/// the key's share of all tickets outside this problem (so a class cannot
/// raise its own baseline), the one-sided LLR n·ln(n/e) − (n − e) must reach
/// `minLLR` and n/e `minRatio`. It needs `minTickets` tickets from
/// `minCallers` callers with none holding more than `maxCallerShare`,
/// `minActiveWeeks` weeks with tickets and no week over `maxWeekShare` (an
/// outbreak is not a recurring class); a named entity's tickets must sit in
/// few communities (inverse Simpson index ≤ min(`maxEffectiveCommunities`,
/// `maxEffectiveShare` × n)), and its single mentions in other communities
/// are dropped. Candidates are taken greedily by LLR; one whose tickets are
/// mostly in an accepted class of the same problem joins it (the entity and
/// the community view of one class), otherwise it needs `minFresh` of its
/// tickets unassigned.
public enum ClassFinder {
  public struct Config: Sendable {
    public var minTickets = 8
    public var minCallers = 4
    public var minWeeks = 3
    public var minActiveWeeks = 5
    public var maxWeekShare = 0.6
    public var minRatio = 10.0
    public var minLLR = 40.0
    public var minFresh = 0.6
    public var mergeOverlap = 0.5
    /// Smallest conditional (own-series) LLR of the chosen window.
    public var minConditionalLLR = 10.0
    /// Largest share of a class's tickets from one caller.
    public var maxCallerShare = 0.4
    /// A named entity's class must sit in at most this many communities
    /// (inverse Simpson index of its tickets' communities) …
    public var maxEffectiveCommunities = 12.0
    /// … and at most this share of its ticket count.
    public var maxEffectiveShare = 0.5
    /// Weights of the ranking parts (sum 1).
    public var weights: [String: Double] = [
      "frequency": 0.25, "spread": 0.1, "persistence": 0.2, "growth": 0.1, "unresolved": 0.2,
      "cross_department": 0.15,
    ]
    public init() {}
  }

  struct Candidate {
    var key: String
    var anchor: String
    var kind: EntityKind
    var problem: String
    var members: [Int]
    var observed: Int
    var expected: Double
    var llr: Double
    var timeLLR: Double
  }

  static func run(_ p: Prepared, config: Config, clock: ZoneClock) -> [RecurringClass] {
    let n = p.tickets.count
    guard n > 0 else { return [] }
    let days = p.tickets.map { clock.dayNumber($0.receivedAt) }
    let day0 = days.min() ?? 0
    let weeks = p.tickets.indices.map { (days[$0] - day0) / 7 }
    let nWeeks = (weeks.max() ?? 0) + 1
    // City volume per problem per week.
    // (Strings keyed by their UTF-8 bytes: String hashing normalises non-ASCII text.)
    var problemIndex: [UTF8Key: Int] = [:]
    var problemOf: [Int32] = []
    problemOf.reserveCapacity(n)
    for pr in p.problem {
      let k = UTF8Key(pr)
      if let x = problemIndex[k] {
        problemOf.append(Int32(x))
      } else {
        problemOf.append(Int32(problemIndex.count))
        problemIndex[k] = problemIndex.count
      }
    }
    var city = [[Double]](repeating: [Double](repeating: 0, count: nWeeks), count: problemIndex.count)
    for i in 0..<n { city[Int(problemOf[i])][weeks[i]] += 1 }
    // Keys: anchor (named entity or community) × problem, as integers.
    var problems = [String](repeating: "", count: problemIndex.count)
    for (k, v) in problemIndex { problems[v] = k.string }
    var anchorIndex: [UTF8Key: Int32] = [:]
    var anchors: [String] = []
    var anchorKinds: [EntityKind] = []
    var anchorCount: [Int] = []
    var keyMembers: [UInt64: [Int32]] = [:]
    var seen: [Int32] = []
    for i in 0..<n {
      seen.removeAll(keepingCapacity: true)
      func add(_ name: String, _ kind: EntityKind) {
        let id: Int32
        let key = UTF8Key(name)
        if let x = anchorIndex[key] {
          id = x
        } else {
          id = Int32(anchors.count)
          anchorIndex[key] = id
          anchors.append(name)
          anchorKinds.append(kind)
          anchorCount.append(0)
        }
        guard !seen.contains(id) else { return }
        seen.append(id)
        anchorCount[Int(id)] += 1
        keyMembers[UInt64(UInt32(id)) << 32 | UInt64(UInt32(problemOf[i])), default: []].append(Int32(i))
      }
      for id in p.mentionList[i] {
        let e = p.entityTable[Int(id)]
        add(e.name, e.kind)
      }
      if let c = p.communityKey[i] { add(c, .community) }
    }
    let anchorKind = Dictionary(uniqueKeysWithValues: anchors.indices.map { (anchors[$0], anchorKinds[$0]) })
    // Scan each key for its best window.
    var candidates: [Candidate] = []
    let total = Double(n)
    for (packed, members32) in keyMembers where members32.count >= config.minTickets {
      let members = members32.map(Int.init)
      let anchorId = Int(packed >> 32)
      let anchor = anchors[anchorId]
      let problem = problems[Int(packed & 0xFFFF_FFFF)]
      let key = anchor + "\u{1}" + problem
      let share = Double(anchorCount[anchorId] - members.count + 1) / total
      let cityRow = city[Int(packed & 0xFFFF_FFFF)]
      var counts = [Int](repeating: 0, count: nWeeks)
      for i in members { counts[weeks[i]] += 1 }
      var prefix = [Int](repeating: 0, count: nWeeks + 1)
      var cprefix = [Double](repeating: 0, count: nWeeks + 1)
      for w in 0..<nWeeks {
        prefix[w + 1] = prefix[w] + counts[w]
        cprefix[w + 1] = cprefix[w] + cityRow[w]
      }
      // The window where this key's tickets concentrate against its own total spread like the
      // city's tickets of the problem (temporal scan, conditional on the key's count) …
      let N = Double(members.count)
      let cityTotal = max(cprefix[nWeeks], 1)
      var best: (Int, Int, Double)? = nil
      let firstWeek = weeks[members.first!]
      let lastWeek = weeks[members.last!]
      for a in firstWeek...lastWeek where counts[a] > 0 {
        for b in stride(from: lastWeek, through: a + config.minWeeks - 1, by: -1) where counts[b] > 0 {
          let obs = prefix[b + 1] - prefix[a]
          if obs < config.minTickets { break }
          let o = Double(obs)
          let e = max(N * (cprefix[b + 1] - cprefix[a]) / cityTotal, 1e-9)
          guard o > e else { continue }
          var llr = o * log(o / e)
          if N - o > 0 { llr += (N - o) * log((N - o) / (N - e)) }
          if best == nil || llr > best!.2 { best = (a, b, llr) }
        }
      }
      guard let (a, b, conditional) = best, conditional >= config.minConditionalLLR else { continue }
      // … and far above the place's baseline there.
      var inWindow = members.filter { weeks[$0] >= a && weeks[$0] <= b }
      var obs = inWindow.count
      var o = Double(obs)
      let e = max(share * (cprefix[b + 1] - cprefix[a]), 1e-9)
      let llr = o * log(o / e) - (o - e)
      guard llr >= config.minLLR, o / e >= config.minRatio else { continue }
      // A named entity's scattered mentions elsewhere are not this class: keep the
      // communities (or, without one, the streets) where it recurs.
      if anchorKind[anchor] != .community {
        var perPlace: [String: Int] = [:]
        for i in inWindow { if let k = p.communityKey[i] ?? p.streetKey[i] { perPlace[k, default: 0] += 1 } }
        inWindow = inWindow.filter { i in (p.communityKey[i] ?? p.streetKey[i]).map { (perPlace[$0] ?? 0) >= 2 } ?? true }
        obs = inWindow.count
        o = Double(obs)
        guard obs >= config.minTickets else { continue }
      }
      // Many callers, not one caller's own matter (the repeat-caller review handles those).
      var perCaller: [String: Int] = [:]
      for i in inWindow { perCaller[p.tickets[i].callerKey ?? "t:" + p.tickets[i].id, default: 0] += 1 }
      guard Double(perCaller.values.max() ?? 0) <= config.maxCallerShare * o else { continue }
      let callers = Set(inWindow.map { p.tickets[$0].callerKey ?? "t:" + p.tickets[$0].id }).count
      guard callers >= config.minCallers else { continue }
      var perWeek: [Int: Int] = [:]
      for i in inWindow { perWeek[weeks[i], default: 0] += 1 }
      // A name seen all over the city (a template phrase such as 项目工地) is no place:
      // the window's tickets must concentrate in a few communities.
      if anchorKind[anchor] != .community {
        // (Tickets without a community, as in exports that have none, are left out of this test.)
        var perCommunity: [String: Int] = [:]
        for i in inWindow { if let c = p.communityKey[i] { perCommunity[c, default: 0] += 1 } }
        let located = perCommunity.values.reduce(0, +)
        if located >= 3 {
          let sumSq = perCommunity.values.reduce(0.0) { $0 + Double($1 * $1) }
          let effective = Double(located * located) / max(sumSq, 1)
          guard effective <= min(config.maxEffectiveCommunities, config.maxEffectiveShare * Double(located)) else {
            continue
          }
        }
      }
      guard perWeek.count >= config.minActiveWeeks,
        Double(perWeek.values.max() ?? 0) <= config.maxWeekShare * Double(obs)
      else { continue }
      candidates.append(
        Candidate(
          key: key, anchor: anchor, kind: anchorKind[anchor] ?? .community, problem: problem, members: inWindow,
          observed: obs, expected: e, llr: llr, timeLLR: conditional))
    }
    candidates.sort { $0.llr != $1.llr ? $0.llr > $1.llr : $0.key < $1.key }
    // Greedy assignment.
    var owner = [Int](repeating: -1, count: n)
    var accepted: [Candidate] = []
    for c in candidates {
      var overlap: [Int: Int] = [:]
      var fresh = 0
      for i in c.members {
        if owner[i] >= 0 { overlap[owner[i], default: 0] += 1 } else { fresh += 1 }
      }
      if let (cls, k) = overlap.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
        Double(k) >= config.mergeOverlap * Double(c.members.count), accepted[cls].problem == c.problem
      {
        for i in c.members where owner[i] < 0 {
          owner[i] = cls
          accepted[cls].members.append(i)
        }
        continue
      }
      guard Double(fresh) >= config.minFresh * Double(c.members.count), fresh >= config.minTickets else { continue }
      let id = accepted.count
      var mine = c
      mine.members = c.members.filter { owner[$0] < 0 }
      for i in mine.members { owner[i] = id }
      accepted.append(mine)
    }
    var classes = accepted.map { describe($0, p, clock: clock) }
    rank(&classes, config: config)
    classes.sort { $0.score != $1.score ? $0.score > $1.score : $0.first < $1.first }
    for k in classes.indices { classes[k].id = String(format: "K%03d", k + 1) }
    return classes
  }

  static func mode(_ xs: [String]) -> String? {
    var c: [String: Int] = [:]
    for x in xs where !x.isEmpty { c[x, default: 0] += 1 }
    return c.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
  }

  static func describe(_ c: Candidate, _ p: Prepared, clock: ZoneClock) -> RecurringClass {
    let members = c.members.sorted { p.tickets[$0].receivedAt < p.tickets[$1].receivedAt }
    let ts = members.map { p.tickets[$0] }
    let first = ts.first!.receivedAt
    let last = ts.last!.receivedAt
    // The entity: the anchor, or for a community anchor the most named non-road entity.
    var entity = c.anchor
    var kind = c.kind
    if c.kind == .community {
      var counts: [Entity: Int] = [:]
      for i in members { for e in Set(p.mentions(i)) { counts[e, default: 0] += 1 } }
      if let (e, k) = counts.max(by: {
        $0.value != $1.value
          ? $0.value < $1.value
          : ($0.key.name.count != $1.key.name.count ? $0.key.name.count < $1.key.name.count : $0.key.name > $1.key.name)
      }),
        k * 3 >= members.count
      {
        entity = e.name
        kind = e.kind
      } else {
        entity = String(c.anchor.split(separator: "/").last ?? Substring(c.anchor))
      }
    }
    let districts = Set(ts.compactMap(\.district).filter { !$0.isEmpty })
    let streets = Set(members.compactMap { p.streetKey[$0] })
    let communities = Set(members.compactMap { p.communityKey[$0] })
    let district = mode(ts.compactMap(\.district))
    let street = mode(ts.compactMap(\.street).map(Prepared.canonicalStreet))
    let community = mode(ts.compactMap(\.community))
    let crossKinds: Set<EntityKind> = [.company, .developer, .propertyCompany, .busLine, .shop, .school, .site]
    let scope = crossKinds.contains(kind) && communities.count >= 3 && c.kind != .community ? "cross_place" : "place"
    let area: String
    if scope == "cross_place" || districts.count > 2 {
      area = districts.sorted().joined(separator: "、") + "（\(communities.count)个社区）"
    } else {
      area = [district, street, community].compactMap { $0 }.joined(separator: " ")
    }
    // Departments and transfers.
    var deptCounts: [String: Int] = [:]
    var directed: [String: Int] = [:]
    var transfers = 0
    var transferred = 0
    for t in ts {
      for d in Set(t.departments) { deptCounts[d, default: 0] += 1 }
      transfers += t.transferCount ?? max(0, t.departments.count - 1)
      if (t.transferCount ?? 0) > 0 || t.departments.count > 1 { transferred += 1 }
      if t.departments.count > 1 {
        for k in 1..<t.departments.count { directed[t.departments[k - 1] + "\u{1}" + t.departments[k], default: 0] += 1 }
      }
    }
    var pingPong: [RecurringClass.PingPong] = []
    for (pair, n) in directed {
      let ab = pair.split(separator: "\u{1}").map(String.init)
      guard ab.count == 2, ab[0] < ab[1], let back = directed[ab[1] + "\u{1}" + ab[0]] else { continue }
      pingPong.append(.init(a: ab[0], b: ab[1], count: n + back))
    }
    pingPong.sort { $0.count != $1.count ? $0.count > $1.count : ($0.a != $1.a ? $0.a < $1.a : $0.b < $1.b) }
    let departments = deptCounts.map { RecurringClass.NameCount(name: $0.key, count: $0.value) }
      .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    // Lead: the department most often handling first; assisting: others on a quarter of the tickets.
    let lead = mode(ts.compactMap(\.departments.first)) ?? departments.first?.name
    let assisting = departments.filter { $0.name != lead && Double($0.count) >= 0.25 * Double(ts.count) }.map(\.name)
    let withResolution = ts.filter { $0.resolution != nil }
    let unresolved = withResolution.filter { $0.resolution == .unresolved }.count
    let rated = ts.filter { ($0.satisfaction ?? "").contains("满意") }
    let dissatisfied = rated.filter { $0.satisfaction == "不满意" || $0.satisfaction == "非常不满意" }.count
    let mid = first + (last - first) / 2
    let firstHalf = ts.filter { $0.receivedAt <= mid }.count
    let growth = Double(ts.count - 2 * firstHalf) / Double(ts.count)
    let activeWeeks = Set(ts.map { clock.dayNumber($0.receivedAt) / 7 }).count
    let categoryLeaf = c.problem.components(separatedBy: "->").last ?? c.problem
    let title = mode(ts.compactMap(\.title)) ?? (entity + categoryLeaf)
    let callers = Set(ts.map { $0.callerKey ?? "t:" + $0.id }).count
    return RecurringClass(
      id: "", title: title, entity: entity, entityKind: kind, scope: scope, district: district, street: street,
      community: community, area: area, category: c.problem, count: ts.count, callers: callers, first: first,
      last: last, firstDate: clock.dateString(first), lastDate: clock.dateString(last), activeWeeks: activeWeeks,
      streets: streets.count, communities: communities.count, growth: growth, departments: departments,
      transfers: transfers, transferredShare: Double(transferred) / Double(ts.count), pingPong: pingPong,
      unresolvedShare: withResolution.isEmpty ? 0 : Double(unresolved) / Double(withResolution.count),
      dissatisfiedShare: rated.isEmpty ? 0 : Double(dissatisfied) / Double(rated.count),
      leadDepartment: lead, assistingDepartments: assisting, observed: c.observed, expected: c.expected,
      llr: c.llr, timeLLR: c.timeLLR, pValue: Distributions.poissonAtLeast(c.observed, mean: c.expected), score: 0, scoreParts: [],
      reasonsZh: [], reasonsEn: [], ticketIndices: members, ticketIds: ts.map(\.id))
  }

  /// The 每月一题 ranking: six parts scaled to 0…1, weighted, times 100.
  static func rank(_ classes: inout [RecurringClass], config: Config) {
    guard !classes.isEmpty else { return }
    let maxCount = Double(classes.map(\.count).max() ?? 1)
    for k in classes.indices {
      let c = classes[k]
      let spanWeeks = max(1.0, Double(c.last - c.first) / (7 * 86400))
      let parts: [(String, Double, Double)] = [
        ("frequency", Double(c.count), log(1 + Double(c.count)) / log(1 + maxCount)),
        ("spread", Double(c.streets), min(1, Double(max(0, c.streets - 1)) / 4)),
        ("persistence", spanWeeks, min(1, spanWeeks / 26)),
        ("growth", c.growth, max(0, min(1, c.growth * 2))),
        ("unresolved", c.unresolvedShare, c.unresolvedShare),
        ("cross_department", c.transferredShare, c.transferredShare),
      ]
      var score = 0.0
      var sp: [RecurringClass.ScorePart] = []
      for (name, value, s) in parts {
        let w = config.weights[name] ?? 0
        score += w * s
        sp.append(.init(name: name, value: value, score: s, weight: w))
      }
      classes[k].score = (score * 1000).rounded() / 10
      classes[k].scoreParts = sp
      let top = sp.sorted { $0.weight * $0.score > $1.weight * $1.score }.prefix(3).filter { $0.score > 0 }
      classes[k].reasonsZh = top.map { reasonZh($0, c) }
      classes[k].reasonsEn = top.map { reasonEn($0, c) }
    }
  }

  static func pct(_ x: Double) -> String { String(format: "%.0f%%", 100 * x) }

  static func reasonZh(_ p: RecurringClass.ScorePart, _ c: RecurringClass) -> String {
    switch p.name {
    case "frequency": "反映频次高：\(c.count)件，\(c.callers)位来电人（预期\(String(format: "%.1f", c.expected))件）"
    case "spread": "涉及\(c.streets)个街道、\(c.communities)个社区"
    case "persistence": "持续\(Int(p.value.rounded()))周（\(c.firstDate)至\(c.lastDate)），活跃\(c.activeWeeks)周"
    case "growth": "后半段件数多于前半段（增长\(pct(c.growth))）"
    case "unresolved": "未解决占\(pct(c.unresolvedShare))，不满意占\(pct(c.dissatisfiedShare))"
    default: "跨部门流转占\(pct(c.transferredShare))，共转办\(c.transfers)次" + (c.pingPong.isEmpty ? "" : "，存在来回推诿")
    }
  }

  static func reasonEn(_ p: RecurringClass.ScorePart, _ c: RecurringClass) -> String {
    switch p.name {
    case "frequency": "frequent: \(c.count) tickets from \(c.callers) callers (expected \(String(format: "%.1f", c.expected)))"
    case "spread": "spread over \(c.streets) streets and \(c.communities) communities"
    case "persistence": "persisted \(Int(p.value.rounded())) weeks (\(c.firstDate) to \(c.lastDate)), active in \(c.activeWeeks)"
    case "growth": "growing: more tickets in the second half (\(pct(c.growth)))"
    case "unresolved": "\(pct(c.unresolvedShare)) unresolved, \(pct(c.dissatisfiedShare)) dissatisfied"
    default:
      "\(pct(c.transferredShare)) passed between departments, \(c.transfers) transfers"
        + (c.pingPong.isEmpty ? "" : ", with ping-pong")
    }
  }
}
