import Foundation
public import HotlineAnalysis
public import HotlineCore

/// A space-time hotspot as a briefing shows it (filled by the hotspot analysis).
public struct BriefHotspot: Sendable, Codable, Hashable {
  public var title: String
  public var area: String
  public var category: String
  public var start: String
  public var end: String
  public var observed: Int
  public var expected: Double
  public var pValue: Double
  public var leadDepartment: String?
  /// A typical ticket's text (already masked at import) and its id.
  public var typicalTicket: String?
  public var typicalTicketId: String?
  public var ticketIds: [String]
  /// Centre (WGS-84) for the map, when known.
  public var location: Coordinate?

  public init(
    title: String, area: String, category: String, start: String, end: String, observed: Int, expected: Double,
    pValue: Double, leadDepartment: String? = nil, typicalTicket: String? = nil, typicalTicketId: String? = nil,
    ticketIds: [String], location: Coordinate? = nil
  ) {
    self.title = title
    self.area = area
    self.category = category
    self.start = start
    self.end = end
    self.observed = observed
    self.expected = expected
    self.pValue = pValue
    self.leadDepartment = leadDepartment
    self.typicalTicket = typicalTicket
    self.typicalTicketId = typicalTicketId
    self.ticketIds = ticketIds
    self.location = location
  }

  enum CodingKeys: String, CodingKey {
    case title, area, category, start, end, observed, expected, location
    case pValue = "p_value"
    case leadDepartment = "lead_department"
    case typicalTicket = "typical_ticket"
    case typicalTicketId = "typical_ticket_id"
    case ticketIds = "ticket_ids"
  }
}

/// A recurring problem class (类案) as a briefing shows it.
public struct BriefRecurringClass: Sendable, Codable, Hashable {
  public var title: String
  public var area: String
  public var category: String
  public var start: String
  public var end: String
  public var tickets: Int
  public var callers: Int
  public var departments: [String]
  public var resolutionRate: Double?
  public var score: Double?
  public var ticketIds: [String]

  public init(
    title: String, area: String, category: String, start: String, end: String, tickets: Int, callers: Int,
    departments: [String], resolutionRate: Double? = nil, score: Double? = nil, ticketIds: [String]
  ) {
    self.title = title
    self.area = area
    self.category = category
    self.start = start
    self.end = end
    self.tickets = tickets
    self.callers = callers
    self.departments = departments
    self.resolutionRate = resolutionRate
    self.score = score
    self.ticketIds = ticketIds
  }

  enum CodingKeys: String, CodingKey {
    case title, area, category, start, end, tickets, callers, departments, score
    case resolutionRate = "resolution_rate"
    case ticketIds = "ticket_ids"
  }
}

/// Callers for joint review: only the route (e.g. 转信访 / 纳入联合研判) and a count, never a caller.
public struct BriefCallerReview: Sendable, Codable, Hashable {
  public var route: String
  public var count: Int
  public init(route: String, count: Int) {
    self.route = route
    self.count = count
  }
}

/// What the other analyses found, for the briefing's sections (empty arrays: 本期无).
public struct BriefingFindings: Sendable, Codable, Hashable {
  public var hotspots: [BriefHotspot]
  public var recurring: [BriefRecurringClass]
  public var callers: [BriefCallerReview]
  public init(hotspots: [BriefHotspot] = [], recurring: [BriefRecurringClass] = [], callers: [BriefCallerReview] = []) {
    self.hotspots = hotspots
    self.recurring = recurring
    self.callers = callers
  }
}

/// The kinds of briefing.
public enum BriefingKind: String, Sendable, Codable, CaseIterable {
  case leadership, weekly, monthly, special
  case monthlyTopic = "monthly-topic"

  public func title(_ lang: Language) -> String {
    switch self {
    case .leadership: lang.pick("12345热线领导参阅（一页纸）", "12345 hotline: leadership one-pager")
    case .weekly: lang.pick("12345热线周报", "12345 hotline weekly report")
    case .monthly: lang.pick("12345热线月报", "12345 hotline monthly report")
    case .special: lang.pick("12345热线专报", "12345 hotline special report")
    case .monthlyTopic: lang.pick("“每月一题”选题参考", "Problem-of-the-month candidates")
    }
  }
}

/// A set of ticket ids behind one number in the briefing (the appendix lists them).
public struct Evidence: Sendable, Codable, Hashable {
  public var id: String
  public var label: String
  public var count: Int
  public var ticketIds: [String]
  public init(id: String, label: String, count: Int, ticketIds: [String]) {
    self.id = id
    self.label = label
    self.count = count
    self.ticketIds = ticketIds
  }
  enum CodingKeys: String, CodingKey {
    case id, label, count
    case ticketIds = "ticket_ids"
  }
}

/// A category whose volume rose against the previous period.
public struct RisingCategory: Sendable, Codable, Hashable {
  public var category: String
  public var observed: Int
  public var previous: Int
  /// previous × (all tickets now / all tickets before).
  public var expected: Double
  public var pValue: Double
  public var topStreet: String?
  public var topStreetShare: Double?
  public var leadDepartment: String?
  public var typicalTicketId: String?
  public var typicalTicket: String?
  public var ticketIds: [String]
  enum CodingKeys: String, CodingKey {
    case category, observed, previous, expected
    case pValue = "p_value"
    case topStreet = "top_street"
    case topStreetShare = "top_street_share"
    case leadDepartment = "lead_department"
    case typicalTicketId = "typical_ticket_id"
    case typicalTicket = "typical_ticket"
    case ticketIds = "ticket_ids"
  }
}

/// A 每月一题 candidate, scored by the 四高 (高频, 高集中, 持续, 解决差) plus coordination need.
public struct TopicCandidate: Sendable, Codable, Hashable {
  public var category: String
  public var tickets: Int
  public var share: Double
  public var streets: Int
  public var topStreetShare: Double
  /// Months (of the last six) with at least 20 % of the category's mean month.
  public var persistentMonths: Int
  public var resolution: Double?
  public var satisfaction: Double?
  /// Share of tickets transferred at least twice (cross-department coordination).
  public var multiTransferShare: Double
  public var score: Double
  public var leadDepartment: String?
  public var exampleTicketIds: [String]
  public var examples: [String]
  public var ticketIds: [String]
  enum CodingKeys: String, CodingKey {
    case category, tickets, share, streets, resolution, satisfaction, score, examples
    case topStreetShare = "top_street_share"
    case persistentMonths = "persistent_months"
    case multiTransferShare = "multi_transfer_share"
    case leadDepartment = "lead_department"
    case exampleTicketIds = "example_ticket_ids"
    case ticketIds = "ticket_ids"
  }
}

/// A street (or district) on the map: centroid of its tickets' coordinates.
public struct AreaPoint: Sendable, Codable, Hashable {
  public var area: String
  public var lon: Double
  public var lat: Double
  public var tickets: Int
  public var previous: Int
}

/// A red/amber/green alert.
public struct BriefAlert: Sendable, Codable, Hashable {
  public enum Level: String, Sendable, Codable { case red, amber, green }
  public var level: Level
  public var text: String
  public var evidence: String?
}

/// Everything a briefing shows, computed from tickets (see `BriefingBuilder`).
public struct BriefingData: Sendable, Codable {
  public var kind: BriefingKind
  public var period: ReportPeriod
  public var previousPeriod: ReportPeriod
  public var yearEarlierPeriod: ReportPeriod
  public var topic: String?
  public var tickets: Int
  public var previousTickets: Int
  public var yearEarlierTickets: Int?
  public var dailyAverage: Double
  /// Trend: label, count, the same span one year earlier.
  public var trend: [TrendPoint]
  public var categoryMix: [MixItem]
  public var channelMix: [MixItem]
  public var kindMix: [MixItem]
  public var kpi: KPIRow
  public var departments: [KPIRow]
  public var streets: [KPIRow]
  public var belowThreshold: [KPIRow]
  public var thresholds: KPIThresholds
  public var pingPong: [DepartmentPair]
  public var rising: [RisingCategory]
  public var candidates: [TopicCandidate]
  public var areas: [AreaPoint]
  public var alerts: [BriefAlert]
  public var findings: BriefingFindings
  /// 专报: the topic's tickets (typical cases) and first report.
  public var topicFirstReport: String?
  public var typicalTickets: [TypicalTicket]
  public var calendarRisks: [String]
  public var evidence: [Evidence]

  public struct TrendPoint: Sendable, Codable, Hashable {
    public var label: String
    public var count: Int
    public var lastYear: Int?
    public init(label: String, count: Int, lastYear: Int?) {
      self.label = label
      self.count = count
      self.lastYear = lastYear
    }
    enum CodingKeys: String, CodingKey {
      case label, count
      case lastYear = "last_year"
    }
  }
  public struct MixItem: Sendable, Codable, Hashable {
    public var name: String
    public var count: Int
    public var previous: Int
  }
  public struct TypicalTicket: Sendable, Codable, Hashable {
    public var id: String
    public var received: String
    public var area: String
    public var category: String
    public var text: String
  }

  enum CodingKeys: String, CodingKey {
    case kind, period, topic, tickets, trend, kpi, departments, streets, thresholds, rising, candidates, areas, alerts,
      findings, evidence
    case previousPeriod = "previous_period"
    case yearEarlierPeriod = "year_earlier_period"
    case previousTickets = "previous_tickets"
    case yearEarlierTickets = "year_earlier_tickets"
    case dailyAverage = "daily_average"
    case categoryMix = "category_mix"
    case channelMix = "channel_mix"
    case kindMix = "kind_mix"
    case belowThreshold = "below_threshold"
    case pingPong = "ping_pong_pairs"
    case topicFirstReport = "topic_first_report"
    case typicalTickets = "typical_tickets"
    case calendarRisks = "calendar_risks"
  }
}
