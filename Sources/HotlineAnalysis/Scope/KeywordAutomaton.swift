/// Aho–Corasick over UTF-8 bytes: finds every occurrence of a fixed set of
/// phrases in one pass over a text, whatever the number of phrases.
///
/// The automaton is a full transition table (256 entries per state), so the
/// scan does one table lookup per byte. Built once, shared read-only between
/// threads.
struct KeywordAutomaton: Sendable {
  /// A hit: which phrase, and its byte range in the scanned text.
  struct Hit: Sendable, Equatable {
    var pattern: Int
    var start: Int
    var end: Int
  }

  private let next: [Int32]  // state * 256 + byte
  private let outputs: [[Int32]]  // per state: patterns ending here
  private let hasOutput: [Bool]  // per state: whether any pattern ends here
  private let lengths: [Int]

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
    next = table
    outputs = out
    hasOutput = out.map { !$0.isEmpty }
    self.lengths = lengths
  }

  /// Every occurrence of every phrase in `text`, in order of their ends.
  func hits(in text: String) -> [Hit] {
    var result: [Hit] = []
    var copy = text
    copy.withUTF8 { buf in
      next.withUnsafeBufferPointer { table in
        hasOutput.withUnsafeBufferPointer { final in
          // Only states where a phrase ends touch the output lists.
          var s = 0
          for i in 0..<buf.count {
            s = Int(table[s &* 256 &+ Int(buf[i])])
            if final[s] {
              for p in outputs[s] {
                result.append(Hit(pattern: Int(p), start: i + 1 - lengths[Int(p)], end: i + 1))
              }
            }
          }
        }
      }
    }
    return result
  }
}
