/// A small JSON reader for flat records: objects whose values are strings,
/// numbers, booleans or null. Nested arrays and objects are kept as their JSON
/// text. Key order is preserved (it decides column order).
struct JSONScanner {
  struct Failure: Error {
    var problem: JSONProblem
    var offset: Int
  }

  let p: UnsafeBufferPointer<UInt8>
  var i: Int

  init(_ p: UnsafeBufferPointer<UInt8>, at i: Int = 0) {
    self.p = p
    self.i = i
  }

  mutating func skipWS() {
    while i < p.count, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
  }

  func fail(_ m: JSONProblem) -> Failure { Failure(problem: m, offset: i) }

  /// Parses an object; returns its key/value pairs as strings.
  mutating func object() throws -> [(String, String)] {
    skipWS()
    guard i < p.count, p[i] == 0x7B else { throw fail(.expectedObject) }
    i += 1
    var out: [(String, String)] = []
    skipWS()
    if i < p.count, p[i] == 0x7D {
      i += 1
      return out
    }
    while true {
      skipWS()
      guard i < p.count, p[i] == 0x22 else { throw fail(.expectedKey) }
      let k = try string()
      skipWS()
      guard i < p.count, p[i] == 0x3A else { throw fail(.expectedColon) }
      i += 1
      skipWS()
      let v = try valueText()
      out.append((k, v))
      skipWS()
      guard i < p.count else { throw fail(.unterminatedObject) }
      if p[i] == 0x2C {
        i += 1
        continue
      }
      if p[i] == 0x7D {
        i += 1
        return out
      }
      throw fail(.expectedCommaOrBrace)
    }
  }

  /// A value as text: strings unescaped, null → "", others verbatim.
  mutating func valueText() throws -> String {
    guard i < p.count else { throw fail(.missingValue) }
    switch p[i] {
    case 0x22: return try string()
    case 0x7B, 0x5B:
      let s = i
      try skipValue()
      return String(decoding: UnsafeBufferPointer(rebasing: p[s..<i]), as: UTF8.self)
    default:
      let s = i
      while i < p.count, p[i] != 0x2C, p[i] != 0x7D, p[i] != 0x5D, p[i] != 0x20, p[i] != 0x0A, p[i] != 0x0D,
        p[i] != 0x09
      {
        i += 1
      }
      let t = String(decoding: UnsafeBufferPointer(rebasing: p[s..<i]), as: UTF8.self)
      if t == "null" { return "" }
      if t.isEmpty { throw fail(.missingValue) }
      if t == "true" || t == "false" { return t }
      guard let f = t.utf8.first, f == 0x2D || (f &- 0x30) < 10 else { throw fail(.badLiteral(t)) }
      return t
    }
  }

  mutating func skipValue() throws {
    skipWS()
    guard i < p.count else { throw fail(.missingValue) }
    switch p[i] {
    case 0x22: _ = try string()
    case 0x7B, 0x5B:
      var depth = 0
      while i < p.count {
        let b = p[i]
        if b == 0x22 {
          _ = try string()
          continue
        }
        if b == 0x7B || b == 0x5B { depth += 1 }
        if b == 0x7D || b == 0x5D {
          depth -= 1
          if depth == 0 {
            i += 1
            return
          }
        }
        i += 1
      }
      throw fail(.unterminatedContainer)
    default: _ = try valueText()
    }
  }

  mutating func string() throws -> String {
    i += 1  // opening quote
    var out: [UInt8] = []
    var s = i
    while i < p.count {
      let b = p[i]
      if b == 0x22 {
        if out.isEmpty {
          let r = String(decoding: UnsafeBufferPointer(rebasing: p[s..<i]), as: UTF8.self)
          i += 1
          return r
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[s..<i]))
        i += 1
        return String(decoding: out, as: UTF8.self)
      }
      if b == 0x5C {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[s..<i]))
        i += 1
        guard i < p.count else { break }
        let e = p[i]
        i += 1
        switch e {
        case 0x6E: out.append(0x0A)
        case 0x74: out.append(0x09)
        case 0x72: out.append(0x0D)
        case 0x62: out.append(0x08)
        case 0x66: out.append(0x0C)
        case 0x75:
          var cp = try hex4()
          if cp >= 0xD800 && cp < 0xDC00, i + 6 <= p.count, p[i] == 0x5C, p[i + 1] == 0x75 {
            i += 2
            let lo = try hex4()
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
          }
          let scalar = Unicode.Scalar(cp) ?? "\u{FFFD}"
          out.append(contentsOf: String(Character(scalar)).utf8)
        default: out.append(e)
        }
        s = i
        if out.isEmpty { out.reserveCapacity(16) }
        continue
      }
      i += 1
    }
    throw fail(.unterminatedString)
  }

  mutating func hex4() throws -> UInt32 {
    guard i + 4 <= p.count else { throw fail(.badUnicodeEscape) }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = p[i]
      let d: UInt32
      switch b {
      case 0x30...0x39: d = UInt32(b - 0x30)
      case 0x41...0x46: d = UInt32(b - 0x41 + 10)
      case 0x61...0x66: d = UInt32(b - 0x61 + 10)
      default: throw fail(.badUnicodeEscape)
      }
      v = v * 16 + d
      i += 1
    }
    return v
  }
}
