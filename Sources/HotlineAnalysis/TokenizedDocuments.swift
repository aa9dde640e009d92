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
  public struct UTF8Builder {
    private var storage: [UInt8] = []
    private var starts: [Int32] = []  // entry i = storage[starts[i] ..< starts[i + 1]]
    private var slots: [Int32] = [Int32](repeating: -1, count: 1024)
    private var hashes: [UInt32] = []
    public private(set) var documents = TokenizedDocuments()

    public init() { starts = [0] }

    /// Appends one token to the current document.
    public mutating func appendToken(_ bytes: UnsafeBufferPointer<UInt8>) {
      var h: UInt64 = 0xcbf2_9ce4_8422_2325
      for b in bytes {
        h ^= UInt64(b)
        h &*= 0x0000_0100_0000_01b3
      }
      let hash = UInt32(truncatingIfNeeded: h ^ (h >> 32))
      let mask = slots.count - 1
      var i = Int(hash) & mask
      while true {
        let e = Int(slots[i])
        if e < 0 { break }
        if hashes[e] == hash {
          let a = Int(starts[e]), b = Int(starts[e + 1])
          if b - a == bytes.count && storage.withUnsafeBufferPointer({ s in
            memcmp(s.baseAddress! + a, bytes.baseAddress!, bytes.count) == 0
          }) {
            documents.tokens.append(Int32(e))
            return
          }
        }
        i = (i + 1) & mask
      }
      let id = Int32(documents.vocabulary.count)
      slots[i] = id
      hashes.append(hash)
      storage.append(contentsOf: bytes)
      starts.append(Int32(storage.count))
      documents.vocabulary.append(String(decoding: bytes, as: UTF8.self))
      documents.tokens.append(id)
      if hashes.count * 2 > slots.count { grow() }
    }

    /// Ends the current document.
    public mutating func endDocument() {
      documents.offsets.append(documents.tokens.count)
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
