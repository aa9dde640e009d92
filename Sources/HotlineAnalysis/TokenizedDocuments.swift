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
