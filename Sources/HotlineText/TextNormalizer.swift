/// Cleans ticket text before analysis, in this order:
/// 1. PII masked (`PII.mask`: phones, ID numbers, plates) — first, so later
///    steps never see or reshape the raw numbers;
/// 2. ICU `Traditional-Simplified; [[:Nd:][:Latin:]\u3000] Fullwidth-Halfwidth`:
///    traditional → simplified, full-width letters, digits and ideographic space
///    → half-width, Chinese punctuation (，。！？：；) kept;
/// 3. whitespace runs → one space; runs of one repeated punctuation mark
///    → one mark (！！！ → ！, 。。。 → 。);
/// 4. trimmed.
///
/// The configuration is `Sendable`; the normaliser holds an ICU transliterator
/// and is not: use one per thread. The transliterator is skipped when no
/// character of the text can change (checked against a table built once).
public final class TextNormalizer {
  public struct Configuration: Sendable, Equatable {
    public var maskPII = true
    public var simplify = true  // traditional → simplified + full-width → half-width
    public var collapseWhitespace = true
    public var collapseRepeatedPunctuation = true
    public init(
      maskPII: Bool = true, simplify: Bool = true, collapseWhitespace: Bool = true,
      collapseRepeatedPunctuation: Bool = true
    ) {
      self.maskPII = maskPII
      self.simplify = simplify
      self.collapseWhitespace = collapseWhitespace
      self.collapseRepeatedPunctuation = collapseRepeatedPunctuation
    }
  }

  public static let transliteratorID =
    "Traditional-Simplified; [[:Nd:][:Latin:]\\u3000] Fullwidth-Halfwidth"

  public let configuration: Configuration
  private let translit: ICUTransliterator?

  public init(_ configuration: Configuration = Configuration()) throws(ICUError) {
    self.configuration = configuration
    translit = configuration.simplify ? try ICUTransliterator(id: TextNormalizer.transliteratorID) : nil
  }

  public func normalize(_ text: String) -> String {
    var s = configuration.maskPII ? PII.mask(text) : text
    if let translit, needsTransliteration(s) { s = translit.apply(s) }
    return collapse(s)
  }

  // MARK: - Fast path

  /// Whether any character of `s` may be changed by the transliterator.
  /// Read on the UTF-8 bytes: a BMP code point is its own UTF-16 unit.
  private func needsTransliteration(_ s: String) -> Bool {
    var s = s
    return TextNormalizer.changeable.withUnsafeBufferPointer { table in
      s.withUTF8 { b in
        var i = 0
        let n = b.count
        while i < n {
          let b0 = UInt32(b[i])
          let u: UInt32
          if b0 < 0x80 {
            i += 1
            continue
          } else if b0 < 0xE0 {
            u = ((b0 & 0x1F) << 6) | (UInt32(b[i + 1]) & 0x3F)
            i += 2
          } else if b0 < 0xF0 {
            u = ((b0 & 0x0F) << 12) | ((UInt32(b[i + 1]) & 0x3F) << 6) | (UInt32(b[i + 2]) & 0x3F)
            i += 3
          } else {
            return true  // outside the BMP: let ICU decide
          }
          if table[Int(u >> 6)] & (1 << UInt64(u & 63)) != 0 { return true }
        }
        return false
      }
    }
  }

  /// A bit per BMP code point: 1 if the transliterator changes it on its own.
  /// Built once per process by running the transliterator over the code
  /// points ICU says it may modify (its source set, filters ignored) and the
  /// full-width forms, each alone; the same table as running it over the
  /// whole BMP (`changeableByFullScan`, checked by a test), about 20 times
  /// faster.
  static let changeable: [UInt64] = {
    guard let t = try? ICUTransliterator(id: transliteratorID) else {
      return [UInt64](repeating: ~0, count: 1024)  // no ICU: never skip
    }
    guard let source = t.sourceRanges() else { return changeableByFullScan(t) }
    // ICU leaves the filtered Fullwidth-Halfwidth step out of the source
    // set: add the ideographic space and the Halfwidth and Fullwidth Forms.
    let ranges = source + [0x3000...0x3000, 0xFF00...0xFFEF]
    var candidates: [UInt16] = []
    for r in ranges {
      for u in r where u >= 0x80 && !(u >= 0xD800 && u <= 0xDFFF) && u != 0xFFFF { candidates.append(u) }
    }
    return changedAlone(candidates, t)
  }()

  /// The table from every BMP code point (the reference `changeable` must equal).
  static func changeableByFullScan(_ t: ICUTransliterator) -> [UInt64] {
    var candidates: [UInt16] = []
    candidates.reserveCapacity(0xFF80)
    for u in 0x80..<0xD800 { candidates.append(UInt16(u)) }
    for u in 0xE000...0xFFFF where u != 0xFFFF { candidates.append(UInt16(u)) }
    return changedAlone(candidates, t)
  }

  static func changeableByFullScan() -> [UInt64]? {
    (try? ICUTransliterator(id: transliteratorID)).map { changeableByFullScan($0) }
  }

  /// Bits of the candidates that the transliterator changes when alone.
  private static func changedAlone(_ candidates: [UInt16], _ t: ICUTransliterator) -> [UInt64] {
    var bits = [UInt64](repeating: 0, count: 1024)
    // Separate characters with a newline so each is transliterated alone
    // (the rules used here are per-character).
    var input: [UInt16] = []
    input.reserveCapacity(2 * candidates.count)
    for u in candidates { input.append(u); input.append(0x0A) }
    let out = t.apply(input)
    if out.count == input.count {
      // Same length: compare position by position.
      var i = 0
      while i < input.count {
        if out[i] != input[i] { bits[Int(input[i]) >> 6] |= 1 << UInt64(input[i] & 63) }
        i += 2
      }
    } else {
      // Lengths changed somewhere: fall back to one call per character.
      for u in candidates where t.apply([u]) != [u] { bits[Int(u) >> 6] |= 1 << UInt64(u & 63) }
    }
    return bits
  }

  // MARK: - Collapsing

  /// Unicode White_Space, without the property lookup for the common case.
  @inline(__always)
  static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
    let v = c.value
    if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
    if v >= 0x3001 && v < 0xFEFF { return false }  // CJK and most of the BMP
    return c.properties.isWhitespace
  }

  private func collapse(_ s: String) -> String {
    let cws = configuration.collapseWhitespace
    let cp = configuration.collapseRepeatedPunctuation
    if !cws && !cp { return s }
    if cws && !collapseChanges(s, punctuation: cp) { return s }
    if cws { return collapseUTF8(s, punctuation: cp) }
    var out = String.UnicodeScalarView()
    var pendingSpace = false
    var last: Unicode.Scalar? = nil
    for c in s.unicodeScalars {
      if cws && Self.isWhitespace(c) {
        pendingSpace = !out.isEmpty
        continue
      }
      if pendingSpace {
        out.append(" ")
        pendingSpace = false
        last = " "
      }
      // —— and …… are single marks written twice, and * is PII's mask: keep them.
      if cp && c == last && Self.isPunctuation(c) && !Self.keepRepeated.contains(c) { continue }
      out.append(c)
      last = c
    }
    var r = String(out)
    if !cws { r = r.trimmingWhitespace() }
    return r
  }

  /// `collapse` with whitespace collapsed, on the text's UTF-8 bytes
  /// (copied through unchanged, no per-character String appends).
  private func collapseUTF8(_ s: String, punctuation cp: Bool) -> String {
    var s = s
    return s.withUTF8 { b -> String in
      var out: [UInt8] = []
      out.reserveCapacity(b.count)
      var pendingSpace = false
      var last: UInt32 = 0xFFFF_FFFF  // none
      var i = 0
      while i < b.count {
        let b0 = b[i]
        var v: UInt32
        let len: Int
        if b0 < 0x80 {
          v = UInt32(b0)
          len = 1
        } else if b0 < 0xE0 {
          v = UInt32(b0 & 0x1F)
          len = 2
        } else if b0 < 0xF0 {
          v = UInt32(b0 & 0x0F)
          len = 3
        } else {
          v = UInt32(b0 & 0x07)
          len = 4
        }
        for k in 1..<len { v = (v << 6) | UInt32(b[i + k] & 0x3F) }
        let c = Unicode.Scalar(v) ?? " "
        if Self.isWhitespace(c) {
          pendingSpace = !out.isEmpty
          i += len
          continue
        }
        if pendingSpace {
          out.append(0x20)
          pendingSpace = false
          last = 0x20
        }
        // —— and …… are single marks written twice, and * is PII's mask: keep them.
        if cp && v == last && Self.isPunctuation(c) && !Self.keepRepeated.contains(c) {
          i += len
          continue
        }
        for k in 0..<len { out.append(b[i + k]) }
        last = v
        i += len
      }
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// Whether `collapse` (whitespace collapsed) would change `s`: a
  /// whitespace character other than one space between two other
  /// characters, or (with `punctuation`) a punctuation mark repeated. Most
  /// texts need no change, and checking is much cheaper than rebuilding.
  private func collapseChanges(_ s: String, punctuation: Bool) -> Bool {
    var last: Unicode.Scalar? = nil
    for c in s.unicodeScalars {
      if c == " " {
        if last == nil || last == " " { return true }
      } else if Self.isWhitespace(c) {
        return true
      } else if punctuation && c == last && Self.isPunctuation(c) && !Self.keepRepeated.contains(c) {
        return true
      }
      last = c
    }
    return last == " "
  }

  static let keepRepeated: Set<Unicode.Scalar> = ["—", "…", "*", "-", "_", "·"]

  static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation:
      return true
    default:
      return false
    }
  }
}

extension String {
  fileprivate func trimmingWhitespace() -> String {
    let sc = unicodeScalars
    guard let a = sc.firstIndex(where: { !$0.properties.isWhitespace }),
      let b = sc.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(sc[a...b])
  }
}
