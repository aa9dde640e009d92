/// Aho–Corasick over UTF-8 bytes: finds every occurrence of a fixed set of
/// phrases in one pass over a text, whatever the number of phrases.
///
/// The automaton is a full transition table (256 entries per state), so the
/// scan does one table lookup per byte. Entries hold the next state's row
/// offset (state × 256), and the states where a phrase ends are numbered
/// last, so the scan tests "a phrase ends here" with one comparison instead
/// of a second lookup. Built once, shared read-only between threads.
struct KeywordAutomaton: Sendable {
  /// A hit: which phrase, and its byte range in the scanned text.
  struct Hit: Sendable, Equatable {
    var pattern: Int
    var start: Int
    var end: Int
  }

  /// Row offset of the next state: `next[row + byte]`.
  private let next: [Int32]
  /// Rows at or above this offset belong to states where a phrase ends.
  private let firstFinalRow: Int32
  /// Patterns ending in the state of row r: `outList[outStart[r >> 8] ..< outStart[(r >> 8) + 1]]`.
  private let outStart: [Int32]
  private let outList: [Int32]
  let lengths: [Int]

  init(_ patterns: [String]) {
    var goto: [[Int32]] = [Array(repeating: -1, count: 256)]
    var out: [[Int32]] = [[]]
    var lengths: [Int] = []
    for (pi, p) in patterns.enumerated() {
      let bytes = Array(p.utf8)
      lengths.append(bytes.count)
      precondition(!bytes.isEmpty, "empty keyword")
      var s = 0
      for b in bytes {
        if goto[s][Int(b)] < 0 {
          goto.append(Array(repeating: -1, count: 256))
          out.append([])
          goto[s][Int(b)] = Int32(goto.count - 1)
        }
        s = Int(goto[s][Int(b)])
      }
      out[s].append(Int32(pi))
    }
    // Breadth-first failure links, folded into a full transition table.
    var fail = [Int](repeating: 0, count: goto.count)
    var table = [Int32](repeating: 0, count: goto.count * 256)
    var queue: [Int] = []
    for b in 0..<256 {
      let t = goto[0][b]
      if t >= 0 {
        fail[Int(t)] = 0
        table[b] = t
        queue.append(Int(t))
      } else {
        table[b] = 0
      }
    }
    var head = 0
    while head < queue.count {
      let s = queue[head]
      head += 1
      out[s] += out[fail[s]]
      for b in 0..<256 {
        let t = goto[s][b]
        if t >= 0 {
          fail[Int(t)] = Int(table[fail[s] * 256 + b])
          table[s * 256 + b] = t
          queue.append(Int(t))
        } else {
          table[s * 256 + b] = table[fail[s] * 256 + b]
        }
      }
    }
    // Renumber: states without output first (the root, which has none,
    // stays 0), states where a phrase ends last.
    let n = goto.count
    var newId = [Int32](repeating: 0, count: n)
    var order: [Int] = []
    order.reserveCapacity(n)
    for s in 0..<n where out[s].isEmpty { order.append(s) }
    let finals = order.count
    for s in 0..<n where !out[s].isEmpty { order.append(s) }
    for (k, s) in order.enumerated() { newId[s] = Int32(k) }
    var renumbered = [Int32](repeating: 0, count: n * 256)
    var outStart: [Int32] = [0]
    var outList: [Int32] = []
    for (k, s) in order.enumerated() {
      for b in 0..<256 { renumbered[k * 256 + b] = newId[Int(table[s * 256 + b])] &* 256 }
      outList += out[s]
      outStart.append(Int32(outList.count))
    }
    next = renumbered
    firstFinalRow = Int32(finals * 256)
    self.outStart = outStart
    self.outList = outList
    self.lengths = lengths
  }

  /// Runs over `bytes` from the state of row `row` and returns the row it
  /// ends in; `report(pattern, end)` for every phrase ending at byte offset
  /// `base + end` (exclusive).
  @inline(__always)
  func run(
    _ bytes: UnsafeBufferPointer<UInt8>, row start: Int32, base: Int, _ report: (Int, Int) -> Void
  ) -> Int32 {
    next.withUnsafeBufferPointer { table in
      var row = start
      let finalRow = firstFinalRow
      for i in 0..<bytes.count {
        row = table[Int(row) &+ Int(bytes[i])]
        if row >= finalRow {
          let s = Int(row) >> 8
          for k in Int(outStart[s])..<Int(outStart[s + 1]) { report(Int(outList[k]), base + i + 1) }
        }
      }
      return row
    }
  }

  /// Scans `first`, a newline and `second` as one text when `first` is not
  /// empty (else `second` alone), without joining them: `report(pattern,
  /// end)` gets byte offsets in that joined text. Returns where `second`
  /// starts in it.
  @inline(__always)
  @discardableResult
  func scan(_ first: String, then second: String, _ report: (Int, Int) -> Void) -> Int {
    var row: Int32 = 0
    var base = 0
    if !first.isEmpty {
      row = Self.withBytes(first) { run($0, row: 0, base: 0, report) }
      base = first.utf8.count
      var newline: UInt8 = 0x0A
      row = withUnsafePointer(to: &newline) { run(UnsafeBufferPointer(start: $0, count: 1), row: row, base: base, report) }
      base += 1
    }
    let textStart = base
    _ = Self.withBytes(second) { run($0, row: row, base: base, report) }
    return textStart
  }

  /// The string's UTF-8 bytes (no copy of a native string's buffer; a
  /// small string is spilled to the stack).
  @inline(__always)
  static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    var copy = s
    return copy.withUTF8(body)
  }

  /// Whether any phrase occurs in `text`.
  func occurs(in text: String) -> Bool {
    var found = false
    _ = Self.withBytes(text) { run($0, row: 0, base: 0) { _, _ in found = true } }
    return found
  }

  /// Every occurrence of every phrase in `text`, in order of their ends.
  func hits(in text: String) -> [Hit] {
    var result: [Hit] = []
    _ = Self.withBytes(text) {
      run($0, row: 0, base: 0) { p, end in result.append(Hit(pattern: p, start: end - lengths[p], end: end)) }
    }
    return result
  }
}
