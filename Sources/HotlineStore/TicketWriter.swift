import Foundation
internal import GRDB
internal import GRDBSQLite
public import HotlineCore

/// How a batch of tickets landed.
public struct UpsertCounts: Sendable, Codable, Equatable {
  /// New ticket ids.
  public var imported = 0
  /// Known ids whose fields changed (the later export wins).
  public var updated = 0
  /// Known ids seen again with identical fields.
  public var unchanged = 0
  public init(imported: Int = 0, updated: Int = 0, unchanged: Int = 0) {
    self.imported = imported
    self.updated = updated
    self.unchanged = unchanged
  }
  public static func += (a: inout UpsertCounts, b: UpsertCounts) {
    a.imported += b.imported
    a.updated += b.updated
    a.unchanged += b.unchanged
  }
}

/// A ticket with where it came from.
public struct SourcedTicket: Sendable {
  public var ticket: Ticket
  public var file: String
  public var line: Int
  public init(ticket: Ticket, file: String, line: Int) {
    self.ticket = ticket
    self.file = file
    self.line = line
  }
}

extension HotlineDatabase {
  /// Inserts or updates a batch of tickets in ONE transaction.
  ///
  /// A ticket id not yet stored is inserted; an id seen again with identical
  /// fields is left alone (`unchanged`); with changed fields it is
  /// overwritten (`updated`). If the process dies mid-batch the transaction
  /// rolls back, so the database holds whole batches only; re-running the same
  /// import completes it without duplicates.
  ///
  /// - Complexity: O(n log N) for n tickets into a database of N.
  @discardableResult
  public func upsert(_ batch: [SourcedTicket], importRun: Int64? = nil) throws -> UpsertCounts {
    var counts = UpsertCounts()
    let now = Int64(Date().timeIntervalSince1970)
    try queue.writeWithoutTransaction { db in
      try db.inTransaction(.immediate) {
        guard let conn = db.sqliteConnection else { return .rollback }
        let cols = Schema.ticketColumns
        let insertSQL =
          "INSERT INTO ticket(\(cols.joined(separator: ",")),imported_at) VALUES ("
          + Array(repeating: "?", count: cols.count + 1).joined(separator: ",") + ")"
        let updateSQL =
          "UPDATE ticket SET "
          + cols.dropFirst().map { "\($0)=?" }.joined(separator: ",")
          + ",updated_at=? WHERE id=?"
        let insert = try RawStatement(conn, insertSQL + " ON CONFLICT(id) DO NOTHING")
        let lookup = try RawStatement(conn, "SELECT row_hash FROM ticket WHERE id = ?")
        let update = try RawStatement(conn, updateSQL)
        var json = RawJSONWriter()
        for item in batch {
          let t = item.ticket
          let hash = TicketRow.hash(t)
          // Insert first: new ids (the common case) need no lookup.
          insert.reset()
          let n = TicketRow.bindFields(
            insert, t, hash: hash, file: item.file, line: item.line, run: importRun, startingAt: 1,
            includeID: true, json: &json)
          insert.bind(n, now)
          try insert.stepDone()
          if sqlite3_changes(conn) > 0 {
            counts.imported += 1
            continue
          }
          lookup.reset()
          lookup.bind(1, t.id)
          guard try lookup.step() else { continue }
          if lookup.int64(0) == hash {
            counts.unchanged += 1
            continue
          }
          update.reset()
          let m = TicketRow.bindFields(
            update, t, hash: hash, file: item.file, line: item.line, run: importRun, startingAt: 1,
            includeID: false, json: &json)
          update.bind(m, now)
          update.bind(m + 1, t.id)
          try update.stepDone()
          counts.updated += 1
        }
        return .commit
      }
    }
    return counts
  }
}

// MARK: - Raw statements (the bulk path bypasses GRDB's argument boxing)

/// A prepared SQLite statement driven through the C API.
final class RawStatement {
  let stmt: OpaquePointer
  let conn: OpaquePointer

  init(_ conn: OpaquePointer, _ sql: String) throws {
    self.conn = conn
    var s: OpaquePointer?
    let rc = sqlite3_prepare_v2(conn, sql, -1, &s, nil)
    guard rc == SQLITE_OK, let s else {
      throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(conn)))
    }
    stmt = s
  }

  deinit { sqlite3_finalize(stmt) }

  func reset() {
    sqlite3_reset(stmt)
    sqlite3_clear_bindings(stmt)
  }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
  private static let empty: StaticString = ""

  func bind(_ i: Int32, _ s: String?) {
    guard var s else {
      sqlite3_bind_null(stmt, i)
      return
    }
    s.withUTF8 { buf in
      if buf.count == 0 {
        sqlite3_bind_text(stmt, i, "", 0, RawStatement.transient)
      } else {
        buf.withMemoryRebound(to: CChar.self) { p in
          _ = sqlite3_bind_text(stmt, i, p.baseAddress, Int32(buf.count), RawStatement.transient)
        }
      }
    }
  }

  func bind(_ i: Int32, _ v: Int64?) {
    if let v { sqlite3_bind_int64(stmt, i, v) } else { sqlite3_bind_null(stmt, i) }
  }

  func bind(_ i: Int32, _ v: Int?) { bind(i, v.map(Int64.init)) }

  func bind(_ i: Int32, _ v: Double?) {
    if let v { sqlite3_bind_double(stmt, i, v) } else { sqlite3_bind_null(stmt, i) }
  }

  /// Steps once; true when a row is available.
  func step() throws -> Bool {
    let rc = sqlite3_step(stmt)
    if rc == SQLITE_ROW { return true }
    if rc == SQLITE_DONE { return false }
    throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(conn)))
  }

  func stepDone() throws {
    let rc = sqlite3_step(stmt)
    guard rc == SQLITE_DONE else {
      throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(conn)))
    }
  }

  func int64(_ col: Int32) -> Int64 { sqlite3_column_int64(stmt, col) }
}
