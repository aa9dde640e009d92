import HotlineCore

/// The file a joint review (联合研判) reads for one flagged caller: who
/// (masked), when, which tickets, which departments, what came of them, the
/// matter behind the calls, and the suggested route. Evidence, not a verdict.
public struct CallerCaseFile: Sendable, Codable, Equatable {
  public struct Month: Sendable, Codable, Equatable {
    public var month: String
    public var count: Int
  }
  public struct Entry: Sendable, Codable, Equatable {
    public var ticketId: String
    public var receivedAt: String
    public var category: String
    public var title: String
    public var departments: [String]
    public var resolution: String?
    public var satisfaction: String?
    public var scopeClass: String?
    public var sameMatter: Bool

    enum CodingKeys: String, CodingKey {
      case category, title, departments, resolution, satisfaction
      case ticketId = "ticket_id", receivedAt = "received_at", scopeClass = "scope_class"
      case sameMatter = "same_matter"
    }
  }
  public struct Count: Sendable, Codable, Equatable {
    public var name: String
    public var count: Int
  }
  public struct Outcomes: Sendable, Codable, Equatable {
    public var resolved = 0, partial = 0, unresolved = 0, open = 0, dissatisfied = 0, reopened = 0
  }
  public struct Matter: Sendable, Codable, Equatable {
    public var title: String
    public var ticketIds: [String]
    public var unsettled: Int
    enum CodingKeys: String, CodingKey {
      case title, unsettled
      case ticketIds = "ticket_ids"
    }
  }

  public var caller: String
  public var key: String
  public var type: CallerType
  public var route: CallerRoute
  public var routeLabel: String
  public var first: String
  public var last: String
  public var timeline: [Month]
  public var tickets: [Entry]
  public var departments: [Count]
  public var outcomes: Outcomes
  public var matter: Matter
  public var reasons: [String]

  enum CodingKeys: String, CodingKey {
    case caller, key, type, route, first, last, timeline, tickets, departments, outcomes, matter, reasons
    case routeLabel = "route_label"
  }

  /// Builds the file from the finding and the caller's full tickets.
  public init(
    _ f: CallerFinding, tickets: [Ticket], scopeOf: [String: String] = [:], clock: ZoneClock = .shanghai,
    english: Bool = false
  ) {
    caller = f.mask ?? "****"
    key = f.key
    type = f.type
    route = f.route
    routeLabel = english ? f.route.english : f.route.chinese
    let sorted = tickets.sorted { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }
    first = sorted.first.map { Self.stamp($0.receivedAt, clock).date } ?? ""
    last = sorted.last.map { Self.stamp($0.receivedAt, clock).date } ?? ""
    var months: [String: Int] = [:]
    var deps: [String: Int] = [:]
    var o = Outcomes()
    let matterIds = Set(f.features.matterTicketIds)
    var entries: [Entry] = []
    for t in sorted {
      let (date, iso) = Self.stamp(t.receivedAt, clock)
      months[String(date.prefix(7)), default: 0] += 1
      for d in t.departments { deps[d, default: 0] += 1 }
      switch t.resolution {
      case .resolved: o.resolved += 1
      case .partial: o.partial += 1
      case .unresolved: o.unresolved += 1
      case nil: break
      }
      if t.closedAt == nil { o.open += 1 }
      if (t.satisfaction ?? "").contains("不满意") { o.dissatisfied += 1 }
      if t.parentId != nil { o.reopened += 1 }
      entries.append(
        Entry(
          ticketId: t.id, receivedAt: iso, category: t.categoryPath, title: t.title ?? "",
          departments: t.departments, resolution: t.resolution?.rawValue, satisfaction: t.satisfaction,
          scopeClass: scopeOf[t.id], sameMatter: matterIds.contains(t.id)))
    }
    timeline = months.sorted { $0.key < $1.key }.map { Month(month: $0.key, count: $0.value) }
    departments = deps.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { Count(name: $0.key, count: $0.value) }
    outcomes = o
    self.tickets = entries
    matter = Matter(
      title: f.features.matterTitle, ticketIds: f.features.matterTicketIds, unsettled: f.features.matterUnsettled)
    reasons = f.reasons.map { english ? $0.en : $0.zh }
  }

  /// `clock.dateString(t)` and `clock.iso8601(t)`, the same text written
  /// digit by digit instead of through `String(format:)` (which costs
  /// microseconds a call); the clock's own formatting outside years
  /// 0…9999.
  static func stamp(_ t: Int64, _ clock: ZoneClock) -> (date: String, iso: String) {
    let c = clock.civil(t)
    let off = clock.offset(at: t)
    let a = abs(off)
    guard (0...9999).contains(c.year), a / 3600 < 100 else { return (clock.dateString(t), clock.iso8601(t)) }
    var b = [UInt8](repeating: 0, count: 25)
    func put(_ v: Int, _ at: Int, _ width: Int) {
      var v = v
      for k in stride(from: at + width - 1, through: at, by: -1) {
        b[k] = 0x30 + UInt8(v % 10)
        v /= 10
      }
    }
    put(c.year, 0, 4)
    b[4] = 0x2D
    put(c.month, 5, 2)
    b[7] = 0x2D
    put(c.day, 8, 2)
    b[10] = 0x54
    put(c.hour, 11, 2)
    b[13] = 0x3A
    put(c.minute, 14, 2)
    b[16] = 0x3A
    put(c.second, 17, 2)
    b[19] = off >= 0 ? 0x2B : 0x2D
    put(a / 3600, 20, 2)
    b[22] = 0x3A
    put(a % 3600 / 60, 23, 2)
    return (String(decoding: b[0..<10], as: UTF8.self), String(decoding: b, as: UTF8.self))
  }
}
