import Foundation

/// A set of words looked up by their UTF-16 form without building Strings:
/// an open-addressing hash table over one shared buffer. Immutable and
/// `Sendable`; `adding(_:)` returns a new lexicon.
public struct Lexicon: Sendable {
  /// The words, as given (after trimming; empty lines and `#` comments dropped).
  public let words: Set<String>
  /// The longest word, in UTF-16 code units (0 for an empty lexicon).
  public let maxLength: Int

  private let storage: [UInt16]
  private let offsets: [Int32]  // entry i = storage[offsets[i] ..< offsets[i] + lengths[i]]
  private let lengths: [Int32]
  private let slots: [Int32]  // -1 empty, else entry index
  private let mask: Int

  public init(_ words: some Sequence<String>) {
    var set = Set<String>()
    for w in words {
      let t = Lexicon.trimmed(w)
      if !t.isEmpty { set.insert(t) }
    }
    self.words = set
    var storage: [UInt16] = []
    var offsets: [Int32] = []
    var lengths: [Int32] = []
    var maxLength = 0
    // Sorted by UTF-8 bytes (cheaper than String order, which compares
    // canonical forms): the same layout on every run.
    for w in set.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      offsets.append(Int32(storage.count))
      let before = storage.count
      storage.append(contentsOf: w.utf16)
      lengths.append(Int32(storage.count - before))
      maxLength = max(maxLength, storage.count - before)
    }
    var cap = 16
    while cap < set.count * 2 { cap <<= 1 }
    var slots = [Int32](repeating: -1, count: cap)
    storage.withUnsafeBufferPointer { s in
      for i in offsets.indices {
        let o = Int(offsets[i])
        var h = Lexicon.hash(UnsafeBufferPointer(rebasing: s[o..<(o + Int(lengths[i]))])) & (cap - 1)
        while slots[h] >= 0 { h = (h + 1) & (cap - 1) }
        slots[h] = Int32(i)
      }
    }
    self.storage = storage
    self.offsets = offsets
    self.lengths = lengths
    self.slots = slots
    self.mask = cap - 1
    self.maxLength = maxLength
  }

  /// `w` without surrounding spaces; Foundation's trimming (slow) only
  /// when the first or last character is white space.
  static func trimmed(_ w: String) -> String {
    guard let f = w.unicodeScalars.first, let l = w.unicodeScalars.last else { return w }
    if !f.properties.isWhitespace && !l.properties.isWhitespace { return w }
    return w.trimmingCharacters(in: .whitespaces)
  }

  /// Parses a word list: one word per line, `#` starts a comment, blank lines
  /// ignored. Only the first whitespace-separated field of a line is used.
  public init(parsing text: String) {
    var out: [String] = []
    for raw in text.split(whereSeparator: \.isNewline) {
      var line = Substring(raw)
      if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
      if let field = line.split(whereSeparator: \.isWhitespace).first { out.append(String(field)) }
    }
    self.init(out)
  }

  /// Reads a word list file (format of `init(parsing:)`).
  public init(contentsOf url: URL) throws {
    self.init(parsing: try String(contentsOf: url, encoding: .utf8))
  }

  /// An empty lexicon (the segmenter then returns ICU's segmentation).
  public static let empty = Lexicon([String]())

  /// The built-in 12345-hotline lexicon (Resources/hotline-lexicon.txt).
  public static let hotline: Lexicon = {
    guard
      let url = Bundle.module.url(
        forResource: "hotline-lexicon", withExtension: "txt", subdirectory: "Resources"),
      let lex = try? Lexicon(contentsOf: url)
    else { return .empty }
    return lex
  }()

  /// This lexicon plus `more` (e.g. the district, street, community and estate
  /// names of the data being analysed).
  public func adding(_ more: some Sequence<String>) -> Lexicon {
    Lexicon(words.union(more))
  }

  public var count: Int { words.count }
  public var isEmpty: Bool { words.isEmpty }

  public func contains(_ word: String) -> Bool {
    var units = Array(word.utf16)
    return units.withUnsafeMutableBufferPointer { contains(UnsafeBufferPointer($0)) }
  }

  /// Whether the UTF-16 units form a word of the lexicon.
  @inline(__always)
  func contains(_ key: UnsafeBufferPointer<UInt16>) -> Bool {
    if key.count > maxLength || slots.isEmpty { return false }
    var h = Lexicon.hash(key) & mask
    return storage.withUnsafeBufferPointer { s in
      slots.withUnsafeBufferPointer { sl in
        while true {
          let e = Int(sl[h])
          if e < 0 { return false }
          if Int(lengths[e]) == key.count {
            let o = Int(offsets[e])
            var same = true
            for k in 0..<key.count where s[o + k] != key[k] {
              same = false
              break
            }
            if same { return true }
          }
          h = (h + 1) & mask
        }
      }
    }
  }

  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt16>) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for u in key {
      h ^= UInt64(u)
      h &*= 0x0000_0100_0000_01b3
    }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }
}
