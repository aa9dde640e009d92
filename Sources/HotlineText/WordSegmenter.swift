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
  /// Whether numbers and dates are joined as the PKU standard does (2001年,
  /// 十二月, 31日, 50%, 3亿), along with runs of —/… and X化 / X主义 words.
  public let numberRules: Bool
  private let breaker: ICUWordBreaker
  /// Per first UTF-16 unit: the longest lexicon word starting with it (0:
  /// none), so most tokens skip the lexicon with one array read.
  private let firstUnitMax: [UInt8]
  // One thread at a time uses a segmenter, so its buffers skip the dynamic
  // exclusivity checks.
  @exclusivity(unchecked) private var units: [UInt16] = []
  // Merged tokens of the last call.
  @exclusivity(unchecked) private var tokStarts: [Int32] = []
  @exclusivity(unchecked) private var tokEnds: [Int32] = []
  @exclusivity(unchecked) private var tokKinds: [Int32] = []
  @exclusivity(unchecked) private var tokCount = 0

  /// - Parameter lexicon: words to keep whole; `.empty` gives ICU alone.
  ///   `numberRules`: see the property.
  public init(lexicon: Lexicon = .hotline, numberRules: Bool = true) throws(ICUError) {
    self.lexicon = lexicon
    self.numberRules = numberRules
    var table = [UInt8](repeating: 0, count: 65536)
    for w in lexicon.words {
      let units = Array(w.utf16)
      table[Int(units[0])] = max(table[Int(units[0])], UInt8(min(255, units.count)))
    }
    self.firstUnitMax = table
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
    forEachTokenUTF8(in: text, includeNone: includePunctuation) {
      out.append(String(decoding: $0, as: UTF8.self))
    }
    return out
  }

  @exclusivity(unchecked) private var utf8Offsets: [Int32] = []

  /// Visits each word of `text` (the tokens `words(in:)` returns, in order)
  /// as its UTF-8 bytes, valid only inside `body`, without building Strings.
  public func forEachWordUTF8(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    forEachTokenUTF8(in: text, includeNone: false, body)
  }

  /// Visits each token of valid UTF-8 text `bytes` (as `tokens(in:includePunctuation:)`
  /// would return them for that text) as its UTF-8 bytes, valid only inside `body`.
  public func forEachTokenUTF8(
    inUTF8 bytes: UnsafeBufferPointer<UInt8>, includePunctuation: Bool,
    _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    segmentUTF8(bytes, includeNone: includePunctuation, body)
  }

  private func forEachTokenUTF8(
    in text: String, includeNone: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    var text = text
    text.withUTF8 { segmentUTF8($0, includeNone: includeNone, body) }
  }

  /// Segments UTF-8 text: its UTF-16 units for ICU and, per unit, the offset
  /// of its character's first byte come from one pass over the bytes; each
  /// token is then visited as its bytes.
  private func segmentUTF8(
    _ bytes: UnsafeBufferPointer<UInt8>, includeNone: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    units.removeAll(keepingCapacity: true)
    utf8Offsets.removeAll(keepingCapacity: true)
    units.reserveCapacity(bytes.count)
    utf8Offsets.reserveCapacity(bytes.count + 1)
    var i = 0
    let n = bytes.count
    while i < n {
      let b = UInt32(bytes[i])
      if b < 0x80 {
        units.append(UInt16(b))
        utf8Offsets.append(Int32(i))
        i += 1
      } else if b < 0xE0 {
        units.append(UInt16(((b & 0x1F) << 6) | (UInt32(bytes[i + 1]) & 0x3F)))
        utf8Offsets.append(Int32(i))
        i += 2
      } else if b < 0xF0 {
        units.append(
          UInt16(((b & 0x0F) << 12) | ((UInt32(bytes[i + 1]) & 0x3F) << 6) | (UInt32(bytes[i + 2]) & 0x3F)))
        utf8Offsets.append(Int32(i))
        i += 3
      } else {
        let v = ((b & 0x07) << 18) | ((UInt32(bytes[i + 1]) & 0x3F) << 12)
          | ((UInt32(bytes[i + 2]) & 0x3F) << 6) | (UInt32(bytes[i + 3]) & 0x3F)
        let w = v - 0x10000
        units.append(UInt16(0xD800 + (w >> 10)))
        units.append(UInt16(0xDC00 + (w & 0x3FF)))
        utf8Offsets.append(Int32(i))
        utf8Offsets.append(Int32(i))
        i += 4
      }
    }
    utf8Offsets.append(Int32(n))
    runUnits(includeNone: includeNone)
    if tokCount == 0 { return }
    utf8Offsets.withUnsafeBufferPointer { off in
      for k in 0..<tokCount {
        let s = Int(off[Int(tokStarts[k])]), e = Int(off[Int(tokEnds[k])])
        body(UnsafeBufferPointer(rebasing: bytes[s..<e]))
      }
    }
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
    runUnits(includeNone: includeNone)
  }

  /// Segments `units` into `tokStarts`/`tokEnds`/`tokKinds`/`tokCount`.
  private func runUnits(includeNone: Bool) {
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
    let rules = numberRules
    firstUnitMax.withUnsafeBufferPointer { firstMax in
    units.withUnsafeBufferPointer { u in
      // Punctuation is always requested from ICU (the number rules look at
      // % and dashes) and dropped at the end unless asked for.
      var n = breaker.segment(u, includeNone: true)
      if rules {
        n = splitNumeralClassifiers(u, n)
        markCircleZeros(u, n)
      }
      breaker.starts.withUnsafeBufferPointer { st in
        breaker.ends.withUnsafeBufferPointer { en in
          breaker.kinds.withUnsafeBufferPointer { kd in
            tokStarts.withUnsafeMutableBufferPointer { os in
              tokEnds.withUnsafeMutableBufferPointer { oe in
                tokKinds.withUnsafeMutableBufferPointer { ok in
                  let toks = ICUTokens(u: u, st: st, en: en, kd: kd, n: n)
                  var m = 0
                  var i = 0
                  while i < n {
                    let s = Int(st[i])
                    var kind = kd[i]
                    if kind == 0 {
                      if toks.isSpace(i) {
                        i += 1
                        continue
                      }
                      // Runs of one dash or ellipsis mark are one token (——, ……).
                      var j = i + 1
                      if rules && toks.isRepeatableMark(i) {
                        while j < n && toks.adjacent(j) && toks.sameSingleChar(j, i) { j += 1 }
                      }
                      if includeNone {
                        os[m] = st[i]; oe[m] = en[j - 1]; ok[m] = 0; m += 1
                      }
                      i = j
                      continue
                    }
                    // Longest run of adjacent word tokens that fits the lexicon.
                    var j = i + 1
                    let maxHere = maxLen > 0 ? Int(firstMax[Int(u[s])]) : 0
                    if maxHere > Int(en[i]) - s {
                      var limit = i + 1
                      while limit < n && kd[limit] != 0 && toks.adjacent(limit)
                        && Int(en[limit]) - s <= maxHere
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
                    }
                    if j == i + 1 && rules { j = toks.ruleMerge(i) }
                    if j > i + 1 {
                      // A merged token is ideographic if any part is.
                      for t in i..<j where kd[t] == 400 { kind = 400 }
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
}

extension WordSegmenter {
  /// Calls `body` with the clauses of valid UTF-8 text `bytes`, in order
  /// (each valid only inside `body`; together they are the text), cut so
  /// that the tokens of the text are the tokens of its clauses, each
  /// segmented alone, one after the other: a caller can segment a clause
  /// that repeats an earlier one once and reuse its tokens.
  ///
  /// A clause ends after a mark ，。！？；：、 , . ! ? ; : or a space or
  /// line feed that follows a Han character and precedes a Han character,
  /// a printable ASCII character, a full-width form, 、。 or an opening
  /// bracket or quote (〈《「『【 ‘’“”). There ICU breaks on both sides of the mark (no word-break rule
  /// joins a mark to a Han character before it, nor to what follows it
  /// unless a letter or digit precedes it; none of the characters allowed
  /// after it extends or joins the mark), the mark ends ICU's dictionary run,
  /// and the lexicon and number rules never merge across a punctuation or
  /// space token. Checked on the whole PKU test set and the topic inputs
  /// (`hotline segment --by-clause`) and by the segmentation tests.
  public static func forEachClause(
    inUTF8 bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    let n = bytes.count
    var start = 0
    var i = 0
    var afterHan = false
    while i < n {
      let (c, len) = scalar(bytes, i)
      let end = i + len
      if afterHan && end < n && isClauseMark(c) && canStartClause(scalar(bytes, end).value) {
        body(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        start = end
        afterHan = false
      } else {
        afterHan = isHan(c)
      }
      i = end
    }
    if start < n { body(UnsafeBufferPointer(rebasing: bytes[start..<n])) }
  }

  /// The code point at byte `i` of valid UTF-8 and its length in bytes.
  @inline(__always)
  private static func scalar(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
    let b0 = UInt32(b[i])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return (((b0 & 0x1F) << 6) | (UInt32(b[i + 1]) & 0x3F), 2) }
    if b0 < 0xF0 {
      return (((b0 & 0x0F) << 12) | ((UInt32(b[i + 1]) & 0x3F) << 6) | (UInt32(b[i + 2]) & 0x3F), 3)
    }
    return (
      ((b0 & 0x07) << 18) | ((UInt32(b[i + 1]) & 0x3F) << 12) | ((UInt32(b[i + 2]) & 0x3F) << 6)
        | (UInt32(b[i + 3]) & 0x3F), 4
    )
  }

  @inline(__always)
  private static func isHan(_ c: UInt32) -> Bool {
    (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)
  }

  @inline(__always)
  private static func isClauseMark(_ c: UInt32) -> Bool {
    switch c {
    case 0x20, 0x0A, 0x21, 0x2C, 0x2E, 0x3A, 0x3B, 0x3F,  // space, line feed, ! , . : ; ?
      0xFF0C, 0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A, 0x3001:  // ，。！？；：、
      return true
    default: return false
    }
  }

  @inline(__always)
  private static func canStartClause(_ c: UInt32) -> Bool {
    if isHan(c) || (c >= 0x21 && c <= 0x7E) || (c >= 0xFF01 && c <= 0xFF5E) { return true }
    switch c {
    case 0x3001, 0x3002, 0x3008, 0x300A, 0x300C, 0x300E, 0x3010,  // 、。〈《「『【
      0x2018, 0x2019, 0x201C, 0x201D:  // ‘’“”
      return true
    default: return false
    }
  }
}

extension WordSegmenter {
  /// PKU keeps a numeral and its classifier apart (一 年, 三 个 月, 第一 次) where
  /// ICU's dictionary joins them (一年, 三个月, 第一次): an ideographic ICU token
  /// made of [第] numerals + classifiers is split in place, numerals first, then
  /// one token per classifier. Dates are put back together by the merge rules
  /// (一 + 月 → 一月). Returns the new token count.
  fileprivate func splitNumeralClassifiers(_ u: UnsafeBufferPointer<UInt16>, _ n: Int) -> Int {
    // Find the first token to split; most texts have none.
    var first = -1
    for i in 0..<n where breaker.kinds[i] == 400 && Self.numeralClassifierPrefix(u, breaker.starts[i], breaker.ends[i]) > 0 {
      first = i
      break
    }
    if first < 0 { return n }
    var s2 = Array(breaker.starts[0..<first])
    var e2 = Array(breaker.ends[0..<first])
    var k2 = Array(breaker.kinds[0..<first])
    for i in first..<n {
      let s = breaker.starts[i]
      let e = breaker.ends[i]
      let p = breaker.kinds[i] == 400 ? Self.numeralClassifierPrefix(u, s, e) : 0
      if p == 0 {
        s2.append(s); e2.append(e); k2.append(breaker.kinds[i])
        continue
      }
      s2.append(s); e2.append(s + Int32(p)); k2.append(400)
      var c = s + Int32(p)
      while c < e {
        s2.append(c); e2.append(c + 1); k2.append(400)
        c += 1
      }
    }
    let m = s2.count
    if breaker.starts.count < m {
      breaker.starts += .init(repeating: 0, count: m - breaker.starts.count)
      breaker.ends += .init(repeating: 0, count: m - breaker.ends.count)
      breaker.kinds += .init(repeating: 0, count: m - breaker.kinds.count)
    }
    for i in 0..<m {
      breaker.starts[i] = s2[i]
      breaker.ends[i] = e2[i]
      breaker.kinds[i] = k2[i]
    }
    return m
  }

  /// ICU classes ○ (U+25CB, written for zero in 二○○一) as a symbol: next to
  /// a Chinese numeral it becomes ideographic so the numeral rules see it.
  fileprivate func markCircleZeros(_ u: UnsafeBufferPointer<UInt16>, _ n: Int) {
    for i in 0..<n where breaker.kinds[i] == 0 && u[Int(breaker.starts[i])] == 0x25CB {
      let prev = i > 0 && breaker.ends[i - 1] == breaker.starts[i]
        && ICUTokens.chineseNumerals.contains(u[Int(breaker.ends[i - 1]) - 1])
      let next = i + 1 < n && breaker.starts[i + 1] == breaker.ends[i]
        && ICUTokens.chineseNumerals.contains(u[Int(breaker.starts[i + 1])])
      if prev || next { breaker.kinds[i] = 400 }
    }
  }

  /// Length of the numeral part ([第] + numerals) when the token u[s..<e] is
  /// numerals followed only by classifiers; 0 otherwise.
  fileprivate static func numeralClassifierPrefix(_ u: UnsafeBufferPointer<UInt16>, _ s: Int32, _ e: Int32) -> Int {
    var k = Int(s)
    let end = Int(e)
    if end - k < 2 { return 0 }
    if u[k] == 0x7B2C { k += 1 }  // 第
    let numStart = k
    while k < end && ICUTokens.chineseNumerals.contains(u[k]) { k += 1 }
    if k == numStart || k == end { return 0 }
    let p = k - Int(s)
    while k < end {
      if !classifiers.contains(u[k]) { return 0 }
      k += 1
    }
    return p
  }

  static let classifiers = UnitSet(
    "年月日天次个位条种批项家件名只张本台辆所座场期届份支句层栋户元岁周倍号秒股片遍趟篇首封笔架艘颗棵群类套双对届轮季")
}

/// ICU's segments of one text, with the helpers of the merge rules.
private struct ICUTokens {
  let u: UnsafeBufferPointer<UInt16>
  let st: UnsafeBufferPointer<Int32>
  let en: UnsafeBufferPointer<Int32>
  let kd: UnsafeBufferPointer<Int32>
  let n: Int

  @inline(__always) func len(_ i: Int) -> Int { Int(en[i] - st[i]) }
  @inline(__always) func first(_ i: Int) -> UInt16 { u[Int(st[i])] }
  /// Token i starts where token i-1 ends.
  @inline(__always) func adjacent(_ i: Int) -> Bool { st[i] == en[i - 1] }

  func isSpace(_ i: Int) -> Bool {
    let c = first(i)
    return c == 0x20 || c == 0x3000 || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x2028
  }

  func isRepeatableMark(_ i: Int) -> Bool {
    len(i) == 1 && (first(i) == 0x2014 || first(i) == 0x2026)  // — …
  }

  func sameSingleChar(_ j: Int, _ i: Int) -> Bool { len(j) == 1 && first(j) == first(i) }

  func isSingle(_ i: Int, _ c: UInt16) -> Bool { len(i) == 1 && first(i) == c }

  /// All characters are Chinese numerals (〇○零一二三四五六七八九十百千万亿两).
  func isChineseNumeral(_ i: Int) -> Bool {
    for k in Int(st[i])..<Int(en[i]) where !ICUTokens.chineseNumerals.contains(u[k]) { return false }
    return true
  }

  func isDigitByDigit(_ s: Int, _ e: Int) -> Bool {  // 二○○一
    for k in s..<e where !ICUTokens.chineseDigits.contains(u[k]) { return false }
    return true
  }

  /// Value of a small Chinese numeral (一 … 九十九) or Arabic number; nil otherwise.
  func smallValue(_ i: Int, _ end: Int) -> Int? {
    if kd[i] == 100 {
      var v = 0
      for k in Int(st[i])..<Int(en[i]) {
        var c = Int(u[k])
        if c >= 0xFF10 && c <= 0xFF19 { c -= 0xFF10 - 0x30 }
        guard c >= 0x30 && c <= 0x39, v < 1000 else { return nil }
        v = v * 10 + c - 0x30
      }
      return v
    }
    var v = 0
    var cur = 0
    for k in Int(st[i])..<end {
      let c = u[k]
      if c == 0x5341 {  // 十
        v += (cur == 0 ? 1 : cur) * 10
        cur = 0
      } else if let d = ICUTokens.digitValue[c] {
        cur = d
      } else {
        return nil
      }
    }
    return v + cur
  }

  func arabicDigits(_ i: Int) -> Int {
    kd[i] == 100 ? len(i) : 0
  }

  /// Numbers and dates as one word (the PKU convention): 2001年, 二○○一年,
  /// 12月, 十二月, 31日, 三十一日, 50%, 1万, 3亿; ideographic words ending in
  /// 化 or 主义 (现代化, 社会主义). Returns the end (exclusive) of the merged run.
  func ruleMerge(_ i: Int) -> Int {
    let isArabic = kd[i] == 100 && ICUTokens.isDigit(first(i))
    let isChinese = !isArabic && kd[i] == 400 && isChineseNumeral(i)
    if isArabic || isChinese {
      var j = i + 1
      // 1万, 3亿, 1万亿
      if isArabic && j < n && adjacent(j) && kd[j] == 400 && isUnits(j) { j += 1 }
      // 二 ○ ○ 一, 三十 一: one numeral
      if isChinese {
        while j < n && adjacent(j) && kd[j] == 400 && isChineseNumeral(j) { j += 1 }
      }
      guard j < n && adjacent(j) && len(j) == 1 else { return j }
      let c = first(j)
      let numEnd = Int(en[j - 1])
      if c == 0x5E74 {  // 年: a year, four Arabic digits or spelled digit by digit
        if (isArabic && j == i + 1 && (arabicDigits(i) == 4 || arabicDigits(i) == 2))
          || (isChinese && numEnd - Int(st[i]) >= 2 && isDigitByDigit(Int(st[i]), numEnd))
        {
          return j + 1
        }
      } else if c == 0x6708 {  // 月
        if isArabic && j != i + 1 { return j }
        if let v = smallValue(i, numEnd), v >= 1 && v <= 12 { return j + 1 }
      } else if c == 0x65E5 {  // 日
        if isArabic && j != i + 1 { return j }
        if let v = smallValue(i, numEnd), v >= 1 && v <= 31 { return j + 1 }
      } else if (c == 0x25 || c == 0xFF05) && isArabic {  // % ％
        return j + 1
      }
      return j
    }
    if kd[i] == 400 && len(i) >= 2 && i + 1 < n && adjacent(i + 1) {
      if isSingle(i + 1, 0x5316) { return i + 2 }  // 化
      if len(i + 1) == 2 && u[Int(st[i + 1])] == 0x4E3B && u[Int(st[i + 1]) + 1] == 0x4E49 {  // 主义
        return i + 2
      }
    }
    return i + 1
  }

  func isUnits(_ i: Int) -> Bool {
    for k in Int(st[i])..<Int(en[i]) where !(u[k] == 0x4E07 || u[k] == 0x4EBF || u[k] == 0x5343) {
      return false
    }
    return true
  }

  static func isDigit(_ c: UInt16) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0xFF10 && c <= 0xFF19) }

  static let chineseDigits = UnitSet("〇○零一二三四五六七八九")
  static let chineseNumerals = UnitSet("〇○零一二三四五六七八九十百千万亿两")
  static let digitValue: [UInt16: Int] = {
    var d: [UInt16: Int] = [:]
    for (k, c) in "〇一二三四五六七八九".utf16.enumerated() { d[c] = k }
    d["○".utf16.first!] = 0
    d["零".utf16.first!] = 0
    d["两".utf16.first!] = 2
    return d
  }()
}

/// A set of UTF-16 units as a bitmap: one array read per lookup, no hashing.
struct UnitSet: Sendable {
  private let bits: [UInt64]

  init(_ members: String) {
    var b = [UInt64](repeating: 0, count: 1024)
    for u in members.utf16 { b[Int(u >> 6)] |= 1 << UInt64(u & 63) }
    bits = b
  }

  @inline(__always) func contains(_ u: UInt16) -> Bool {
    bits.withUnsafeBufferPointer { $0[Int(u >> 6)] & (1 << UInt64(u & 63)) != 0 }
  }
}
