/// A dictionary-free tokenizer for Chinese text: overlapping character
/// bigrams within each run of Han characters, plus lower-cased ASCII words.
///
/// 小区停车难 → 小区 区停 停车 车难. A run of a single Han character gives no
/// token; ASCII words shorter than two characters or made only of digits are
/// dropped (dates, house numbers and masked phone numbers carry no topic).
/// Punctuation and everything else separates runs.
///
/// This is the development stand-in for a word segmenter and a fallback when
/// none is available; topic models over bigrams work well on short texts
/// because frequent words survive as their bigrams.
public struct BigramTokenizer: Sendable {
  public init() {}

  /// The tokens of `text`, in order.
  public func tokens(_ text: String) -> [String] {
    var out: [String] = []
    var previousHan: Unicode.Scalar? = nil
    var word = String.UnicodeScalarView()
    var wordHasLetter = false

    func flushWord() {
      if word.count >= 2 && wordHasLetter { out.append(String(word).lowercased()) }
      word = String.UnicodeScalarView()
      wordHasLetter = false
    }

    for scalar in text.unicodeScalars {
      if BigramTokenizer.isHan(scalar) {
        flushWord()
        if let p = previousHan {
          var pair = String.UnicodeScalarView()
          pair.append(p)
          pair.append(scalar)
          out.append(String(pair))
        }
        previousHan = scalar
      } else if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
        previousHan = nil
        word.append(scalar)
        if scalar.properties.isAlphabetic { wordHasLetter = true }
      } else {
        previousHan = nil
        flushWord()
      }
    }
    flushWord()
    return out
  }

  /// The tokenizer as a closure, for APIs that take `(String) -> [String]`.
  public var closure: @Sendable (String) -> [String] {
    let t = self
    return { t.tokens($0) }
  }

  /// CJK Unified Ideographs and extension A (and the compatibility block).
  static func isHan(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF, 0x20000...0x2A6DF: true
    default: false
    }
  }
}
