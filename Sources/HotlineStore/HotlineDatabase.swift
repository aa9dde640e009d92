import Foundation
internal import GRDB
internal import GRDBSQLite
public import HotlineCore

/// The one SQLite file that holds a city's tickets and everything derived.
///
/// A file database runs in WAL mode with versioned migrations. The secret
/// used to hash caller numbers lives in a key file beside the database
/// (`<db>.key`, created with mode 0600), never inside it, so a database file
/// can be shared without making its caller keys reversible.
public final class HotlineDatabase: @unchecked Sendable {
  let queue: DatabaseQueue
  /// The database file, or `nil` in memory.
  public let path: String?
  /// The zone used to read naive export times and to print times.
  public private(set) var clock: ZoneClock

  // MARK: - Opening

  /// Opens (creating if needed) the database at `path`.
  ///
  /// - Parameter timeZone: the zone to record when the database is created;
  ///   ignored for an existing database, whose zone stays as recorded.
  /// - Throws: ``StoreError`` when the file is not a Hotline database or
  ///   cannot be opened.
  public static func open(path: String, timeZone: String? = nil) throws -> HotlineDatabase {
    var config = Configuration()
    config.journalMode = .wal
    config.busyMode = .timeout(10)
    config.prepareDatabase { db in
      // 64 KiB pages (effective for new databases only): measured 1.5× faster
      // bulk inserts of ~1.5 KB ticket rows than SQLite's default 4 KiB.
      try db.execute(sql: "PRAGMA page_size = 65536")
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      // A 256 MiB page cache keeps the caller-key index (random order) in
      // memory during bulk imports; checkpoint the WAL every 64 MiB.
      try db.execute(sql: "PRAGMA cache_size = -262144")
      try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
      try db.execute(sql: "PRAGMA temp_store = MEMORY")
    }
    let queue: DatabaseQueue
    do {
      queue = try DatabaseQueue(path: path, configuration: config)
    } catch {
      throw StoreError.cannotOpen(path: path, reason: "\(error)")
    }
    return try HotlineDatabase(queue: queue, path: path, timeZone: timeZone)
  }

  /// A private in-memory database (tests, `--dry-run`).
  public static func inMemory(timeZone: String? = nil) throws -> HotlineDatabase {
    try HotlineDatabase(queue: DatabaseQueue(), path: nil, timeZone: timeZone)
  }

  init(queue: DatabaseQueue, path: String?, timeZone: String?) throws {
    self.queue = queue
    self.path = path
    do {
      try Schema.migrator.migrate(queue)
    } catch {
      throw StoreError.cannotOpen(path: path ?? ":memory:", reason: "\(error)")
    }
    let zone: String = try queue.write { db in
      if let z = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'time_zone'") {
        return z
      }
      let z = timeZone ?? "Asia/Shanghai"
      try db.execute(
        sql: "INSERT INTO meta(key, value) VALUES ('time_zone', ?), ('created_at', ?)",
        arguments: [z, Int64(Date().timeIntervalSince1970)])
      return z
    }
    guard let clock = ZoneClock(identifier: zone) else {
      throw StoreError.invalidTimeZone(zone)
    }
    self.clock = clock
  }

  /// The zone identifier recorded in the database.
  public var timeZoneIdentifier: String { clock.timeZone.identifier }

  // MARK: - Caller secret

  /// The key file that holds this database's caller secret.
  public var keyFilePath: String? { path.map { $0 + ".key" } }

  private var memorySecret: [UInt8]?

  /// The per-database secret for caller keys (32 random bytes).
  ///
  /// For a file database it is read from `<db>.key`; if that file is missing
  /// it is created, unless the database already holds caller keys (a new
  /// secret would silently break repeat-caller linkage), in which case
  /// ``StoreError/missingKeyFile(_:)`` is thrown.
  public func callerSecret() throws -> [UInt8] {
    guard let keyPath = keyFilePath else {
      if let memorySecret { return memorySecret }
      let s = HotlineDatabase.randomSecret()
      memorySecret = s
      return s
    }
    if let text = try? String(contentsOfFile: keyPath, encoding: .utf8) {
      let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
      guard let bytes = HotlineDatabase.bytes(hex: hex), bytes.count >= 16 else {
        throw StoreError.invalidKeyFile(keyPath)
      }
      return bytes
    }
    let keyed = try queue.read { db in
      try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM ticket WHERE caller_key IS NOT NULL)")
    }
    if keyed == true { throw StoreError.missingKeyFile(keyPath) }
    let secret = HotlineDatabase.randomSecret()
    let hex = secret.map { String(format: "%02x", $0) }.joined() + "\n"
    guard FileManager.default.createFile(
      atPath: keyPath, contents: Data(hex.utf8), attributes: [.posixPermissions: 0o600])
    else { throw StoreError.cannotWriteKeyFile(keyPath) }
    return secret
  }

  static func randomSecret() -> [UInt8] {
    var g = SystemRandomNumberGenerator()
    return (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
  }

  static func bytes(hex: String) -> [UInt8]? {
    let chars = Array(hex.utf8)
    guard chars.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(chars.count / 2)
    var i = 0
    while i < chars.count {
      guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
      out.append(hi << 4 | lo)
      i += 2
    }
    return out
  }

  private static func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: c - 0x30
    case 0x61...0x66: c - 0x61 + 10
    case 0x41...0x46: c - 0x41 + 10
    default: nil
    }
  }

  // MARK: - Reads

  /// The number of tickets stored.
  public func ticketCount() throws -> Int {
    try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") ?? 0 }
  }

  /// One ticket by its exported id.
  public func ticket(id: String) throws -> Ticket? {
    try queue.read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM ticket WHERE id = ?", arguments: [id]).map(
        TicketRow.decode)
    }
  }

  /// Tickets received in `[from, to)` (epoch seconds), ordered by time.
  ///
  /// - Parameter includeRaw: also decode each ticket's audit row (`raw`);
  ///   analyses do not need it, and it is the costliest part to read.
  public func tickets(from: Int64? = nil, to: Int64? = nil, includeRaw: Bool = false) throws
    -> [Ticket]
  {
    try queue.read { db in
      guard let conn = db.sqliteConnection else { return [] }
      // A table scan in storage order, sorted here: walking the time index
      // would visit the table's pages at random, which on a database larger
      // than memory is many times slower.
      var out: [Ticket] = []
      try TicketScan.run(
        conn,
        sql: TicketScan.select(
          includeRaw: includeRaw,
          where: from == nil && to == nil ? "" : "WHERE received_at >= ? AND received_at < ?"),
        arguments: from == nil && to == nil ? [] : [from ?? Int64.min, to ?? Int64.max],
        includeRaw: includeRaw
      ) { out.append($0) }
      var sorted = true
      for i in out.indices.dropFirst()
      where (out[i - 1].receivedAt, out[i - 1].id) > (out[i].receivedAt, out[i].id) {
        sorted = false
        break
      }
      if !sorted { out.sort { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) } }
      return out
    }
  }

  /// Calls `body` for every ticket in time order without loading them all.
  /// The audit row (`raw`) is read only when `includeRaw` is true.
  public func forEachTicket(includeRaw: Bool = false, _ body: (Ticket) throws -> Void) throws {
    try queue.read { db in
      guard let conn = db.sqliteConnection else { return }
      try TicketScan.run(
        conn, sql: TicketScan.select(includeRaw: includeRaw, where: "ORDER BY received_at, id"), arguments: [],
        includeRaw: includeRaw, body)
    }
  }

  /// Every value the database file holds, as text, for privacy audits:
  /// each text column of each table, concatenated.
  public func allStoredText() throws -> String {
    try queue.read { db in
      var parts: [String] = []
      let tables = try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      for t in tables {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(t)\"")
        for r in rows {
          for (_, v) in r { parts.append(v.description) }
        }
      }
      return parts.joined(separator: "\n")
    }
  }
}

/// Errors of the store. Descriptions name the file and never contain data.
public enum StoreError: Error, CustomStringConvertible, Equatable {
  case cannotOpen(path: String, reason: String)
  case invalidTimeZone(String)
  case missingKeyFile(String)
  case invalidKeyFile(String)
  case cannotWriteKeyFile(String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
    case .invalidTimeZone(let z): "unknown time zone '\(z)'"
    case .missingKeyFile(let p):
      "the caller-key file \(p) is missing but the database already holds caller keys; restore it (a new key would break repeat-caller linkage)"
    case .invalidKeyFile(let p): "the caller-key file \(p) is not a hex secret of at least 16 bytes"
    case .cannotWriteKeyFile(let p): "cannot create the caller-key file \(p)"
    }
  }
}
