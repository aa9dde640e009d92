/// The planted items of a synthetic city, written to `truth.json`
/// (snake_case field names; dates `yyyy-MM-dd`; no raw phone numbers).
public struct SynthTruth: Sendable, Codable {
  public struct Meta: Sendable, Codable {
    public var generator: String
    public var preset: String
    public var seed: UInt64
    public var encoding: String
    public var blankCategories: Bool
    public var startDate: String
    public var endDate: String
    public var days: Int
    public var tickets: Int
    public var callers: Int
    public var mislabelled: Int
    public var city: String
    public var timeZone: String
    public var notes: [String]
  }
  public struct Category: Sendable, Codable {
    public var code: String
    public var path: String
    public var l1: String
    public var l2: String
    public var weight: Double
  }
  public struct Outbreak: Sendable, Codable {
    public var id: String
    public var category: String
    public var theme: String
    public var strength: String
    public var district: String
    public var street: String
    public var community: String?
    public var entity: String?
    public var centre: [Double]  // WGS-84 lon, lat
    public var radiusM: Double
    public var start: String
    public var end: String
    public var extraTickets: Int
    public var ticketIds: [String]
  }
  public struct Seasonal: Sendable, Codable {
    public var id: String
    public var category: String
    public var start: String
    public var end: String
    public var factor: Double
    public var description: String
  }
  public struct RecurringClass: Sendable, Codable {
    public var id: String
    public var title: String
    public var entity: String
    public var entityType: String
    public var category: String
    public var theme: String
    public var district: String?
    public var street: String?
    public var community: String?
    public var start: String
    public var end: String
    public var ticketIds: [String]
    public var callers: Int
    public var departments: [String]
  }
  public struct Incident: Sendable, Codable {
    public var id: String
    public var category: String
    public var place: String
    public var nearDuplicate: Bool
    public var ticketIds: [String]
  }
  public struct Caller: Sendable, Codable {
    public var id: String
    public var type: String
    public var callerPhoneHint: String
    public var callerIndex: Int
    public var shouldFlag: Bool
    public var ticketIds: [String]
    public var description: String
  }
  public struct OutOfScope: Sendable, Codable {
    public var ticketId: String
    public var `class`: String
    public var reason: String
  }
  public struct HardNegative: Sendable, Codable {
    public var ticketId: String
    public var reason: String
  }
  public struct Rehandled: Sendable, Codable {
    public var ticketId: String
    public var parentId: String
  }

  public var formatVersion: Int
  public var meta: Meta
  public var categories: [Category]
  public var ticketCategoriesFile: String
  public var outbreaks: [Outbreak]
  public var seasonal: [Seasonal]
  public var recurringClasses: [RecurringClass]
  public var incidents: [Incident]
  public var callers: [Caller]
  public var callersTruth: [[String]]
  public var outOfScope: [OutOfScope]
  public var hardNegatives: [HardNegative]
  public var piiInText: [String]
  public var rehandled: [Rehandled]
}

/// What `CityGenerator.write` produced.
public struct SynthSummary: Sendable, Codable {
  public var preset: String
  public var seed: UInt64
  public var encoding: String
  public var startDate: String
  public var endDate: String
  public var tickets: Int
  public var callers: Int
  public var outbreaks: Int
  public var seasonal: Int
  public var recurringClasses: Int
  public var incidents: Int
  public var plantedCallers: [String: Int]
  public var outOfScope: Int
  public var hardNegatives: Int
  public var piiInText: Int
  public var mislabelled: Int
  public var rehandled: Int
  public var files: [String: Int]  // file name → bytes
  public var seconds: Double

  enum CodingKeys: String, CodingKey {
    case preset, seed, encoding, tickets, callers, outbreaks, seasonal, incidents, mislabelled,
      rehandled, files, seconds
    case startDate = "start_date"
    case endDate = "end_date"
    case recurringClasses = "recurring_classes"
    case plantedCallers = "planted_callers"
    case outOfScope = "out_of_scope"
    case hardNegatives = "hard_negatives"
    case piiInText = "pii_in_text"
  }
}
