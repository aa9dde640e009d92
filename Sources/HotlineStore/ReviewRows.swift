import Foundation
internal import GRDB
import HotlineCore

extension HotlineDatabase {
  /// Calls `body` for every ticket in time order with only the fields a
  /// caller or scope review reads: id, received/closed times, caller key and
  /// mask, category, title, text, district/street/community, resolution,
  /// satisfaction and parent id (departments, coordinates and the audit row
  /// are left empty). Columns are read by position, which is several times
  /// faster than `forEachTicket` on millions of rows.
  public func forEachReviewTicket(_ body: (Ticket) throws -> Void) throws {
    try queue.read { db in
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT id, received_at, closed_at, caller_key, caller_mask, category, title, text,
                 district, street, community, resolution, satisfaction, parent_id
          FROM ticket ORDER BY received_at, id
          """)
      while let row = try cursor.next() {
        var t = Ticket(id: row[0], receivedAt: row[1])
        t.closedAt = row[2]
        t.callerKey = row[3]
        t.callerMask = row[4]
        t.category = Self.splitStoredPath(row[5] ?? "")
        t.title = row[6]
        t.text = row[7] ?? ""
        t.district = row[8]
        t.street = row[9]
        t.community = row[10]
        t.resolution = (row[11] as String?).flatMap(Resolution.init(rawValue:))
        t.satisfaction = row[12]
        t.parentId = row[13]
        try body(t)
      }
    }
  }

  /// Splits a category path as the store writes it (levels joined by `->`,
  /// already trimmed) without Foundation: `splitCategory` is the general
  /// reader for exports and costs more than the rest of a row.
  static func splitStoredPath(_ s: String) -> [String] {
    if s.isEmpty { return [] }
    var parts: [String] = []
    let u = Array(s.utf8)
    var start = 0, i = 0
    while i + 1 < u.count {
      if u[i] == 0x2D && u[i + 1] == 0x3E {
        if i > start { parts.append(String(decoding: u[start..<i], as: UTF8.self)) }
        i += 2
        start = i
      } else {
        i += 1
      }
    }
    if start < u.count { parts.append(String(decoding: u[start...], as: UTF8.self)) }
    return parts
  }
}
