import Foundation
import HotlineCore
import HotlineText

/// Which built-in header table applies.
enum Profile: Sendable {
  case generic, nyc311, open311
}

/// The resolved column plan: which source columns feed which canonical field.
struct ColumnPlan: Sendable {
  var file: String
  var columns: [String]
  var fields: [CanonicalField: [Int]]
  var profile: Profile
  var clock: ZoneClock
  var textSeparator: String
  var defaultCRS: CoordinateSystem?
  /// Columns whose raw value is a phone number (mapped phone fields and headers
  /// that say 电话/手机/phone): `raw` and rejection records hold the mask.
  var phoneColumns: Set<Int>
  var timeColumns: Set<Int>

  func cols(_ f: CanonicalField) -> [Int] { fields[f] ?? [] }

  /// `(field, column)` pairs for `--dry-run`, then `("(unmapped)", column)`.
  var resolved: [(field: String, column: String)] {
    var out: [(field: String, column: String)] = []
    var used = Set<Int>()
    for f in CanonicalField.allCases {
      guard let cs = fields[f], !cs.isEmpty else { continue }
      out.append((f.rawValue, cs.map { $0 < columns.count ? columns[$0] : "?" }.joined(separator: " + ")))
      used.formUnion(cs)
    }
    for (i, c) in columns.enumerated() where !used.contains(i) { out.append(("(unmapped)", c)) }
    return out
  }

  static func build(
    header: [String], profile: Profile, mapping: MappingFile?, clock: ZoneClock, file: String
  ) throws -> ColumnPlan {
    let norm = header.map(HeaderName.normalize)
    var fields: [CanonicalField: [Int]] = [:]
    var taken = Set<Int>()
    var ignored = Set<String>()
    if let mapping {
      ignored = Set(mapping.ignore.map(HeaderName.normalize))
      for f in CanonicalField.allCases {
        guard let names = mapping.fields[f] else { continue }
        var idx: [Int] = []
        for name in names {
          let exact = header.firstIndex(of: name)
          guard let i = exact ?? norm.firstIndex(of: HeaderName.normalize(name)) else {
            throw ImportError(file: file, .mappedColumnMissing(field: f, column: name, columns: header))
          }
          idx.append(i)
          taken.insert(i)
        }
        fields[f] = idx
      }
    }
    if mapping?.useSynonyms ?? true {
      switch profile {
      case .nyc311, .open311:
        let table = profile == .nyc311 ? Synonyms.nyc : Synonyms.open311
        for (f, names) in table where fields[f] == nil {
          let idx = names.compactMap { n in norm.indices.first { norm[$0] == n && !ignored.contains(n) } }
          if !idx.isEmpty { fields[f] = idx }
        }
      case .generic:
        var best: [CanonicalField: (rank: Int, col: Int)] = [:]
        var rankOf: [String: (CanonicalField, Int)] = [:]
        for (f, names) in Synonyms.generic {
          for (r, n) in names.enumerated() where rankOf[n] == nil { rankOf[n] = (f, r) }
        }
        for (i, n) in norm.enumerated() where !taken.contains(i) && !ignored.contains(n) {
          guard let (f, r) = rankOf[n], fields[f] == nil else { continue }
          if let b = best[f], b.rank <= r { continue }
          best[f] = (r, i)
        }
        for (f, b) in best { fields[f] = [b.col] }
        // 联系电话 is the caller's number when no caller column exists.
        if fields[.callerPhone] == nil, mapping?.fields[.contactPhone] == nil,
          let c = fields[.contactPhone]
        {
          fields[.callerPhone] = c
          fields[.contactPhone] = nil
        }
      }
    }
    guard fields[.id] != nil else {
      throw ImportError(file: file, .noIdColumn(columns: header))
    }
    guard fields[.receivedAt] != nil else {
      throw ImportError(file: file, .noReceivedColumn(columns: header))
    }
    var phone = Set<Int>()
    for f in [CanonicalField.callerPhone, .contactPhone] { phone.formUnion(fields[f] ?? []) }
    for (i, n) in norm.enumerated()
    where n.contains("电话") || n.contains("手机") || n.contains("phone") || n.contains("mobile")
      || n.hasSuffix("号码")
    {
      phone.insert(i)
    }
    var time = Set<Int>()
    for f in CanonicalField.allCases where f.isTime { time.formUnion(fields[f] ?? []) }
    var crs = mapping?.crs
    if crs == nil && profile != .generic { crs = .wgs84 }
    return ColumnPlan(
      file: file, columns: header, fields: fields, profile: profile, clock: clock,
      textSeparator: mapping?.textSeparator ?? (profile == .nyc311 ? ": " : "\n"),
      defaultCRS: crs, phoneColumns: phone, timeColumns: time)
  }
}

/// Per-thread memo of costly per-value work: caller keys (HMAC) and the
/// Foundation-based normalisers of low-cardinality columns (kind, resolution,
/// category paths, department lists, coordinate systems).
final class KeyCache: @unchecked Sendable {
  var map: [String: (key: String, mask: String)] = [:]
  var kinds: [String: TicketKind?] = [:]
  var resolutions: [String: Resolution?] = [:]
  var categories: [String: [String]] = [:]
  var departments: [String: [String]] = [:]
  var systems: [String: CoordinateSystem?] = [:]
  let keyer: CallerKeyer
  init(keyer: CallerKeyer) { self.keyer = keyer }

  func lookup(_ normalized: String) -> (key: String, mask: String) {
    if let hit = map[normalized] { return hit }
    if map.count > 262_144 { map.removeAll(keepingCapacity: true) }
    let v = (keyer.key(normalized), RowMapper.phoneDisplayMask(normalized))
    map[normalized] = v
    return v
  }

  @inline(__always) func memo<V>(_ dict: inout [String: V], _ key: String, _ make: (String) -> V) -> V {
    if let v = dict[key] { return v }
    if dict.count > 16_384 { dict.removeAll(keepingCapacity: true) }
    let v = make(key)
    dict[key] = v
    return v
  }

  func kind(_ s: String) -> TicketKind? { memo(&kinds, s) { TicketKind(normalizing: $0) } }
  func resolution(_ s: String) -> Resolution? { memo(&resolutions, s) { Resolution(normalizing: $0) } }
  func category(_ s: String) -> [String] { memo(&categories, s) { Ticket.splitCategory($0) } }
  func departments(_ s: String) -> [String] { memo(&departments, s) { RowMapper.splitDepartments($0) } }
  func system(_ s: String) -> CoordinateSystem? { memo(&systems, s) { CoordinateSystem(normalizing: $0) } }
}

/// Turns batch records into tickets or rejections.
struct RowMapper {
  let plan: ColumnPlan

  struct Output {
    var outcomes: [RowOutcome] = []
    var warnings: [ImportWarning: Int] = [:]
  }

  func convert(_ batch: RecordBatch, _ range: Range<Int>, cache: KeyCache) -> Output {
    var out = Output()
    out.outcomes.reserveCapacity(range.count)
    batch.bytes.withUnsafeBufferPointer { p in
      for r in range {
        out.outcomes.append(convert(batch.records[r], batch, p, cache, &out.warnings))
      }
    }
    return out
  }

  // MARK: - Byte helpers

  @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
  }

  /// A conservative pre-check: `false` guarantees `PII.mask` would return the
  /// text unchanged (fewer than 7 digits in any digit run, no full-width
  /// characters, no non-ASCII character followed by an ASCII capital).
  @inline(__always) static func mayContainPII(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
    var run = 0
    var prevHigh = false
    var i = s
    while i < e {
      let b = p[i]
      if b &- 0x30 < 10 {
        run += 1
        if run >= 7 { return true }
        prevHigh = false
      } else if b < 0x80 {
        if prevHigh && b &- 0x41 < 26 { return true }
        if b != 0x20 && b != 0x2D && b != 0x2B { run = 0 }
        prevHigh = false
      } else {
        if b == 0xEF { return true }
        if b >= 0xC0 && b != 0xE2 && b != 0xE3 { run = 0 }
        prevHigh = true
      }
      i += 1
    }
    return false
  }

  @inline(__always) static func mask(_ s: String, _ p: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int) -> String {
    mayContainPII(p, a, b) ? PII.mask(s) : s
  }

  static func phoneMask(_ value: String) -> String {
    guard let n = normalizePhone(value) else { return PII.mask(value) }
    return phoneDisplayMask(n)
  }

  /// `PhoneNumber.normalize` with a fast path for plain ASCII digit strings
  /// (same result, no Foundation calls).
  static func normalizePhone(_ value: String) -> String? {
    let u = value.utf8
    if u.count >= 1, u.allSatisfy({ $0 &- 0x30 < 10 }) {
      if u.count == 1 && u.first == 0x30 { return nil }
      let a = Array(u.prefix(4))
      if u.count == 13 && a[0] == 0x38 && a[1] == 0x36 { return PhoneNumber.normalize(value) }
      if u.count == 15 && a == [0x30, 0x30, 0x38, 0x36] { return PhoneNumber.normalize(value) }
      return value
    }
    return PhoneNumber.normalize(value)
  }

  /// `PhoneNumber.mask(normalized:)` with a fast path for ASCII digit strings.
  static func phoneDisplayMask(_ n: String) -> String {
    let u = n.utf8
    if u.count >= 7, u.allSatisfy({ $0 &- 0x30 < 10 }) {
      return String(decoding: u.prefix(3), as: UTF8.self) + "****" + String(decoding: u.suffix(4), as: UTF8.self)
    }
    return PhoneNumber.mask(normalized: n)
  }

  // MARK: - One record

  private func convert(
    _ rec: RecordBatch.Record, _ batch: RecordBatch, _ p: UnsafeBufferPointer<UInt8>, _ cache: KeyCache,
    _ warnings: inout [ImportWarning: Int]
  ) -> RowOutcome {
    let n = rec.fieldCount
    // Field byte ranges (trimmed) and strings.
    var starts = [Int](repeating: 0, count: n)
    var ends = [Int](repeating: 0, count: n)
    for k in 0..<n {
      var s = batch.fieldStarts[rec.firstField + k]
      var e = batch.fieldEnds[rec.firstField + k]
      while s < e, RowMapper.isSpace(p[s]) { s += 1 }
      while e > s, RowMapper.isSpace(p[e - 1]) { e -= 1 }
      starts[k] = s
      ends[k] = e
    }
    @inline(__always) func str(_ k: Int) -> String {
      k < n ? String(decoding: UnsafeBufferPointer(rebasing: p[starts[k]..<ends[k]]), as: UTF8.self) : ""
    }
    @inline(__always) func isEmpty(_ k: Int) -> Bool { k >= n || starts[k] == ends[k] }
    @inline(__always) func bytes(_ k: Int) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(rebasing: p[starts[k]..<ends[k]])
    }
    func maskedRecord() -> [String] {
      (0..<n).map { k in
        let s = str(k)
        if plan.phoneColumns.contains(k), !s.isEmpty {
          return RowMapper.phoneMask(s)
        }
        return RowMapper.mask(s, p, starts[k], ends[k])
      }
    }
    func reject(_ column: String?, _ reason: RejectionReason) -> RowOutcome {
      .rejected(RowRejection(file: plan.file, line: rec.line, column: column, problem: reason, record: maskedRecord()))
    }
    if let problem = rec.problem {
      // A whole-line rejection from the scanner holds one field: the raw line.
      if n == 1 && rec.fieldCount != plan.columns.count {
        let line = str(0)
        return .rejected(
          RowRejection(
            file: plan.file, line: rec.line, column: rec.problemColumn, problem: problem,
            record: [RowMapper.mask(line, p, starts[0], ends[0])]))
      }
      return reject(rec.problemColumn, problem)
    }
    let colName: (Int) -> String = { $0 < plan.columns.count ? plan.columns[$0] : "#\($0 + 1)" }

    // id
    var id = ""
    for c in plan.cols(.id) where !isEmpty(c) {
      id = str(c)
      break
    }
    if id.isEmpty { return reject(colName(plan.cols(.id)[0]), .missingId) }

    // times
    var parsedTime = Set<Int>()
    func time(_ f: CanonicalField) -> (Int64?, bad: Int?) {
      var bad: Int? = nil
      for c in plan.cols(f) where !isEmpty(c) {
        if let t = DateParsing.parse(bytes(c), clock: plan.clock) {
          parsedTime.insert(c)
          return (t, nil)
        }
        bad = bad ?? c
      }
      return (nil, bad)
    }
    let (received, badReceived) = time(.receivedAt)
    guard let received else {
      if let c = badReceived {
        let v = RowMapper.mask(str(c), p, starts[c], ends[c])
        return reject(colName(c), .unreadableDate(value: v, field: .receivedAt))
      }
      return reject(colName(plan.cols(.receivedAt)[0]), .missingReceivedTime)
    }
    func optionalTime(_ f: CanonicalField) -> Int64? {
      let (t, bad) = time(f)
      if let bad { warnings[ImportWarning(column: colName(bad), reason: .unreadableDate), default: 0] += 1 }
      return t
    }
    var ticket = Ticket(id: id, receivedAt: received)
    ticket.dispatchedAt = optionalTime(.dispatchedAt)
    ticket.deadlineAt = optionalTime(.deadlineAt)
    ticket.closedAt = optionalTime(.closedAt)

    // Raw values (masked) — computed once and shared with the ticket fields.
    var maskedValue = [String?](repeating: nil, count: n)
    func masked(_ k: Int) -> String {
      if k >= n { return "" }
      if let v = maskedValue[k] { return v }
      let s = str(k)
      let v: String
      if plan.phoneColumns.contains(k) {
        v = s.isEmpty ? s : RowMapper.phoneMask(s)
      } else if parsedTime.contains(k) {
        v = s
      } else {
        v = RowMapper.mask(s, p, starts[k], ends[k])
      }
      maskedValue[k] = v
      return v
    }
    func firstValue(_ f: CanonicalField) -> String? {
      for c in plan.cols(f) where !isEmpty(c) { return masked(c) }
      return nil
    }

    // phones
    if let c = plan.cols(.callerPhone).first(where: { !isEmpty($0) }), let norm = RowMapper.normalizePhone(str(c)) {
      let (key, mask) = cache.lookup(norm)
      ticket.callerKey = key
      ticket.callerMask = mask
    }
    if let c = plan.cols(.contactPhone).first(where: { !isEmpty($0) }), let norm = RowMapper.normalizePhone(str(c)) {
      let key = cache.lookup(norm).key
      if key != ticket.callerKey { ticket.contactKey = key }
    }

    ticket.channel = firstValue(.channel)
    if let k = firstValue(.kind) { ticket.kind = cache.kind(k) }
    var category: [String] = []
    for f in [CanonicalField.category, .categoryL1, .categoryL2, .categoryL3] {
      for c in plan.cols(f) where !isEmpty(c) { category.append(contentsOf: cache.category(masked(c))) }
    }
    ticket.category = category
    ticket.title = firstValue(.title)
    var texts: [String] = []
    for c in plan.cols(.text) where !isEmpty(c) { texts.append(masked(c)) }
    ticket.text = texts.count == 1 ? texts[0] : texts.joined(separator: plan.textSeparator)
    if plan.profile == .open311 && ticket.text.isEmpty, let c = category.first { ticket.text = c }
    ticket.district = firstValue(.district)
    ticket.street = firstValue(.street)
    ticket.community = firstValue(.community)
    ticket.address = firstValue(.address)
    if let d = firstValue(.departments) { ticket.departments = cache.departments(d) }
    if let t = firstValue(.transferCount) {
      if let v = RowMapper.leadingInt(t) {
        ticket.transferCount = v
      } else {
        warnings[ImportWarning(column: colName(plan.cols(.transferCount)[0]), reason: .notANumber), default: 0] += 1
      }
    }
    ticket.status = firstValue(.status)
    if let r = firstValue(.resolution) { ticket.resolution = cache.resolution(r) }
    ticket.satisfaction = firstValue(.satisfaction)
    ticket.parentId = plan.cols(.parentId).first(where: { !isEmpty($0) }).map { str($0) }
    if plan.profile == .open311, ticket.status?.lowercased() != "closed" { ticket.closedAt = nil }

    // location
    var lon: Double? = nil
    var lat: Double? = nil
    var locColumn: Int? = nil
    if let c = plan.cols(.lon).first(where: { !isEmpty($0) }), let c2 = plan.cols(.lat).first(where: { !isEmpty($0) }) {
      lon = Double(str(c))
      lat = Double(str(c2))
      locColumn = c
    } else if let c = plan.cols(.location).first(where: { !isEmpty($0) }) {
      if let (a, b) = RowMapper.parsePair(str(c)) {
        lat = a
        lon = b
      }
      locColumn = c
    }
    if let lc = locColumn {
      if let lon, let lat, Coordinate(lon: lon, lat: lat).isValid {
        let raw = Coordinate(lon: lon, lat: lat)
        var crs = plan.defaultCRS
        if let c = plan.cols(.crs).first(where: { !isEmpty($0) }) {
          if let given = cache.system(str(c)) {
            crs = given
          } else {
            warnings[ImportWarning(column: colName(c), reason: .unknownCRS), default: 0] += 1
          }
        }
        let system = crs ?? (RowMapper.insideChina(raw) ? .gcj02 : .wgs84)
        ticket.sourceCRS = system
        ticket.location = system.toWGS84(raw)
      } else {
        warnings[ImportWarning(column: colName(lc), reason: .invalidCoordinate), default: 0] += 1
      }
    }

    // raw
    // The column names are shared by every ticket of the file.
    var values = [String](repeating: "", count: plan.columns.count)
    for k in 0..<min(n, values.count) where !isEmpty(k) { values[k] = masked(k) }
    ticket.raw = RawRecord(columns: plan.columns, values: values)
    return .ticket(ticket, line: rec.line)
  }

  static func insideChina(_ c: Coordinate) -> Bool {
    c.lon > 73.66 && c.lon < 135.05 && c.lat > 3.86 && c.lat < 53.55
  }

  static func splitDepartments(_ s: String) -> [String] {
    s.split(whereSeparator: { ";；、|,，\n".contains($0) })
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
  }

  static func leadingInt(_ s: String) -> Int? {
    var v = 0
    var any = false
    for b in s.utf8 {
      if b &- 0x30 < 10 {
        v = v * 10 + Int(b - 0x30)
        any = true
        if v > 1_000_000 { return nil }
      } else {
        break
      }
    }
    return any ? v : nil
  }

  /// Reads "(lat, lon)" (NYC) or "a, b": the first two numbers in the text are
  /// (lat, lon) unless the first cannot be a latitude (|a| > 90).
  static func parsePair(_ s: String) -> (lat: Double, lon: Double)? {
    var nums: [Double] = []
    var cur = ""
    for ch in s.unicodeScalars {
      if (ch >= "0" && ch <= "9") || ch == "." || ((ch == "-" || ch == "+") && cur.isEmpty) {
        cur.unicodeScalars.append(ch)
      } else if !cur.isEmpty {
        if let v = Double(cur) { nums.append(v) }
        cur = ""
      }
    }
    if !cur.isEmpty, let v = Double(cur) { nums.append(v) }
    guard nums.count == 2 else { return nil }
    let (a, b) = (nums[0], nums[1])
    if abs(a) > 90 { return (b, a) }
    return (a, b)
  }

}
