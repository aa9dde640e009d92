/// Every occurrence of a set of phrases, found by a filter on their first
/// bytes instead of a state machine.
///
/// At each byte offset the next 8 bytes are read at once, cut to `q` bytes
/// (the shortest phrase's length, at most 8), hashed and tested against a
/// bitmap of the phrases' prefixes (16 KB: stays in L1). Only offsets that
/// pass are looked up in a table of prefixes and compared with the phrases
/// that start so. No step waits for the one before, unlike the automaton's
/// chain of table lookups (each lookup's address is the previous result), so
/// the processor overlaps them; in Chinese text few offsets pass.
///
/// Finds the same occurrences as `KeywordAutomaton` (reported by start, not
/// by end). Built once, shared read-only between threads.
struct PrefixScan: Sendable {
  /// Bytes of the prefix tested at every offset.
  let q: Int
  private let prefixMask: UInt64
  private static let bitmapBits: UInt64 = 17
  private let bitmap: [UInt64]
  /// Open-addressing table of the distinct prefixes (0: empty slot; no
  /// phrase starts with a zero byte).
  private let slotBits: UInt64
  private let slots: [UInt64]
  /// Phrases of slot s: `members[memberStart[s] ..< memberStart[s] + memberCount[s]]`.
  private let memberStart: [Int32]
  private let memberCount: [Int32]
  private let members: [Int32]
  /// Phrase p's bytes: `bytes[offsets[p] ..< offsets[p + 1]]`.
  private let bytes: [UInt8]
  private let offsets: [Int]

  @inline(__always)
  private static func hash(_ w: UInt64) -> UInt64 { w &* 0x9E37_79B9_7F4A_7C15 }

  /// nil when a phrase is shorter than 4 bytes or starts with a zero byte
  /// (the automaton serves then).
  init?(_ patterns: [String]) {
    let encoded = patterns.map { Array($0.utf8) }
    guard let shortest = encoded.map(\.count).min(), shortest >= 4, encoded.allSatisfy({ $0[0] != 0 }) else {
      return nil
    }
    let q = min(8, shortest)
    self.q = q
    prefixMask = q == 8 ? ~0 : (1 << UInt64(8 * q)) - 1
    func prefix(_ b: [UInt8]) -> UInt64 {
      var w: UInt64 = 0
      for k in 0..<q { w |= UInt64(b[k]) << UInt64(8 * k) }
      return w
    }
    var byPrefix: [UInt64: [Int32]] = [:]
    var order: [UInt64] = []
    var bitmap = [UInt64](repeating: 0, count: 1 << (Int(Self.bitmapBits) - 6))
    for (p, b) in encoded.enumerated() {
      let w = prefix(b)
      if byPrefix[w] == nil { order.append(w) }
      byPrefix[w, default: []].append(Int32(p))
      let h = Self.hash(w) >> (64 - Self.bitmapBits)
      bitmap[Int(h >> 6)] |= 1 << (h & 63)
    }
    var slotBits: UInt64 = 4
    while (1 << slotBits) < 2 * order.count { slotBits += 1 }
    var slots = [UInt64](repeating: 0, count: 1 << Int(slotBits))
    var memberStart = [Int32](repeating: 0, count: slots.count)
    var memberCount = [Int32](repeating: 0, count: slots.count)
    var members: [Int32] = []
    for w in order {
      var s = Int(Self.hash(w) >> (64 - slotBits))
      while slots[s] != 0 { s = (s + 1) & (slots.count - 1) }
      slots[s] = w
      memberStart[s] = Int32(members.count)
      memberCount[s] = Int32(byPrefix[w]!.count)
      members += byPrefix[w]!
    }
    var offsets = [0]
    for b in encoded { offsets.append(offsets.last! + b.count) }
    self.bitmap = bitmap
    self.slotBits = slotBits
    self.slots = slots
    self.memberStart = memberStart
    self.memberCount = memberCount
    self.members = members
    self.bytes = encoded.flatMap { $0 }
    self.offsets = offsets
  }

  /// `report(phrase, start)` for every occurrence in `text`, by start.
  @inline(__always)
  func scan(_ text: UnsafeBufferPointer<UInt8>, _ report: (Int, Int) -> Void) {
    let n = text.count
    guard n >= q, let base = text.baseAddress else { return }
    bitmap.withUnsafeBufferPointer { bm in
      let raw = UnsafeRawPointer(base)
      let mask = prefixMask
      var i = 0
      // Whole 8-byte words while they fit, then the last offsets byte by byte.
      // A phrase (a string) never starts with a UTF-8 continuation byte:
      // two offsets in three of Chinese text are passed over.
      while i &+ 8 <= n {
        let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        if w & 0xC0 != 0x80 {
          let h = Self.hash(w & mask) >> (64 - Self.bitmapBits)
          if bm[Int(h >> 6)] & (1 << (h & 63)) != 0 { verify(w & mask, at: i, text, report) }
        }
        i &+= 1
      }
      while i &+ q <= n {
        var w: UInt64 = 0
        for k in 0..<q { w |= UInt64(base[i &+ k]) << UInt64(8 &* k) }
        let h = Self.hash(w) >> (64 - Self.bitmapBits)
        if bm[Int(h >> 6)] & (1 << (h & 63)) != 0 { verify(w, at: i, text, report) }
        i &+= 1
      }
    }
  }

  /// Every occurrence in `first`, a newline and `second` (or `second` alone
  /// when `first` is empty), in the automaton's order: by end, the longer
  /// phrase first among those ending at the same byte (the automaton lists a
  /// state's own phrase before its suffixes'). No phrase may hold a
  /// newline.
  func hits(_ first: String, then second: String) -> [KeywordAutomaton.Hit] {
    var result: [KeywordAutomaton.Hit] = []
    var base = 0
    let offsets = offsets
    if !first.isEmpty {
      KeywordAutomaton.withBytes(first) { b in
        scan(b) { p, start in result.append(.init(pattern: p, start: start, end: start + offsets[p + 1] - offsets[p])) }
      }
      base = first.utf8.count + 1
    }
    KeywordAutomaton.withBytes(second) { b in
      scan(b) { p, start in
        result.append(.init(pattern: p, start: base + start, end: base + start + offsets[p + 1] - offsets[p]))
      }
    }
    result.sort { ($0.end, $0.start, $0.pattern) < ($1.end, $1.start, $1.pattern) }
    return result
  }

  /// The phrases with prefix `w` that occur whole at offset `i`.
  @inline(never)
  private func verify(_ w: UInt64, at i: Int, _ text: UnsafeBufferPointer<UInt8>, _ report: (Int, Int) -> Void) {
    let slotMask = slots.count - 1
    var s = Int(Self.hash(w) >> (64 - slotBits))
    while true {
      let key = slots[s]
      if key == 0 { return }
      if key == w { break }
      s = (s + 1) & slotMask
    }
    let n = text.count
    for m in Int(memberStart[s])..<Int(memberStart[s] + memberCount[s]) {
      let p = Int(members[m])
      let lo = offsets[p], len = offsets[p + 1] - lo
      guard i + len <= n else { continue }
      var k = q
      while k < len && text[i + k] == bytes[lo + k] { k += 1 }
      if k == len { report(p, i) }
    }
  }
}
