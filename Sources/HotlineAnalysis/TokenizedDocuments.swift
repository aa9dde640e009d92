import Foundation

/// Documents as token ids into a shared vocabulary, in one flat array:
/// about a tenth of the memory of `[[String]]` for millions of tickets, and
/// built on several threads (each part with its own vocabulary, merged).
public struct TokenizedDocuments: Sendable {
  /// Token by id (ids in order of first appearance).
  public private(set) var vocabulary: [String]
  /// Document i is `tokens[offsets[i]..<offsets[i + 1]]`.
  public private(set) var tokens: [Int32]
  public private(set) var offsets: [Int]

  public var count: Int { offsets.count - 1 }

  public init() {
    vocabulary = []
    tokens = []
    offsets = [0]
  }

  public init(_ documents: [[String]]) {
    var b = Builder()
    for d in documents { b.append(d) }
    self = b.documents
  }

  /// Document i's tokens as strings.
  public func document(_ i: Int) -> [String] {
    tokens[offsets[i]..<offsets[i + 1]].map { vocabulary[Int($0)] }
  }

  /// The parts' documents one after the other, over one vocabulary.
  public static func concatenating(_ parts: [TokenizedDocuments]) -> TokenizedDocuments {
    var ids: [String: Int32] = [:]
    var out = TokenizedDocuments()
    out.tokens.reserveCapacity(parts.reduce(0) { $0 + $1.tokens.count })
    out.offsets.reserveCapacity(parts.reduce(1) { $0 + $1.count })
    for part in parts {
      let remap = part.vocabulary.map { w -> Int32 in
        if let id = ids[w] { return id }
        let id = Int32(out.vocabulary.count)
        ids[w] = id
        out.vocabulary.append(w)
        return id
      }
      let base = out.tokens.count
      for t in part.tokens { out.tokens.append(remap[Int(t)]) }
      for o in part.offsets.dropFirst() { out.offsets.append(base + o) }
    }
    return out
  }

  /// Appends documents one token at a time, each token given as UTF-8
  /// bytes: a token already seen costs one hash-table probe, no String.
  /// Tokens share an id when their bytes are equal (``concatenating(_:)``
  /// then also merges distinct byte forms of one String, as ``Builder``
  /// would have).
  ///
  /// It can also remember the tokens a clause gave (``cacheClause(_:since:)``)
  /// and append them again when the same clause comes back
  /// (``cachedClause(_:)``, ``appendCachedClause(_:)``), so that a clause
  /// is segmented once.
  public struct UTF8Builder {
    private var words = ByteTable()
    private var clauses = ByteTable()
    /// Clause i's tokens are `clauseTokens[clauseStarts[i] ..< clauseStarts[i + 1]]`.
    private var clauseStarts: [Int32] = [0]
    private var clauseTokens: [Int32] = []
    /// Bytes of clause text and tokens kept at most (then no more clauses are cached).
    private let clauseCacheLimit: Int
    public private(set) var documents = TokenizedDocuments()

    /// - Parameter clauseCacheBytes: how much clause text (and as many bytes
    ///   of cached tokens) ``cacheClause(_:since:)`` keeps at most.
    public init(clauseCacheBytes: Int = 32 << 20) { clauseCacheLimit = clauseCacheBytes }

    /// Tokens appended so far (all documents).
    public var tokenCount: Int { documents.tokens.count }

    /// Appends one token to the current document.
    public mutating func appendToken(_ bytes: UnsafeBufferPointer<UInt8>) {
      let hash = ByteTable.hash(bytes)
      let (found, slot) = words.find(bytes, hash: hash)
      if found >= 0 {
        documents.tokens.append(found)
        return
      }
      let id = words.insert(bytes, hash: hash, slot: slot)
      documents.vocabulary.append(String(decoding: bytes, as: UTF8.self))
      documents.tokens.append(id)
    }

    /// The number of `clause` in the clause cache, or -1 when it is not cached.
    public func cachedClause(_ clause: UnsafeBufferPointer<UInt8>) -> Int {
      Int(clauses.find(clause, hash: ByteTable.hash(clause)).0)
    }

    /// Appends to the current document the tokens of cached clause `id`
    /// (from ``cachedClause(_:)``).
    public mutating func appendCachedClause(_ id: Int) {
      let a = Int(clauseStarts[id]), b = Int(clauseStarts[id + 1])
      documents.tokens.append(contentsOf: clauseTokens[a..<b])
    }

    /// Caches the tokens appended since `mark` (``tokenCount`` read before
    /// appending them) as the tokens of `clause`, unless it is cached
    /// already or the cache is full.
    public mutating func cacheClause(_ clause: UnsafeBufferPointer<UInt8>, since mark: Int) {
      let added = documents.tokens.count - mark
      guard clauses.byteCount + clause.count + 4 * (clauseTokens.count + added) <= clauseCacheLimit else { return }
      let hash = ByteTable.hash(clause)
      let (found, slot) = clauses.find(clause, hash: hash)
      if found >= 0 { return }
      _ = clauses.insert(clause, hash: hash, slot: slot)
      clauseTokens.append(contentsOf: documents.tokens[mark...])
      clauseStarts.append(Int32(clauseTokens.count))
    }

    /// Ends the current document.
    public mutating func endDocument() {
      documents.offsets.append(documents.tokens.count)
    }
  }

  /// Appends documents one at a time.
  public struct Builder {
    private var ids: [String: Int32] = [:]
    public private(set) var documents = TokenizedDocuments()

    public init() {}

    public mutating func append(_ words: some Sequence<String>) {
      for w in words {
        if let id = ids[w] {
          documents.tokens.append(id)
        } else {
          let id = Int32(documents.vocabulary.count)
          ids[w] = id
          documents.vocabulary.append(w)
          documents.tokens.append(id)
        }
      }
      documents.offsets.append(documents.tokens.count)
    }
  }
}

/// Byte strings numbered 0, 1, 2, … in order of insertion, found by their
/// bytes through an open-addressing hash table.
struct ByteTable {
  private var storage: [UInt8] = []
  private var starts: [Int32] = [0]  // entry i = storage[starts[i] ..< starts[i + 1]]
  private var slots: [Int32] = [Int32](repeating: -1, count: 1024)
  private var hashes: [UInt32] = []

  var count: Int { hashes.count }
  var byteCount: Int { storage.count }

  /// Eight bytes per step, short strings in two overlapping loads (ids do
  /// not depend on the hash, only the probes do).
  @inline(__always)
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
    let n = bytes.count
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
    guard let p = bytes.baseAddress, n > 0 else { return UInt32(truncatingIfNeeded: h) }
    let raw = UnsafeRawPointer(p)
    if n >= 8 {
      var i = 0
      while i + 8 < n {
        h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        i += 8
      }
      h = (h ^ raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
    } else if n >= 4 {
      let w = UInt64(raw.loadUnaligned(as: UInt32.self))
        | UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
      h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
    } else {
      let w = UInt64(p[0]) | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1]) << 16
      h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
    }
    h ^= h >> 29
    h &*= 0xC4CE_B9FE_1A85_EC53
    return UInt32(truncatingIfNeeded: h ^ (h >> 32))
  }

  /// Whether `n` bytes at `a` and `b` are equal (two overlapping loads for 4 to 16 bytes).
  @inline(__always)
  static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    if n >= 8 && n <= 16 {
      return a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
        && a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
          == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    if n >= 4 && n < 8 {
      return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
        && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
          == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
    }
    return memcmp(a, b, n) == 0
  }

  /// The number of `bytes` (-1 when absent) and the slot where it is or
  /// would go.
  @inline(__always)
  func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> (Int32, Int) {
    let mask = slots.count - 1
    var i = Int(hash) & mask
    while true {
      let e = Int(slots[i])
      if e < 0 { return (-1, i) }
      if hashes[e] == hash {
        let a = Int(starts[e]), b = Int(starts[e + 1])
        if b - a == bytes.count
          && (bytes.isEmpty
            || storage.withUnsafeBufferPointer({ s in
              ByteTable.equal(s.baseAddress! + a, bytes.baseAddress!, bytes.count)
            }))
        {
          return (Int32(e), i)
        }
      }
      i = (i + 1) & mask
    }
  }

  /// Adds `bytes` at `slot` (from ``find(_:hash:)`` just before); returns its number.
  @inline(__always)
  mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32, slot: Int) -> Int32 {
    let id = Int32(hashes.count)
    slots[slot] = id
    hashes.append(hash)
    storage.append(contentsOf: bytes)
    starts.append(Int32(storage.count))
    if hashes.count * 2 > slots.count { grow() }
    return id
  }

  private mutating func grow() {
    var bigger = [Int32](repeating: -1, count: slots.count * 2)
    let mask = bigger.count - 1
    for (e, h) in hashes.enumerated() {
      var i = Int(h) & mask
      while bigger[i] >= 0 { i = (i + 1) & mask }
      bigger[i] = Int32(e)
    }
    slots = bigger
  }
}
