public import HotlineCore
import Crypto

/// The file formats `TicketReader` reads.
public enum ImportFormat: String, CaseIterable, Sendable {
  /// Decide from the extension and the content (and the header for NYC/Open311).
  case auto
  /// RFC 4180 CSV (or TSV when the header holds tabs and no commas).
  case csv
  /// One JSON object per line; also JSON arrays of objects (`.json`).
  case jsonl
  /// Excel 2007+ workbook.
  case xlsx
  /// Open311 GeoReport v2 JSON (an array of requests or `{"service_requests": [...]}`).
  case open311
  /// NYC 311 open-data CSV (`Unique Key, Created Date …` or `unique_key, created_date …`).
  case nyc311
}

/// How to read the bytes of a text file.
public enum EncodingChoice: String, CaseIterable, Sendable {
  /// BOM → UTF-8; valid UTF-8 → UTF-8; else ICU detection (GBK/GB2312 read as GB18030).
  case auto
  case utf8 = "utf-8"
  case gb18030
}

/// Turns a normalised phone number (or account id) into a caller key:
/// HMAC-SHA256 under the database's secret, lowercase hex, first 32 hex digits.
public struct CallerKeyer: Sendable {
  /// An HMAC already keyed (inner/outer pads computed once); copied per call.
  private final class Prototype: @unchecked Sendable {
    let hmac: HMAC<SHA256>
    init(_ key: SymmetricKey) { hmac = HMAC<SHA256>(key: key) }
  }
  private let prototype: Prototype

  public init(secret: [UInt8]) { prototype = Prototype(SymmetricKey(data: secret)) }

  public func key(_ normalizedNumber: String) -> String {
    var h = prototype.hmac
    var s = normalizedNumber
    s.withUTF8 { h.update(data: UnsafeRawBufferPointer($0)) }
    let mac = h.finalize()
    return mac.withUnsafeBytes { CallerKeyer.hex16($0) }
  }

  static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  static func hex16(_ bytes: UnsafeRawBufferPointer) -> String {
    String(unsafeUninitializedCapacity: 32) { out in
      for i in 0..<16 {
        let b = bytes[i]
        out[2 * i] = hexDigits[Int(b >> 4)]
        out[2 * i + 1] = hexDigits[Int(b & 15)]
      }
      return 32
    }
  }
}

/// Options for one `TicketReader`.
public struct ImportOptions: Sendable {
  public var format: ImportFormat
  public var encoding: EncodingChoice
  /// Column mapping; fields it names override the built-in synonyms.
  public var mapping: MappingFile?
  /// XLSX sheet name (default: the first sheet).
  public var sheet: String?
  /// Zone of naive times; `nil` = the mapping's `timezone`, else the format's
  /// default (Asia/Shanghai; nyc311 → America/New_York).
  public var clock: ZoneClock?
  /// The zone for naive times when neither `clock`, the mapping nor the
  /// format (nyc311 → America/New_York) gives one: the database's zone.
  public var defaultClock: ZoneClock?
  /// Hashes caller and contact numbers.
  public var keyer: CallerKeyer
  /// Longest run of physical lines a quoted field may span before the record
  /// is treated as broken quoting (rejected; reading resumes at the next line).
  public var maxLinesPerField: Int
  /// Convert rows on this many threads (results stay in file order). 0 = all cores.
  public var threads: Int

  public init(
    format: ImportFormat = .auto, encoding: EncodingChoice = .auto, mapping: MappingFile? = nil,
    sheet: String? = nil, clock: ZoneClock? = nil, keyer: CallerKeyer,
    maxLinesPerField: Int = 200, threads: Int = 0
  ) {
    self.format = format
    self.encoding = encoding
    self.mapping = mapping
    self.sheet = sheet
    self.clock = clock
    self.keyer = keyer
    self.maxLinesPerField = maxLinesPerField
    self.threads = threads
  }
}

/// One row of the input: a ticket or a rejection.
public enum RowOutcome: Sendable {
  case ticket(Ticket, line: Int)
  case rejected(RowRejection)
}

/// A row that could not be used. `record` holds the row's fields with PII
/// masked (phone columns replaced by their mask).
public struct RowRejection: Sendable, Codable, Hashable, CustomStringConvertible {
  public var file: String
  /// 1-based physical line where the record starts (CSV/JSONL), the sheet row
  /// number (XLSX), or the line where the object starts (JSON arrays).
  public var line: Int
  /// The source column (or canonical field) at fault, if one.
  public var column: String?
  /// Why: a stable code (`problem.code`) with its arguments.
  public var problem: RejectionReason
  public var record: [String]

  public init(file: String, line: Int, column: String?, problem: RejectionReason, record: [String]) {
    self.file = file
    self.line = line
    self.column = column
    self.problem = problem
    self.record = record
  }

  /// The reason in English (stable: scripts and the JSON `reason` field rely on it).
  public var reason: String { problem.text(.en) }

  /// `file:line [column]: reason` in `lang`; file, line and column as they are.
  public func text(_ lang: Language) -> String {
    "\(file):\(line)" + (column.map { " [\($0)]" } ?? "") + ": \(problem.text(lang))"
  }

  /// `file:line [column]: reason` in English.
  public var description: String { text(.en) }
}

/// A file that cannot be imported at all.
public struct ImportError: Error, CustomStringConvertible, Sendable {
  public var file: String
  /// Why: a stable code (`failure.code`) with its arguments.
  public var failure: ImportFailure
  public init(file: String, _ failure: ImportFailure) {
    self.file = file
    self.failure = failure
  }
  /// The message in English.
  public var message: String { failure.text(.en) }
  /// `file: message` in `lang`.
  public func text(_ lang: Language) -> String { "\(file): \(failure.text(lang))" }
  public var description: String { text(.en) }
}

/// Running counts of one reader.
public struct ImportStats: Sendable, Hashable {
  /// Records seen (tickets + rejections; blank lines not counted).
  public var records = 0
  public var tickets = 0
  public var rejected = 0
  /// Values dropped from kept rows, by column and reason (e.g. a bad date in
  /// 办结时间, an invalid coordinate).
  public var warningCounts: [ImportWarning: Int] = [:]
  /// `warningCounts` keyed `"column: reason"` in English.
  public var warnings: [String: Int] { warnings(.en) }
  /// `warningCounts` keyed `"column: reason"` in `lang`.
  public func warnings(_ lang: Language) -> [String: Int] {
    var out: [String: Int] = [:]
    for (w, n) in warningCounts { out[w.text(lang), default: 0] += n }
    return out
  }
  public var warningTotal: Int { warningCounts.values.reduce(0, +) }
}

/// The canonical field keys used in mapping files, `--dry-run` and docs.
public enum CanonicalField: String, CaseIterable, Sendable, Hashable, Codable {
  case id
  case receivedAt = "received_at"
  case dispatchedAt = "dispatched_at"
  case deadlineAt = "deadline_at"
  case closedAt = "closed_at"
  case callerPhone = "caller_phone"
  case contactPhone = "contact_phone"
  case channel, kind, category
  case categoryL1 = "category_l1"
  case categoryL2 = "category_l2"
  case categoryL3 = "category_l3"
  case title, text, district, street, community, address, lon, lat, location, crs, departments
  case transferCount = "transfer_count"
  case status, resolution, satisfaction
  case parentId = "parent_id"

  var isTime: Bool {
    switch self {
    case .receivedAt, .dispatchedAt, .deadlineAt, .closedAt: true
    default: false
    }
  }

  var isPhone: Bool { self == .callerPhone || self == .contactPhone }
}
