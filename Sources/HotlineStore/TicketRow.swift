import Foundation
internal import GRDB
import HotlineCore

/// The row shape of the `ticket` table, kept apart from `Ticket` so the
/// schema can change without touching the domain model.
enum TicketRow {
  /// Binds the stored fields of `t` in `Schema.ticketColumns` order
  /// (skipping `id` unless `includeID`); returns the next free index.
  static func bindFields(
    _ s: RawStatement, _ t: Ticket, hash: Int64, file: String, line: Int, run: Int64?,
    startingAt start: Int32, includeID: Bool
  ) -> Int32 {
    var i = start
    func next() -> Int32 {
      defer { i += 1 }
      return i
    }
    if includeID { s.bind(next(), t.id) }
    s.bind(next(), t.receivedAt)
    s.bind(next(), t.dispatchedAt)
    s.bind(next(), t.deadlineAt)
    s.bind(next(), t.closedAt)
    s.bind(next(), t.callerKey)
    s.bind(next(), t.callerMask)
    s.bind(next(), t.contactKey)
    s.bind(next(), t.channel)
    s.bind(next(), t.kind?.rawValue)
    s.bind(next(), t.categoryPath)
    s.bind(next(), t.category.first)
    s.bind(next(), t.category.count > 1 ? t.category[1] : nil)
    s.bind(next(), t.title)
    s.bind(next(), t.text)
    s.bind(next(), t.district)
    s.bind(next(), t.street)
    s.bind(next(), t.community)
    s.bind(next(), t.address)
    s.bind(next(), t.location?.lon)
    s.bind(next(), t.location?.lat)
    s.bind(next(), t.sourceCRS?.rawValue)
    s.bind(next(), JSONText.array(t.departments))
    s.bind(next(), t.transferCount)
    s.bind(next(), t.status)
    s.bind(next(), t.resolution?.rawValue)
    s.bind(next(), t.satisfaction)
    s.bind(next(), t.parentId)
    s.bind(next(), JSONText.object(t.raw))
    s.bind(next(), hash)
    s.bind(next(), file)
    s.bind(next(), line)
    s.bind(next(), run)
    return i
  }

  /// A stable 64-bit FNV-1a hash of every stored field of a ticket
  /// (Swift's `Hasher` is seeded per process, so it cannot be stored).
  static func hash(_ t: Ticket) -> Int64 {
    var h = StableHasher()
    h.add(t.id)
    h.add(t.receivedAt)
    h.add(t.dispatchedAt)
    h.add(t.deadlineAt)
    h.add(t.closedAt)
    h.add(t.callerKey)
    h.add(t.callerMask)
    h.add(t.contactKey)
    h.add(t.channel)
    h.add(t.kind?.rawValue)
    h.add(t.categoryPath)
    h.add(t.title)
    h.add(t.text)
    h.add(t.district)
    h.add(t.street)
    h.add(t.community)
    h.add(t.address)
    h.add(t.location.map { Int64(($0.lon * 1e7).rounded()) })
    h.add(t.location.map { Int64(($0.lat * 1e7).rounded()) })
    h.add(t.sourceCRS?.rawValue)
    for d in t.departments { h.add(d) }
    h.add(Int64(t.departments.count))
    h.add(t.transferCount.map(Int64.init))
    h.add(t.status)
    h.add(t.resolution?.rawValue)
    h.add(t.satisfaction)
    h.add(t.parentId)
    // The audit row is hashed independently of dictionary order: the sum of
    // one hash per (column, value) pair.
    var rawSum: UInt64 = 0
    for (k, v) in t.raw {
      var p = StableHasher()
      p.add(k)
      p.add(v)
      rawSum = rawSum &+ p.value
    }
    h.add(Int64(bitPattern: rawSum))
    return Int64(bitPattern: h.value)
  }

  static func decode(_ row: Row) -> Ticket {
    var t = Ticket(id: row["id"], receivedAt: row["received_at"])
    t.dispatchedAt = row["dispatched_at"]
    t.deadlineAt = row["deadline_at"]
    t.closedAt = row["closed_at"]
    t.callerKey = row["caller_key"]
    t.callerMask = row["caller_mask"]
    t.contactKey = row["contact_key"]
    t.channel = row["channel"]
    t.kind = (row["kind"] as String?).flatMap(TicketKind.init(rawValue:))
    t.category = Ticket.splitCategory(row["category"] ?? "")
    t.title = row["title"]
    t.text = row["text"]
    t.district = row["district"]
    t.street = row["street"]
    t.community = row["community"]
    t.address = row["address"]
    if let lon = row["lon"] as Double?, let lat = row["lat"] as Double? {
      t.location = Coordinate(lon: lon, lat: lat)
    }
    t.sourceCRS = (row["crs"] as String?).flatMap(CoordinateSystem.init(rawValue:))
    t.departments = JSONText.decodeArray(row["departments"] ?? "[]")
    t.transferCount = row["transfer_count"]
    t.status = row["status"]
    t.resolution = (row["resolution"] as String?).flatMap(Resolution.init(rawValue:))
    t.satisfaction = row["satisfaction"]
    t.parentId = row["parent_id"]
    t.raw = JSONText.decodeObject(row["raw"] ?? "{}")
    return t
  }
}

/// FNV-1a, 64-bit, with a field separator so ("ab","c") ≠ ("a","bc").
struct StableHasher {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  mutating func byte(_ b: UInt8) {
    value ^= UInt64(b)
    value = value &* 0x0000_0100_0000_01B3
  }

  mutating func add(_ s: String?) {
    guard var s else {
      byte(0xFE)
      return
    }
    s.withUTF8 { for b in $0 { byte(b) } }
    byte(0x1F)
  }

  mutating func add(_ v: Int64?) {
    guard let v else {
      byte(0xFE)
      return
    }
    var x = UInt64(bitPattern: v)
    for _ in 0..<8 {
      byte(UInt8(x & 0xFF))
      x >>= 8
    }
    byte(0x1F)
  }
}

/// Small, fast JSON text for the list and audit-row columns.
enum JSONText {
  static func quote(_ s: String, into out: inout [UInt8]) {
    out.append(0x22)
    var s = s
    s.withUTF8 { buf in
      for b in buf {
        switch b {
        case 0x22: out.append(0x5C); out.append(0x22)
        case 0x5C: out.append(0x5C); out.append(0x5C)
        case 0x0A: out.append(0x5C); out.append(0x6E)
        case 0x0D: out.append(0x5C); out.append(0x72)
        case 0x09: out.append(0x5C); out.append(0x74)
        case 0..<0x20:
          out.append(contentsOf: Array(String(format: "\\u%04x", b).utf8))
        default: out.append(b)
        }
      }
    }
    out.append(0x22)
  }

  static func array(_ items: [String]) -> String {
    var out: [UInt8] = [0x5B]
    for (i, s) in items.enumerated() {
      if i > 0 { out.append(0x2C) }
      quote(s, into: &out)
    }
    out.append(0x5D)
    return String(decoding: out, as: UTF8.self)
  }

  /// Keys in dictionary order (the content, not the order, is what counts:
  /// `row_hash` is order-independent).
  static func object(_ dict: [String: String]) -> String {
    var out: [UInt8] = [0x7B]
    out.reserveCapacity(512)
    var first = true
    for (k, v) in dict {
      if !first { out.append(0x2C) }
      first = false
      quote(k, into: &out)
      out.append(0x3A)
      quote(v, into: &out)
    }
    out.append(0x7D)
    return String(decoding: out, as: UTF8.self)
  }

  static func decodeArray(_ text: String) -> [String] {
    (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
  }

  static func decodeObject(_ text: String) -> [String: String] {
    (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
  }
}
