/// Chinese word segmentation: ICU's dictionary word break (`zh`), then the
/// hotline lexicon merged over ICU's output.
///
/// Merge rule: adjacent ICU word tokens (no space or punctuation between them)
/// whose concatenation is a lexicon word become one token, longest match
/// first, scanning left to right (扰+民 → 扰民, 住+建+局 → 住建局,
/// 农民+工 → 农民工). Only **whole** ICU tokens are merged: a lexicon word that
/// starts or ends inside an ICU token (ICU 区菜 / 市场 for 菜市场) is not
/// recovered, because re-splitting ICU's dictionary words would trade one
/// error for another without a model to arbitrate. Lexicon entries therefore
/// work best when they are unions of ICU tokens, which is how the built-in
/// lexicon was written.
///
/// One segmenter per thread (it reuses one ICU iterator and its buffers); it
/// is not `Sendable`. The lexicon itself is an immutable, shareable value.
public final class WordSegmenter {
  /// What a token is.
  public enum Kind: Int32, Sendable {
    /// Punctuation or symbols (never whitespace: that is always dropped).
    case punctuation = 0
    case number = 100
    case letter = 200
    case kana = 300
    case ideographic = 400
  }

  public let lexicon: Lexicon
  private let breaker: ICUWordBreaker
  private var units: [UInt16] = []
  // Merged tokens of the last call.
  private var tokStarts: [Int32] = []
  private var tokEnds: [Int32] = []
  private var tokKinds: [Int32] = []
  private var tokCount = 0

  /// - Parameter lexicon: words to keep whole; `.empty` gives ICU alone.
  public init(lexicon: Lexicon = .hotline) throws(ICUError) {
    self.lexicon = lexicon
    self.breaker = try ICUWordBreaker(locale: "zh")
  }

  /// The words of `text`: punctuation and whitespace dropped, numbers and
  /// Latin words kept as tokens.
  public func words(in text: String) -> [String] {
    tokens(in: text, includePunctuation: false)
  }

  /// The tokens of `text` as Strings; with `includePunctuation`, punctuation
  /// and symbols are kept as tokens too (whitespace never is), so the tokens
  /// concatenate to the text without its whitespace.
  public func tokens(in text: String, includePunctuation: Bool) -> [String] {
    var out: [String] = []
    out.reserveCapacity(text.utf8.count / 4)
    forEachToken(in: text, includePunctuation: includePunctuation) { u, _ in
      out.append(String(decoding: u, as: UTF16.self))
    }
    return out
  }

  /// Counts the words of `text` without building Strings.
  public func countWords(in text: String) -> Int {
    run(text, includeNone: false)
    return tokCount
  }

  /// Visits each token as UTF-16 code units (valid only inside `body`) and
  /// its kind, without allocating Strings.
  public func forEachToken(
    in text: String, includePunctuation: Bool = false,
    _ body: (UnsafeBufferPointer<UInt16>, Kind) -> Void
  ) {
    run(text, includeNone: includePunctuation)
    units.withUnsafeBufferPointer { u in
      for i in 0..<tokCount {
        let s = Int(tokStarts[i])
        let e = Int(tokEnds[i])
        body(UnsafeBufferPointer(rebasing: u[s..<e]), Kind(rawValue: tokKinds[i]) ?? .punctuation)
      }
    }
  }

  // MARK: - Core

  private func run(_ text: String, includeNone: Bool) {
    units.removeAll(keepingCapacity: true)
    units.append(contentsOf: text.utf16)
    tokCount = 0
    if units.isEmpty { return }
    if tokStarts.count < units.count + 1 {
      let c = max(64, units.count + 1)
      tokStarts = .init(repeating: 0, count: c)
      tokEnds = tokStarts
      tokKinds = tokStarts
    }
    let lex = lexicon
    let maxLen = lex.maxLength
    units.withUnsafeBufferPointer { u in
      let n = breaker.segment(u, includeNone: includeNone)
      breaker.starts.withUnsafeBufferPointer { st in
        breaker.ends.withUnsafeBufferPointer { en in
          breaker.kinds.withUnsafeBufferPointer { kd in
            tokStarts.withUnsafeMutableBufferPointer { os in
              tokEnds.withUnsafeMutableBufferPointer { oe in
                tokKinds.withUnsafeMutableBufferPointer { ok in
                  var m = 0
                  var i = 0
                  while i < n {
                    let s = Int(st[i])
                    var kind = kd[i]
                    if kind == 0 {
                      // Drop whitespace; keep punctuation (only present when asked).
                      if u[s] == 0x20 || u[s] == 0x3000 || (u[s] >= 0x09 && u[s] <= 0x0D) || u[s] == 0xA0 {
                        i += 1
                        continue
                      }
                      os[m] = st[i]; oe[m] = en[i]; ok[m] = 0; m += 1
                      i += 1
                      continue
                    }
                    // Longest run of adjacent word tokens that fits the lexicon.
                    var j = i + 1
                    if maxLen > 0 {
                      var limit = i + 1
                      while limit < n && kd[limit] != 0 && st[limit] == en[limit - 1]
                        && Int(en[limit]) - s <= maxLen
                      {
                        limit += 1
                      }
                      var k = limit
                      while k > i + 1 {
                        let e = Int(en[k - 1])
                        if lex.contains(UnsafeBufferPointer(rebasing: u[s..<e])) { break }
                        k -= 1
                      }
                      j = k
                      if j > i + 1 {
                        // A merged token is ideographic if any part is.
                        for t in i..<j where kd[t] == 400 { kind = 400 }
                      }
                    }
                    os[m] = st[i]; oe[m] = en[j - 1]; ok[m] = (kind / 100) * 100; m += 1
                    i = j
                  }
                  tokCount = m
                }
              }
            }
          }
        }
      }
    }
  }
}
