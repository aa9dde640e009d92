import Foundation

/// MinHash signatures over character shingles (Broder 1997), for estimating
/// the Jaccard similarity of short texts and finding near-duplicates with
/// locality-sensitive hashing (`MinHashLSH`).
///
/// A text's shingles are its runs of `shingleLength` consecutive Unicode
/// scalars after dropping whitespace and punctuation; a shingle of up to three
/// scalars is packed exactly into 64 bits (21 bits per scalar), longer ones are
/// folded. Each shingle is mixed once (MurmurHash3's 64-bit finaliser) and the
/// `permutations` hash functions are multiply-shift hashes `(a·x + b) >> 32`
/// with odd random `a` (Dietzfelbinger et al. 1997): one multiply and one add
/// per shingle and permutation. Texts shorter than one shingle use the whole
/// text as a single shingle; an empty text has the all-`UInt32.max` signature.
///
/// Knows nothing of tickets. `Sendable`; the hasher is immutable.
public struct MinHasher: Sendable {
  public let permutations: Int
  public let shingleLength: Int
  public let seed: UInt64
  private let a: [UInt64]
  private let b: [UInt64]

  public init(permutations: Int = 64, shingleLength: Int = 3, seed: UInt64 = 1) {
    precondition(permutations > 0 && shingleLength > 0)
    self.permutations = permutations
    self.shingleLength = shingleLength
    self.seed = seed
    var state = seed ^ 0x9E37_79B9_7F4A_7C15
    var a: [UInt64] = []
    var b: [UInt64] = []
    for _ in 0..<permutations {
      a.append(MinHasher.splitMix(&state) | 1)
      b.append(MinHasher.splitMix(&state))
    }
    self.a = a
    self.b = b
  }

  /// The signature of one text (`permutations` values).
  public func signature(_ text: String) -> [UInt32] {
    var out = [UInt32](repeating: .max, count: permutations)
    out.withUnsafeMutableBufferPointer { signature(text, into: $0) }
    return out
  }

  /// Writes the signature of `text` into `out` (at least `permutations` long).
  public func signature(_ text: String, into out: UnsafeMutableBufferPointer<UInt32>) {
    for i in 0..<permutations { out[i] = .max }
    // Rolling key over the last `shingleLength` kept scalars.
    var key: UInt64 = 0
    var kept = 0
    let k = shingleLength
    let mask: UInt64 = k >= 3 ? UInt64.max : (UInt64(1) << UInt64(21 * k)) - 1
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        let n = permutations
        @inline(__always) func add(_ key: UInt64) {
          let x = MinHasher.mix(key)
          for i in 0..<n {
            let h = UInt32(truncatingIfNeeded: (a[i] &* x &+ b[i]) >> 32)
            if h < out[i] { out[i] = h }
          }
        }
        if k <= 3 {
          for s in text.unicodeScalars {
            let v = s.value
            if MinHasher.isSkipped(v) { continue }
            key = ((key << 21) | UInt64(v)) & mask
            kept += 1
            if kept >= k { add(key) }
          }
          if kept > 0 && kept < k { add(key) }
        } else {
          // Exact k-shingles for longer shingles (rarely used): hash each window.
          let kept = text.unicodeScalars.map(\.value).filter { !MinHasher.isSkipped($0) }
          if kept.count >= k {
            for start in 0...(kept.count - k) {
              var h: UInt64 = 0xCBF2_9CE4_8422_2325
              for j in start..<(start + k) { h = (h ^ UInt64(kept[j])) &* 0x100_0000_01B3 }
              add(h)
            }
          } else if !kept.isEmpty {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for v in kept { h = (h ^ UInt64(v)) &* 0x100_0000_01B3 }
            add(h)
          }
        }
      }
    }
  }

  /// Signatures of many texts, row `i` for text `i`, computed on up to
  /// `threads` threads; the result does not depend on the thread count.
  public func signatures(_ texts: [String], threads: Int = 1) -> MinHashSignatures {
    var flat = [UInt32](repeating: .max, count: texts.count * permutations)
    let parts = max(1, min(threads, texts.count))
    let n = permutations
    flat.withUnsafeMutableBufferPointer { buf in
      let base = UnsafeSendablePointer(buf.baseAddress)
      let chunk = (texts.count + parts - 1) / parts
      DispatchQueue.concurrentPerform(iterations: parts) { p in
        let lo = p * chunk
        let hi = min(texts.count, lo + chunk)
        guard lo < hi, let root = base.pointer else { return }
        for i in lo..<hi {
          signature(texts[i], into: UnsafeMutableBufferPointer(start: root + i * n, count: n))
        }
      }
    }
    return MinHashSignatures(permutations: n, values: flat)
  }

  /// The estimated Jaccard similarity of two signatures (share of equal values).
  public static func jaccard(_ x: some Collection<UInt32>, _ y: some Collection<UInt32>) -> Double {
    precondition(x.count == y.count)
    guard !x.isEmpty else { return 0 }
    var same = 0
    for (u, v) in zip(x, y) where u == v { same += 1 }
    return Double(same) / Double(x.count)
  }

  /// The exact Jaccard similarity of the two texts' shingle sets (for tests and checks).
  public func exactJaccard(_ s: String, _ t: String) -> Double {
    let x = shingles(s)
    let y = shingles(t)
    let union = x.union(y).count
    return union == 0 ? 1 : Double(x.intersection(y).count) / Double(union)
  }

  /// The text's shingles as strings (whitespace and punctuation dropped).
  public func shingles(_ text: String) -> Set<String> {
    let kept = Array(text.unicodeScalars.filter { !MinHasher.isSkipped($0.value) })
    var out = Set<String>()
    if kept.isEmpty { return out }
    if kept.count < shingleLength {
      var u = String.UnicodeScalarView()
      u.append(contentsOf: kept)
      return [String(u)]
    }
    for start in 0...(kept.count - shingleLength) {
      var u = String.UnicodeScalarView()
      u.append(contentsOf: kept[start..<(start + shingleLength)])
      out.insert(String(u))
    }
    return out
  }

  /// Whitespace, ASCII punctuation and CJK/full-width punctuation are not part of shingles.
  @inline(__always) static func isSkipped(_ v: UInt32) -> Bool {
    if v <= 0x2F { return true }  // controls, space, !"#$%&'()*+,-./
    if v >= 0x3A && v <= 0x40 { return true }  // :;<=>?@
    if v >= 0x5B && v <= 0x60 { return true }
    if v >= 0x7B && v <= 0x7F { return true }
    if v >= 0x3000 && v <= 0x303F { return true }  // CJK symbols and punctuation
    if v >= 0xFF01 && v <= 0xFF0F { return true }  // full-width punctuation
    if v >= 0xFF1A && v <= 0xFF20 { return true }
    if v == 0x2014 || v == 0x2026 || (v >= 0x2018 && v <= 0x201D) { return true }
    return false
  }

  @inline(__always) static func mix(_ key: UInt64) -> UInt64 {
    var z = key
    z ^= z >> 33
    z &*= 0xFF51_AFD7_ED55_8CCD
    z ^= z >> 33
    z &*= 0xC4CE_B9FE_1A85_EC53
    z ^= z >> 33
    return z
  }

  static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Row-major signatures of many texts.
public struct MinHashSignatures: Sendable {
  public let permutations: Int
  public let values: [UInt32]
  public init(permutations: Int, values: [UInt32]) {
    self.permutations = permutations
    self.values = values
  }
  public var count: Int { permutations == 0 ? 0 : values.count / permutations }
  public subscript(i: Int) -> ArraySlice<UInt32> { values[(i * permutations)..<((i + 1) * permutations)] }

  /// Estimated Jaccard similarity of texts `i` and `j`.
  public func jaccard(_ i: Int, _ j: Int) -> Double {
    values.withUnsafeBufferPointer { v in
      var same = 0
      let x = i * permutations
      let y = j * permutations
      for k in 0..<permutations where v[x + k] == v[y + k] { same += 1 }
      return Double(same) / Double(permutations)
    }
  }
}

/// Locality-sensitive hashing over MinHash signatures with `bands` bands of
/// `rows` rows (Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*,
/// ch. 3): two texts become a candidate pair when all rows of at least one
/// band agree, which happens with probability 1 − (1 − J^rows)^bands for
/// Jaccard similarity J. The threshold where that curve rises is about
/// (1/bands)^(1/rows).
public struct MinHashLSH: Sendable {
  public let bands: Int
  public let rows: Int

  public init(bands: Int, rows: Int) {
    precondition(bands > 0 && rows > 0)
    self.bands = bands
    self.rows = rows
  }

  /// The approximate similarity threshold of this banding.
  public var threshold: Double { pow(1 / Double(bands), 1 / Double(rows)) }

  /// Candidate pairs `(i, j)`, `i < j`, each once, sorted.
  ///
  /// - Parameters:
  ///   - positions: optional per-text position (a time, say); with it only
  ///     pairs whose positions differ by at most `maxGap` are returned.
  ///   - maxBucket: buckets with more members are skipped entirely: they are
  ///     boilerplate shared by many texts, not near-duplicates.
  public func candidatePairs(
    _ sig: MinHashSignatures, positions: [Int64]? = nil, maxGap: Int64 = .max, maxBucket: Int = 500
  ) -> [(Int, Int)] {
    packedCandidatePairs(sig, positions: positions, maxGap: maxGap, maxBucket: maxBucket).map {
      (Int($0 >> 32), Int($0 & 0xFFFF_FFFF))
    }
  }

  /// The same pairs, each packed with `pack` (ascending, without repeats).
  public func packedCandidatePairs(
    _ sig: MinHashSignatures, positions: [Int64]? = nil, maxGap: Int64 = .max, maxBucket: Int = 500
  ) -> [UInt64] {
    precondition(bands * rows <= sig.permutations, "bands × rows exceeds the signature length")
    let n = sig.count
    if let positions { precondition(positions.count == n) }
    var pairs: [UInt64] = []
    var keys = [UInt64](repeating: 0, count: n)
    var order = [Int32](repeating: 0, count: n)
    sig.values.withUnsafeBufferPointer { v in
      for band in 0..<bands {
        for i in 0..<n {
          var h = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
          let base = i * sig.permutations + band * rows
          for r in 0..<rows { h = MinHasher.mix(h ^ UInt64(v[base + r]) &+ UInt64(r)) }
          keys[i] = h
          order[i] = Int32(i)
        }
        if n < 1 << 24 {
          // Sort plain integers: the band key's top 40 bits over the index.
          var packed = [UInt64](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n { b[i] = (keys[i] & ~0xFF_FFFF) | UInt64(i) }
            c = n
          }
          packed.sort()
          for i in 0..<n {
            order[i] = Int32(truncatingIfNeeded: packed[i] & 0xFF_FFFF)
            keys[Int(order[i])] &= ~0xFF_FFFF
          }
        } else {
          order.sort { keys[Int($0)] != keys[Int($1)] ? keys[Int($0)] < keys[Int($1)] : $0 < $1 }
        }
        var start = 0
        while start < n {
          var end = start + 1
          let k = keys[Int(order[start])]
          while end < n && keys[Int(order[end])] == k { end += 1 }
          let size = end - start
          if size >= 2 && size <= maxBucket {
            var members = order[start..<end].map(Int.init)
            if let positions {
              members.sort { positions[$0] != positions[$1] ? positions[$0] < positions[$1] : $0 < $1 }
              for x in 0..<members.count {
                for y in (x + 1)..<members.count {
                  let p = members[x]
                  let q = members[y]
                  if positions[q] - positions[p] > maxGap { break }
                  pairs.append(MinHashLSH.pack(p, q))
                }
              }
            } else {
              for x in 0..<members.count {
                for y in (x + 1)..<members.count { pairs.append(MinHashLSH.pack(members[x], members[y])) }
              }
            }
          }
          start = end
        }
      }
    }
    MinHashLSH.sortAndDropRepeats(&pairs)
    return pairs
  }

  /// Sorts packed pairs ascending and drops repeats, in place.
  public static func sortAndDropRepeats(_ pairs: inout [UInt64]) {
    pairs.sort()
    var out = 0
    for p in pairs where out == 0 || pairs[out - 1] != p {
      pairs[out] = p
      out += 1
    }
    pairs.removeLast(pairs.count - out)
  }

  /// The pair `(min, max)` packed into one integer (32 bits each).
  @inline(__always) public static func pack(_ i: Int, _ j: Int) -> UInt64 {
    let (a, b) = i < j ? (i, j) : (j, i)
    return (UInt64(a) << 32) | UInt64(b)
  }
}

/// A raw pointer that may cross into `concurrentPerform` (each task writes
/// its own disjoint rows).
struct UnsafeSendablePointer: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<UInt32>?
  init(_ p: UnsafeMutablePointer<UInt32>?) { pointer = p }
}
