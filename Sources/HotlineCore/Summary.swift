import Foundation

/// A labelled count (one row of a breakdown).
public struct LabelCount: Sendable, Codable, Equatable {
  public var key: String
  public var count: Int
  public init(key: String, count: Int) {
    self.key = key
    self.count = count
  }
}

/// One recorded import of a file.
public struct ImportRunInfo: Sendable, Codable, Equatable {
  public var id: Int64
  public var file: String
  public var format: String
  public var encoding: String
  public var startedAt: String
  public var finishedAt: String?
  public var read: Int
  public var imported: Int
  public var updated: Int
  public var unchanged: Int
  public var rejected: Int
  public var status: String

  public init(
    id: Int64, file: String, format: String, encoding: String, startedAt: String,
    finishedAt: String?, read: Int, imported: Int, updated: Int, unchanged: Int, rejected: Int,
    status: String
  ) {
    self.id = id
    self.file = file
    self.format = format
    self.encoding = encoding
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.read = read
    self.imported = imported
    self.updated = updated
    self.unchanged = unchanged
    self.rejected = rejected
    self.status = status
  }

  enum CodingKeys: String, CodingKey {
    case id, file, format, encoding, read, imported, updated, unchanged, rejected, status
    case startedAt = "started_at"
    case finishedAt = "finished_at"
  }
}

/// A first look at a database: volumes and the main breakdowns.
///
/// The JSON field names are part of the CLI's stable interface (README,
/// "JSON output").
public struct DatabaseSummary: Sendable, Codable, Equatable {
  public var tickets: Int
  public var callers: Int
  public var firstReceived: String?
  public var lastReceived: String?
  public var timeZone: String
  public var withLocation: Int
  public var withCategory: Int
  public var closed: Int
  public var byMonth: [LabelCount]
  public var byDistrict: [LabelCount]
  public var byCategory: [LabelCount]
  public var byChannel: [LabelCount]
  public var byKind: [LabelCount]
  public var imports: [ImportRunInfo]

  public init(
    tickets: Int, callers: Int, firstReceived: String?, lastReceived: String?, timeZone: String,
    withLocation: Int, withCategory: Int, closed: Int, byMonth: [LabelCount],
    byDistrict: [LabelCount], byCategory: [LabelCount], byChannel: [LabelCount],
    byKind: [LabelCount], imports: [ImportRunInfo]
  ) {
    self.tickets = tickets
    self.callers = callers
    self.firstReceived = firstReceived
    self.lastReceived = lastReceived
    self.timeZone = timeZone
    self.withLocation = withLocation
    self.withCategory = withCategory
    self.closed = closed
    self.byMonth = byMonth
    self.byDistrict = byDistrict
    self.byCategory = byCategory
    self.byChannel = byChannel
    self.byKind = byKind
    self.imports = imports
  }

  enum CodingKeys: String, CodingKey {
    case tickets, callers, closed, imports
    case firstReceived = "first_received"
    case lastReceived = "last_received"
    case timeZone = "time_zone"
    case withLocation = "with_location"
    case withCategory = "with_category"
    case byMonth = "by_month"
    case byDistrict = "by_district"
    case byCategory = "by_category"
    case byChannel = "by_channel"
    case byKind = "by_kind"
  }
}

