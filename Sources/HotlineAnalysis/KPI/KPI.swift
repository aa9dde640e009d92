import Foundation
import HotlineCore

/// How the service KPIs are counted. Definitions differ between cities (domain
/// research §5.3), so every rule is a value here; the raw satisfaction grades
/// are always reported as well, so a reader can recount under another rule.
public struct KPIDefinitions: Sendable, Codable, Hashable {
  /// Grades that count as satisfied (满意率 numerator).
  public var satisfiedGrades: [String]
  /// Grades that are not a rating (excluded from the 满意率 denominator).
  public var unratedGrades: [String]
  /// 解决率: whether 部分解决 counts as resolved.
  public var partialCountsAsResolved: Bool
  /// 响应率: statuses meaning the department has not responded (not signed, sent back).
  public var unrespondedStatuses: [String]
  /// Statuses that mark an extension (延期).
  public var extendedStatusWords: [String]
  /// Statuses that mark a return (退回 / 退单).
  public var returnedStatusWords: [String]
  /// A ticket transferred at least this many times counts as 多次转办.
  public var multipleTransfers: Int
  /// Statuses that mark a re-handled ticket (重办) besides the `<parent>-NN` id form.
  public var reopenedStatusWords: [String]

  public init(
    satisfiedGrades: [String] = ["满意", "基本满意", "非常满意", "比较满意"],
    unratedGrades: [String] = ["未评价", "未回访", "无法联系", "不需回访", ""],
    partialCountsAsResolved: Bool = false,
    unrespondedStatuses: [String] = ["待签收", "退回", "待派单"],
    extendedStatusWords: [String] = ["延期"],
    returnedStatusWords: [String] = ["退回", "退单"],
    multipleTransfers: Int = 2,
    reopenedStatusWords: [String] = ["重办", "重新办理"]
  ) {
    self.reopenedStatusWords = reopenedStatusWords
    self.satisfiedGrades = satisfiedGrades
    self.unratedGrades = unratedGrades
    self.partialCountsAsResolved = partialCountsAsResolved
    self.unrespondedStatuses = unrespondedStatuses
    self.extendedStatusWords = extendedStatusWords
    self.returnedStatusWords = returnedStatusWords
    self.multipleTransfers = multipleTransfers
  }

  enum CodingKeys: String, CodingKey {
    case satisfiedGrades = "satisfied_grades"
    case unratedGrades = "unrated_grades"
    case partialCountsAsResolved = "partial_counts_as_resolved"
    case unrespondedStatuses = "unresponded_statuses"
    case extendedStatusWords = "extended_status_words"
    case returnedStatusWords = "returned_status_words"
    case multipleTransfers = "multiple_transfers"
    case reopenedStatusWords = "reopened_status_words"
  }
}

/// Floors below which a unit is named (e.g. reply 92 %, satisfaction 85 %).
public struct KPIThresholds: Sendable, Codable, Hashable {
  public var response: Double
  public var onTime: Double
  public var resolution: Double
  public var satisfaction: Double
  /// Units with fewer assessable tickets than this are listed but never named.
  public var minTickets: Int

  public init(
    response: Double = 0.92, onTime: Double = 0.90, resolution: Double = 0.80,
    satisfaction: Double = 0.85, minTickets: Int = 30
  ) {
    self.response = response
    self.onTime = onTime
    self.resolution = resolution
    self.satisfaction = satisfaction
    self.minTickets = minTickets
  }

  enum CodingKeys: String, CodingKey {
    case response, resolution, satisfaction
    case onTime = "on_time"
    case minTickets = "min_tickets"
  }
}

/// One rate with its counts, a Wilson 95 % interval and the ids of the
/// tickets that failed it (the evidence a unit is named with).
public struct KPIRate: Sendable, Codable, Hashable {
  public var numerator: Int
  public var denominator: Int
  public var value: Double?
  public var low: Double?
  public var high: Double?
  /// Tickets counted in the denominator but not the numerator (first 50).
  public var failingTicketIds: [String]

  public init(numerator: Int, denominator: Int, failing: [String]) {
    self.numerator = numerator
    self.denominator = denominator
    self.failingTicketIds = Array(failing.prefix(50))
    if denominator > 0 {
      let v = Double(numerator) / Double(denominator)
      value = v
      (low, high) = KPIRate.wilson(p: v, n: Double(denominator))
    }
  }

  /// Wilson score interval at 95 %.
  public static func wilson(p: Double, n: Double, z: Double = 1.959_963_985) -> (Double, Double) {
    let z2 = z * z
    let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    let half = z * ((p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()) / (1 + z2 / n)
    return (max(0, centre - half), min(1, centre + half))
  }

  enum CodingKeys: String, CodingKey {
    case numerator, denominator, value, low, high
    case failingTicketIds = "failing_ticket_ids"
  }
}

/// A pair of departments a ticket was passed between (ping-pong, 踢皮球).
public struct DepartmentPair: Sendable, Codable, Hashable {
  public var first: String
  public var second: String
  public var tickets: Int
  public var ticketIds: [String]

  enum CodingKeys: String, CodingKey {
    case first, second, tickets
    case ticketIds = "ticket_ids"
  }
}

/// The KPIs of one unit (department, district, street) or of all tickets.
public struct KPIRow: Sendable, Codable, Hashable {
  public var unit: String
  public var tickets: Int
  /// 响应率: responded / dispatched.
  public var response: KPIRate
  /// 按时办结率: closed by the deadline / tickets whose deadline has passed or that are closed.
  public var onTime: KPIRate
  /// 解决率: resolved / tickets with a resolution.
  public var resolution: KPIRate
  /// 满意率: satisfied grades / rated tickets.
  public var satisfaction: KPIRate
  /// Raw 满意度 values and their counts.
  public var satisfactionGrades: [String: Int]
  public var overdue: Int
  public var overdueTicketIds: [String]
  public var extended: Int
  public var returned: Int
  /// Sum of 转办次数 and the tickets transferred at least `multipleTransfers` times.
  public var transfers: Int
  public var multipleTransfers: Int
  /// Re-handled tickets (重办: 关联工单 set and the id extends it, `<parent>-01`,
  /// or the status says so): a closed ticket re-opened.
  public var reopened: Int
  public var reopenedTicketIds: [String]
  /// Rates below the thresholds (names: response, on_time, resolution, satisfaction).
  public var below: [String]

  enum CodingKeys: String, CodingKey {
    case unit, tickets, response, resolution, satisfaction, overdue, extended, returned, transfers, reopened, below
    case onTime = "on_time"
    case satisfactionGrades = "satisfaction_grades"
    case overdueTicketIds = "overdue_ticket_ids"
    case multipleTransfers = "multiple_transfers"
    case reopenedTicketIds = "reopened_ticket_ids"
  }
}

/// Which unit a ticket counts for.
public enum KPIGrouping: String, Sendable, Codable, CaseIterable {
  /// The lead department (承办单位, first listed).
  case department
  /// The district; its spellings (凤营区, 凤营) are one unit (`AreaSpellings`),
  /// named by the most frequent.
  case district
  /// District and street (streets of the same name in two districts stay
  /// apart); spellings are one unit as for districts.
  case street

  /// The unit as the ticket spells it: the department, or the area's parts
  /// (district, street), outermost first; a street without its district has
  /// "" for it.
  public func unitParts(of t: Ticket) -> [String]? {
    func nonEmpty(_ s: String?) -> String? {
      guard let s = s?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
      return s
    }
    switch self {
    case .department: return nonEmpty(t.departments.first).map { [$0] }
    case .district: return nonEmpty(t.district).map { [$0] }
    case .street:
      guard let s = nonEmpty(t.street) else { return nil }
      return [nonEmpty(t.district) ?? "", s]
    }
  }
}

/// Service KPIs over a set of tickets: per unit, overall, and the units named
/// below the thresholds.
public struct KPIReport: Sendable, Codable {
  public var grouping: KPIGrouping
  public var asOf: Int64
  public var definitions: KPIDefinitions
  public var thresholds: KPIThresholds
  public var overall: KPIRow
  /// Units ordered by tickets, largest first.
  public var units: [KPIRow]
  /// Units with at least `minTickets` tickets and a rate below its floor.
  public var belowThreshold: [KPIRow]
  public var pingPongPairs: [DepartmentPair]

  enum CodingKeys: String, CodingKey {
    case grouping, definitions, thresholds, overall, units
    case asOf = "as_of"
    case belowThreshold = "below_threshold"
    case pingPongPairs = "ping_pong_pairs"
  }

  /// KPIs of `tickets` evaluated at `asOf` (open tickets past their deadline then are overdue).
  public init(
    tickets: [Ticket], grouping: KPIGrouping, asOf: Int64,
    definitions: KPIDefinitions = KPIDefinitions(), thresholds: KPIThresholds = KPIThresholds(),
    pairs: Int = 20
  ) {
    var b = KPIBuilder(grouping: grouping, asOf: asOf, definitions: definitions, thresholds: thresholds)
    for t in tickets { b.add(t) }
    self = b.finish(pairs: pairs)
  }

  init(grouping: KPIGrouping, asOf: Int64, definitions: KPIDefinitions, thresholds: KPIThresholds, overall: KPIRow,
       units: [KPIRow], pingPongPairs: [DepartmentPair]) {
    self.grouping = grouping
    self.asOf = asOf
    self.definitions = definitions
    self.thresholds = thresholds
    self.overall = overall
    self.units = units
    self.belowThreshold = units.filter { !$0.below.isEmpty }
    self.pingPongPairs = pingPongPairs
  }
}

/// Streams tickets into a `KPIReport` (for databases too large to hold in memory).
public struct KPIBuilder {
  public let grouping: KPIGrouping
  public let asOf: Int64
  public let definitions: KPIDefinitions
  public let thresholds: KPIThresholds
  var acc: [String: Accumulator] = [:]
  /// Area units: keys of `acc` and the spellings behind them.
  var spellings = AreaSpellings()
  var all = Accumulator()
  var pairs: [[String]: [String]] = [:]
  var pairCounts: [[String]: Int] = [:]
  /// What the definitions make of each distinct status and satisfaction
  /// grade, worked out once (exports have a handful of each).
  var statusMemo: [String: StatusFlags] = [:]
  var gradeMemo: [String: GradeFlags] = [:]

  public init(grouping: KPIGrouping, asOf: Int64, definitions: KPIDefinitions = KPIDefinitions(), thresholds: KPIThresholds = KPIThresholds()) {
    self.grouping = grouping
    self.asOf = asOf
    self.definitions = definitions
    self.thresholds = thresholds
  }

  public mutating func add(_ t: Ticket) {
    let status = t.status ?? ""
    let sf: StatusFlags
    if let m = statusMemo[status] { sf = m } else {
      sf = StatusFlags(status, definitions)
      statusMemo[status] = sf
    }
    let rawGrade = t.satisfaction ?? ""
    let gf: GradeFlags
    if let m = gradeMemo[rawGrade] { gf = m } else {
      gf = GradeFlags(rawGrade, definitions)
      gradeMemo[rawGrade] = gf
    }
    all.add(t, definitions, asOf, sf, gf)
    if let parts = grouping.unitParts(of: t) {
      let u = grouping == .department ? parts[0] : spellings.add(parts)
      acc[u, default: Accumulator()].add(t, definitions, asOf, sf, gf)
    }
    if (t.transferCount ?? 0) >= definitions.multipleTransfers && t.departments.count >= 2 {
      var seen = Set<[String]>()
      for (a, b) in zip(t.departments, t.departments.dropFirst()) where a != b {
        let key = a < b ? [a, b] : [b, a]
        if seen.insert(key).inserted {
          pairCounts[key, default: 0] += 1
          if pairs[key, default: []].count < 50 { pairs[key, default: []].append(t.id) }
        }
      }
    }
  }

  public func finish(pairs top: Int = 20) -> KPIReport {
    func name(_ u: String) -> String { grouping == .department ? u : spellings.name(u) ?? u }
    let units = acc.map { $0.value.row(unit: name($0.key), thresholds: thresholds, checkFloors: true) }
      .sorted { ($0.tickets, $1.unit) > ($1.tickets, $0.unit) }
    let pp = pairCounts.map { DepartmentPair(first: $0.key[0], second: $0.key[1], tickets: $0.value, ticketIds: pairs[$0.key] ?? []) }
      .sorted { ($0.tickets, $1.first, $1.second) > ($1.tickets, $0.first, $0.second) }
      .prefix(top).map { $0 }
    return KPIReport(
      grouping: grouping, asOf: asOf, definitions: definitions, thresholds: thresholds,
      overall: all.row(unit: "*", thresholds: thresholds, checkFloors: false), units: units, pingPongPairs: pp)
  }
}

/// A status under the definitions.
struct StatusFlags {
  var unresponded: Bool
  var extended: Bool
  var returned: Bool
  var reopened: Bool
  init(_ status: String, _ d: KPIDefinitions) {
    unresponded = d.unrespondedStatuses.contains(status)
    extended = d.extendedStatusWords.contains(where: { status.contains($0) })
    returned = d.returnedStatusWords.contains(where: { status.contains($0) })
    reopened = d.reopenedStatusWords.contains(where: { status.contains($0) })
  }
}

/// A satisfaction grade (trimmed) under the definitions.
struct GradeFlags {
  var grade: String
  var rated: Bool
  var satisfied: Bool
  init(_ raw: String, _ d: KPIDefinitions) {
    grade = raw.trimmingCharacters(in: .whitespaces)
    rated = !d.unratedGrades.contains(grade)
    satisfied = d.satisfiedGrades.contains(grade)
  }
}

struct Accumulator {
  var tickets = 0
  var responded = 0, dispatched = 0
  var onTime = 0, assessable = 0
  var resolved = 0, withResolution = 0
  var satisfied = 0, rated = 0
  var grades: [String: Int] = [:]
  var overdue = 0, extended = 0, returned = 0, transfers = 0, multiple = 0, reopened = 0
  var failResponse: [String] = [], failOnTime: [String] = [], failResolution: [String] = []
  var failSatisfaction: [String] = [], overdueIds: [String] = [], reopenedIds: [String] = []

  mutating func add(_ t: Ticket, _ d: KPIDefinitions, _ asOf: Int64, _ sf: StatusFlags, _ gf: GradeFlags) {
    tickets += 1
    if t.dispatchedAt != nil {
      dispatched += 1
      if t.closedAt != nil || !sf.unresponded {
        responded += 1
      } else if failResponse.count < 50 { failResponse.append(t.id) }
    }
    if let deadline = t.deadlineAt {
      if let closed = t.closedAt {
        assessable += 1
        if closed <= deadline { onTime += 1 } else {
          overdue += 1
          if overdueIds.count < 50 { overdueIds.append(t.id) }
          if failOnTime.count < 50 { failOnTime.append(t.id) }
        }
      } else if deadline < asOf {
        assessable += 1
        overdue += 1
        if overdueIds.count < 50 { overdueIds.append(t.id) }
        if failOnTime.count < 50 { failOnTime.append(t.id) }
      }
    }
    if let r = t.resolution {
      withResolution += 1
      if r == .resolved || (r == .partial && d.partialCountsAsResolved) { resolved += 1 } else if failResolution.count < 50 {
        failResolution.append(t.id)
      }
    }
    if !gf.grade.isEmpty { grades[gf.grade, default: 0] += 1 }
    if gf.rated {
      rated += 1
      if gf.satisfied { satisfied += 1 } else if failSatisfaction.count < 50 { failSatisfaction.append(t.id) }
    }
    if sf.extended { extended += 1 }
    if sf.returned { returned += 1 }
    let tc = t.transferCount ?? 0
    transfers += tc
    if tc >= d.multipleTransfers { multiple += 1 }
    if let parent = t.parentId, !parent.isEmpty,
      t.id.hasPrefix(parent) || sf.reopened
    {
      reopened += 1
      if reopenedIds.count < 50 { reopenedIds.append(t.id) }
    }
  }

  func row(unit: String, thresholds th: KPIThresholds, checkFloors: Bool) -> KPIRow {
    let response = KPIRate(numerator: responded, denominator: dispatched, failing: failResponse)
    let on = KPIRate(numerator: onTime, denominator: assessable, failing: failOnTime)
    let res = KPIRate(numerator: resolved, denominator: withResolution, failing: failResolution)
    let sat = KPIRate(numerator: satisfied, denominator: rated, failing: failSatisfaction)
    var below: [String] = []
    if checkFloors {
      for (name, rate, floor) in [
        ("response", response, th.response), ("on_time", on, th.onTime),
        ("resolution", res, th.resolution), ("satisfaction", sat, th.satisfaction),
      ] where rate.denominator >= th.minTickets {
        if let v = rate.value, v < floor { below.append(name) }
      }
    }
    return KPIRow(
      unit: unit, tickets: tickets, response: response, onTime: on, resolution: res, satisfaction: sat,
      satisfactionGrades: grades, overdue: overdue, overdueTicketIds: overdueIds, extended: extended,
      returned: returned, transfers: transfers, multipleTransfers: multiple, reopened: reopened,
      reopenedTicketIds: reopenedIds, below: below)
  }
}
