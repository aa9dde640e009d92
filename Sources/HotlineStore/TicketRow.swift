import Foundation
internal import GRDB
import HotlineCore
internal import GRDBSQLite

/// The row shape of the `ticket` table, kept apart from `Ticket` so the
/// schema can change without touching the domain model.
enum TicketRow {
  /// Binds the stored fields of `t` in `Schema.ticketColumns` order
  /// (skipping `id` unless `includeID`); returns the next free index.
  static func bindFields(
    _ s: RawStatement, _ t: Ticket, hash: Int64, file: String, line: Int, run: Int64?,
    startingAt start: Int32, includeID: Bool, json: inout RawJSONWriter
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
    s.bind(next(), json.object(t.raw))
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
    for (k, v) in zip(t.raw.columns, t.raw.values) where !v.isEmpty {
      h.add(k)
      h.add(v)
    }
    return Int64(bitPattern: h.value)
  }

  static func decode(_ row: Row) -> Ticket { decode(row, includeRaw: true) }

  static func decode(_ row: Row, includeRaw: Bool) -> Ticket {
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
    if includeRaw { t.raw = JSONText.decodeRecord(row["raw"] ?? "{}") }
    return t
  }
}

/// A stable 64-bit hash (word-wise multiply–xorshift, little-endian words)
/// with a field separator so ("ab","c") ≠ ("a","bc"). Swift's `Hasher` is
/// seeded per process, so it cannot be stored.
struct StableHasher {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  @inline(__always) mutating func mix(_ w: UInt64) {
    value = (value ^ w) &* 0x9E37_79B9_7F4A_7C15
    value ^= value >> 29
  }

  mutating func add(_ s: String?) {
    guard var s else {
      mix(0xFEFE_FEFE)
      return
    }
    s.withUTF8 { buf in
      let n = buf.count
      var i = 0
      if let base = buf.baseAddress {
        let raw = UnsafeRawPointer(base)
        while i + 8 <= n {
          mix(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
          i += 8
        }
      }
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while i < n {
        tail |= UInt64(buf[i]) << shift
        shift += 8
        i += 1
      }
      mix(tail)
      mix(UInt64(n) | 0x1F00_0000_0000_0000)
    }
  }

  mutating func add(_ v: Int64?) {
    guard let v else {
      mix(0xFEFE_FEFE)
      return
    }
    mix(UInt64(bitPattern: v))
    mix(0x1F)
  }
}

/// Writes audit rows as JSON objects, caching the quoted column names of the
/// file being imported (all its tickets share one column array).
struct RawJSONWriter {
  private var columns: [String] = []
  private var quotedKeys: [[UInt8]] = []
  private var buffer: [UInt8] = []

  mutating func object(_ raw: RawRecord) -> String {
    if raw.columns != columns {
      columns = raw.columns
      quotedKeys = columns.map { k in
        var q: [UInt8] = []
        JSONText.quote(k, into: &q)
        q.append(0x3A)
        return q
      }
    }
    buffer.removeAll(keepingCapacity: true)
    buffer.append(0x7B)
    var first = true
    for (i, v) in raw.values.enumerated() where !v.isEmpty {
      if !first { buffer.append(0x2C) }
      first = false
      buffer.append(contentsOf: quotedKeys[i])
      JSONText.quote(v, into: &buffer)
    }
    buffer.append(0x7D)
    return String(decoding: buffer, as: UTF8.self)
  }
}

/// Small, fast JSON text for the list and audit-row columns.
enum JSONText {
  static func quote(_ s: String, into out: inout [UInt8]) {
    out.append(0x22)
    var s = s
    s.withUTF8 { buf in
      var start = 0
      for (i, b) in buf.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i]))
        switch b {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: out.append(contentsOf: [0x5C, 0x72])
        case 0x09: out.append(contentsOf: [0x5C, 0x74])
        default: out.append(contentsOf: Array(String(format: "\\u%04x", b).utf8))
        }
        start = i + 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<buf.count]))
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

  static func decodeArray(_ text: String) -> [String] {
    (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
  }

  /// Reads an audit row (a flat JSON object of strings, as `RawJSONWriter`
  /// writes it) back in its stored column order.
  static func decodeRecord(_ text: String) -> RawRecord {
    var columns: [String] = []
    var values: [String] = []
    let b = Array(text.utf8)
    var i = 0
    func skipSpace() { while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }
    func string() -> String? {
      guard i < b.count, b[i] == 0x22 else { return nil }
      i += 1
      var out: [UInt8] = []
      while i < b.count, b[i] != 0x22 {
        if b[i] == 0x5C, i + 1 < b.count {
          i += 1
          switch b[i] {
          case 0x6E: out.append(0x0A)
          case 0x72: out.append(0x0D)
          case 0x74: out.append(0x09)
          case 0x62: out.append(0x08)
          case 0x66: out.append(0x0C)
          case 0x75:
            guard i + 4 < b.count, let v = UInt32(String(decoding: b[(i + 1)...(i + 4)], as: UTF8.self), radix: 16)
            else { return nil }
            var scalar = v
            i += 4
            // A surrogate pair.
            if v >= 0xD800 && v < 0xDC00, i + 6 < b.count, b[i + 1] == 0x5C, b[i + 2] == 0x75,
              let lo = UInt32(String(decoding: b[(i + 3)...(i + 6)], as: UTF8.self), radix: 16)
            {
              scalar = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
              i += 6
            }
            out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
          default: out.append(b[i])
          }
          i += 1
        } else {
          out.append(b[i])
          i += 1
        }
      }
      i += 1
      return String(decoding: out, as: UTF8.self)
    }
    skipSpace()
    guard i < b.count, b[i] == 0x7B else { return RawRecord() }
    i += 1
    while true {
      skipSpace()
      guard let key = string() else { break }
      skipSpace()
      guard i < b.count, b[i] == 0x3A else { break }
      i += 1
      skipSpace()
      guard let value = string() else { break }
      columns.append(key)
      values.append(value)
      skipSpace()
      guard i < b.count, b[i] == 0x2C else { break }
      i += 1
    }
    return RawRecord(columns: columns, values: values)
  }
}

// MARK: - Bulk reading

/// Reads tickets through the C API with an explicit column list (the audit
/// row only when asked): about 10× faster than decoding GRDB rows by name,
/// which matters when an analysis loads millions of tickets.
enum TicketScan {
  static let columns = [
    "id", "received_at", "dispatched_at", "deadline_at", "closed_at", "caller_key", "caller_mask",
    "contact_key", "channel", "kind", "category", "title", "text", "district", "street", "community",
    "address", "lon", "lat", "crs", "departments", "transfer_count", "status", "resolution",
    "satisfaction", "parent_id", "raw",
  ]

  static func select(includeRaw: Bool, where clause: String) -> String {
    let cols = includeRaw ? columns : Array(columns.dropLast())
    return "SELECT \(cols.joined(separator: ",")) FROM ticket \(clause)"
  }

  /// Runs `sql` (from `select`) with Int64 arguments and calls `body` per ticket.
  static func run(
    _ conn: OpaquePointer, sql: String, arguments: [Int64], includeRaw: Bool,
    _ body: (Ticket) throws -> Void
  ) throws {
    // A scan reads every page once: a small page cache is enough, and the
    // large one the importer uses would only add to the process's memory.
    sqlite3_exec(conn, "PRAGMA cache_size = -8192", nil, nil, nil)
    defer {
      sqlite3_exec(conn, "PRAGMA cache_size = -262144", nil, nil, nil)
    }
    let s = try RawStatement(conn, sql)
    for (i, a) in arguments.enumerated() { sqlite3_bind_int64(s.stmt, Int32(i + 1), a) }
    let stmt = s.stmt
    func text(_ i: Int32) -> String? {
      guard sqlite3_column_type(stmt, i) != SQLITE_NULL, let p = sqlite3_column_text(stmt, i) else {
        return nil
      }
      let n = Int(sqlite3_column_bytes(stmt, i))
      return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
    func int(_ i: Int32) -> Int64? {
      sqlite3_column_type(stmt, i) == SQLITE_NULL ? nil : sqlite3_column_int64(stmt, i)
    }
    func double(_ i: Int32) -> Double? {
      sqlite3_column_type(stmt, i) == SQLITE_NULL ? nil : sqlite3_column_double(stmt, i)
    }
    // Values that repeat across tickets (places, channels, categories,
    // departments, grades) share one string instance: millions of tickets
    // then hold one copy of each distinct value, not one per ticket.
    var pool: [String: String] = [:]
    var categories: [String: [String]] = [:]
    var departmentLists: [String: [String]] = [:]
    func intern(_ s: String) -> String {
      if s.utf8.count <= 15 { return s }  // small strings live inline anyway
      if let known = pool[s] { return known }
      if pool.count < 200_000 { pool[s] = s }
      return s
    }
    func shared(_ i: Int32) -> String? { text(i).map(intern) }
    while true {
      let rc = sqlite3_step(stmt)
      if rc == SQLITE_DONE { break }
      guard rc == SQLITE_ROW else {
        throw DatabaseError(
          resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(s.conn)))
      }
      var t = Ticket(id: text(0) ?? "", receivedAt: int(1) ?? 0)
      t.dispatchedAt = int(2)
      t.deadlineAt = int(3)
      t.closedAt = int(4)
      t.callerKey = text(5)
      t.callerMask = text(6)
      t.contactKey = text(7)
      t.channel = shared(8)
      t.kind = text(9).flatMap(TicketKind.init(rawValue:))
      if let c = text(10), !c.isEmpty {
        if let known = categories[c] {
          t.category = known
        } else {
          let split = Ticket.splitCategory(c).map(intern)
          if categories.count < 100_000 { categories[c] = split }
          t.category = split
        }
      }
      t.title = text(11)
      t.text = text(12) ?? ""
      t.district = shared(13)
      t.street = shared(14)
      t.community = shared(15)
      t.address = text(16)
      if let lon = double(17), let lat = double(18) { t.location = Coordinate(lon: lon, lat: lat) }
      t.sourceCRS = text(19).flatMap(CoordinateSystem.init(rawValue:))
      if let d = text(20), d != "[]" {
        if let known = departmentLists[d] {
          t.departments = known
        } else {
          let list = JSONText.decodeArray(d).map(intern)
          if departmentLists.count < 100_000 { departmentLists[d] = list }
          t.departments = list
        }
      }
      t.transferCount = int(21).map(Int.init)
      t.status = shared(22)
      t.resolution = text(23).flatMap(Resolution.init(rawValue:))
      t.satisfaction = shared(24)
      t.parentId = text(25)
      if includeRaw { t.raw = JSONText.decodeRecord(text(26) ?? "{}") }
      try body(t)
    }
  }
}
