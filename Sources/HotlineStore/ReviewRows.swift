import Foundation
internal import GRDB
import HotlineCore

extension HotlineDatabase {
  /// Calls `body` for every ticket in time order, without the audit row
  /// (the fields a caller or scope review reads; read through the C API by
  /// position, like every bulk read).
  public func forEachReviewTicket(_ body: (Ticket) throws -> Void) throws {
    try forEachTicket(includeRaw: false, body)
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
