import Foundation
internal import GRDB
public import HotlineCore

extension HotlineDatabase {
  // MARK: - Import runs

  /// Records the start of an import and returns its id.
  public func beginImportRun(file: String, fileSize: Int?, format: String, encoding: String) throws
    -> Int64
  {
    try queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO import_run(file, file_size, format, encoding, started_at)
          VALUES (?, ?, ?, ?, ?)
          """,
        arguments: [file, fileSize, format, encoding, Int64(Date().timeIntervalSince1970)])
      return db.lastInsertedRowID
    }
  }

  /// Records the outcome of an import.
  public func finishImportRun(
    _ id: Int64, read: Int, counts: UpsertCounts, rejected: Int, status: String = "done"
  ) throws {
    try queue.write { db in
      try db.execute(
        sql: """
          UPDATE import_run SET finished_at = ?, read = ?, imported = ?, updated = ?,
            unchanged = ?, rejected = ?, status = ? WHERE id = ?
          """,
        arguments: [
          Int64(Date().timeIntervalSince1970), read, counts.imported, counts.updated,
          counts.unchanged, rejected, status, id,
        ])
    }
  }

  /// Every import recorded, oldest first.
  public func importRuns() throws -> [ImportRunInfo] {
    try queue.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM import_run ORDER BY id").map { r in
        ImportRunInfo(
          id: r["id"], file: r["file"], format: r["format"], encoding: r["encoding"],
          startedAt: clock.iso8601(r["started_at"]),
          finishedAt: (r["finished_at"] as Int64?).map(clock.iso8601), read: r["read"],
          imported: r["imported"], updated: r["updated"], unchanged: r["unchanged"],
          rejected: r["rejected"], status: r["status"])
      }
    }
  }

  // MARK: - Summary

  /// Tickets per local month ("yyyy-MM") and the last ticket's time, read
  /// through the received_at index only (no table scan).
  public func receivedMonths() throws -> (byMonth: [String: Int], last: Int64?) {
    let clock = self.clock
    return try queue.read { db in
      (try Self.months(db, clock), try Int64.fetchOne(db, sql: "SELECT MAX(received_at) FROM ticket"))
    }
  }

  /// Months in the local zone: bucket by hour first (few rows), then by
  /// month in Swift, so zones with daylight saving or odd offsets are exact.
  static func months(_ db: Database, _ clock: ZoneClock) throws -> [String: Int] {
    var months: [String: Int] = [:]
    let hours = try Row.fetchAll(
      db, sql: "SELECT received_at / 3600 AS h, COUNT(*) AS n FROM ticket GROUP BY h")
    for r in hours {
      let hour: Int64 = r["h"]
      let c = clock.civil(hour * 3600)
      months[String(format: "%04d-%02d", c.year, c.month), default: 0] += r["n"] as Int
    }
    return months
  }

  /// Counts by month (in the database's zone), district, level-1 category,
  /// channel and kind. `top` limits each breakdown but the months.
  public func summary(top: Int = 20) throws -> DatabaseSummary {
    let clock = self.clock
    let imports = try importRuns()
    return try queue.read { db in
      let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") ?? 0
      let callers =
        try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT caller_key) FROM ticket") ?? 0
      let first = try Int64.fetchOne(db, sql: "SELECT MIN(received_at) FROM ticket")
      let last = try Int64.fetchOne(db, sql: "SELECT MAX(received_at) FROM ticket")
      let withLocation =
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket WHERE lon IS NOT NULL") ?? 0
      let withCategory =
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket WHERE category <> ''") ?? 0
      let closed =
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket WHERE closed_at IS NOT NULL") ?? 0
      let months = try Self.months(db, clock)
      func breakdown(_ column: String) throws -> [LabelCount] {
        try Row.fetchAll(
          db,
          sql: """
            SELECT COALESCE(NULLIF(\(column), ''), '(空)') AS k, COUNT(*) AS n FROM ticket
            GROUP BY k ORDER BY n DESC, k LIMIT ?
            """, arguments: [top]
        ).map { LabelCount(key: $0["k"], count: $0["n"]) }
      }
      // Districts: the spellings of one district (凤营区, 凤营) counted as one,
      // under its most frequent spelling (`AreaSpellings`).
      func districts() throws -> [LabelCount] {
        var spellings = AreaSpellings()
        var keys: [String] = [], seen = Set<String>()
        var blank = 0
        for row in try Row.fetchAll(db, sql: "SELECT TRIM(COALESCE(district, '')) AS k, COUNT(*) AS n FROM ticket GROUP BY k") {
          let name: String = row["k"], n: Int = row["n"]
          if name.isEmpty { blank += n; continue }
          let k = spellings.add([name], count: n)
          if seen.insert(k).inserted { keys.append(k) }
        }
        var out = keys.map { LabelCount(key: spellings.name($0) ?? $0, count: spellings.count($0)) }
        if blank > 0 { out.append(LabelCount(key: "(空)", count: blank)) }
        return Array(out.sorted { ($0.count, $1.key) > ($1.count, $0.key) }.prefix(top))
      }
      return DatabaseSummary(
        tickets: total, callers: callers, firstReceived: first.map(clock.iso8601),
        lastReceived: last.map(clock.iso8601), timeZone: clock.timeZone.identifier,
        withLocation: withLocation, withCategory: withCategory, closed: closed,
        byMonth: months.keys.sorted().map { LabelCount(key: $0, count: months[$0]!) },
        byDistrict: try districts(), byCategory: try breakdown("category_l1"),
        byChannel: try breakdown("channel"), byKind: try breakdown("kind"),
        imports: imports)
    }
  }
}

extension HotlineDatabase {
  /// The number of tickets of every caller key (callers without a key are
  /// left out), in no particular order.
  public func ticketsPerCaller() throws -> [Int] {
    try queue.read { db in
      try Int.fetchAll(
        db, sql: "SELECT COUNT(*) FROM ticket WHERE caller_key IS NOT NULL GROUP BY caller_key")
    }
  }
}
