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
  private func needsTransliteration(_ s: String) -> Bool {
    let table = TextNormalizer.changeable
    for u in s.utf16 {
      if u < 0x80 { continue }
      if u >= 0xD800 && u <= 0xDFFF { return true }  // outside the BMP: let ICU decide
      if table[Int(u) >> 6] & (1 << UInt64(u & 63)) != 0 { return true }
    }
    return false
  }

  /// A bit per BMP code point: 1 if the transliterator changes it on its own.
  /// Built once per process by running the transliterator over the ranges
  /// that hold CJK, full-width and other non-ASCII letters and digits.
  static let changeable: [UInt64] = {
    var bits = [UInt64](repeating: 0, count: 1024)
    guard let t = try? ICUTransliterator(id: transliteratorID) else {
      return [UInt64](repeating: ~0, count: 1024)  // no ICU: never skip
    }
    // Separate characters with a newline so each is transliterated alone
    // (the rules used here are per-character).
    var input: [UInt16] = []
    input.reserveCapacity(2 * 0xFF80)
    for u in 0x80..<0xD800 { input.append(UInt16(u)); input.append(0x0A) }
    for u in 0xE000...0xFFFF where u != 0xFFFF { input.append(UInt16(u)); input.append(0x0A) }
    let out = t.apply(input)
    if out.count == input.count {
      // Same length: compare position by position.
      var i = 0
      while i < input.count {
        if out[i] != input[i] { bits[Int(input[i]) >> 6] |= 1 << UInt64(input[i] & 63) }
        i += 2
      }
    } else {
      // Lengths changed somewhere: fall back to one call per line.
      var i = 0
      while i < input.count {
        let u = input[i]
        if t.apply([u]) != [u] { bits[Int(u) >> 6] |= 1 << UInt64(u & 63) }
        i += 2
      }
    }
    return bits
  }()

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
