import Foundation

/// Personal data in ticket text: phone numbers, ID numbers, licence plates.
///
/// `PII.mask(_:)` is applied to every free-text field before it is stored or
/// printed, so nothing Hotline writes contains them. It is a hand-written
/// scanner (no regular expressions) because it runs over every ticket.
///
/// What it masks:
/// - mobile numbers `1[3-9]xxxxxxxxx`, optionally with `+86`/`86`/`0086` and
///   spaces or dashes between digit groups → `138****1234`;
/// - landlines with an area code (`010-12345678`, `0571 8888 6666`) → `010****5678`;
/// - 7–8 digit local numbers when the preceding words say they are a number
///   (电话, 号码, 座机, 手机, 联系, 拨打, 致电, tel) → `****5678`;
/// - 18- and 15-digit resident ID numbers → `110105********123X`;
/// - licence plates (`京B12345`, `粤B·D12345`) → `京B***45`.
/// Full-width digits and letters are recognised as well.
public enum PII {
  /// Returns `text` with phone, ID and plate numbers masked.
  ///
  /// Works on the UTF-8 bytes: unchanged spans are copied as they are and
  /// nothing is allocated when there is nothing to mask.
  /// - Complexity: O(n) in the length of `text`.
  public static func mask(_ text: String) -> String {
    var copy = text
    let masked: [UInt8]? = copy.withUTF8 { maskBytes($0) }
    guard let masked else { return text }
    return String(decoding: masked, as: UTF8.self)
  }

  /// Whether `text` still contains something `mask` would mask.
  public static func containsPII(_ text: String) -> Bool {
    var copy = text
    return copy.withUTF8 { maskBytes($0) } != nil
  }

  /// The masked bytes, or `nil` when nothing needs masking.
  static func maskBytes(_ p: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    let n = p.count
    var out: [UInt8]? = nil
    var copied = 0
    var i = 0
    @inline(__always) func emit(upTo start: Int, _ replacement: [UInt8], resumeAt end: Int) {
      if out == nil {
        out = []
        out!.reserveCapacity(n + 8)
      }
      out!.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<start]))
      out!.append(contentsOf: replacement)
      copied = end
    }
    while i < n {
      let b = p[i]
      if b < 0x80 {
        if (b &- 0x30 < 10 || b == 0x2B), let run = numberRun(p, from: i) {
          if let masked = classify(run, p, start: i) {
            emit(upTo: i, masked, resumeAt: run.end)
          }
          i = max(run.end, i + 1)
          continue
        }
        i += 1
        continue
      }
      if b == 0xEF, i + 2 < n, p[i + 1] == 0xBC, (p[i + 2] &- 0x90 < 10 || p[i + 2] == 0x8B),
        let run = numberRun(p, from: i)
      {
        if let masked = classify(run, p, start: i) {
          emit(upTo: i, masked, resumeAt: run.end)
        }
        i = max(run.end, i + 3)
        continue
      }
      // A licence plate starts with a province character (3 UTF-8 bytes)
      // followed by a capital letter.
      if b >= 0xE4 && b <= 0xE9, i + 3 < n, upperLetter(p, i + 3) != nil,
        provinces.contains(scalar3(p, i)), let plate = plateEnd(p, from: i + 3)
      {
        var masked = Array(UnsafeBufferPointer(rebasing: p[i..<(i + 3)]))
        masked.append(plate.letter)
        masked.append(contentsOf: [0x2A, 0x2A, 0x2A])
        masked.append(contentsOf: plate.tail)
        emit(upTo: i, masked, resumeAt: plate.end)
        i = plate.end
        continue
      }
      i += 1
    }
    guard var result = out else { return nil }
    result.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<n]))
    return result
  }

  // MARK: - Numbers

  struct Run {
    var digits: [UInt8]  // ASCII digits (and a trailing X for IDs)
    var end: Int  // byte index after the run
  }

  /// The digit at byte `i` (ASCII or full-width) and its length in bytes.
  @inline(__always) static func digit(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt8, Int)? {
    let b = p[i]
    if b &- 0x30 < 10 { return (b, 1) }
    if b == 0xEF, i + 2 < p.count, p[i + 1] == 0xBC, p[i + 2] &- 0x90 < 10 {
      return (p[i + 2] - 0x90 + 0x30, 3)
    }
    return nil
  }

  /// The length of a separator allowed between digit groups at `i`
  /// (space, -, －, —, ideographic space), or 0.
  @inline(__always) static func separator(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
    let b = p[i]
    if b == 0x20 || b == 0x2D { return 1 }
    if i + 2 < p.count {
      if b == 0xEF && p[i + 1] == 0xBC && p[i + 2] == 0x8D { return 3 }
      if b == 0xE2 && p[i + 1] == 0x80 && p[i + 2] == 0x94 { return 3 }
      if b == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x80 { return 3 }
    }
    return 0
  }

  @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool {
    (b &- 0x41 < 26) || (b &- 0x61 < 26)
  }

  /// A capital letter at `i` (ASCII or full-width) as ASCII, with its length.
  @inline(__always) static func upperLetter(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt8, Int)? {
    let b = p[i]
    if b &- 0x41 < 26 { return (b, 1) }
    if b == 0xEF, i + 2 < p.count, p[i + 1] == 0xBC, p[i + 2] &- 0xA1 < 26 {
      return (p[i + 2] - 0xA1 + 0x41, 3)
    }
    return nil
  }

  @inline(__always) static func scalar3(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
    (UInt32(p[i] & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6) | UInt32(p[i + 2] & 0x3F)
  }

  /// A digit run starting at `start`, allowing single separators between
  /// digit groups, an optional leading plus sign and a trailing X.
  static func numberRun(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Run? {
    var i = start
    if p[i] == 0x2B {
      i += 1
    } else if p[i] == 0xEF, i + 2 < p.count, p[i + 1] == 0xBC, p[i + 2] == 0x8B {
      i += 3
    }
    guard i < p.count, digit(p, i) != nil else { return nil }
    // A number glued to a preceding ASCII letter is a code, not a phone.
    if start > 0, isASCIILetter(p[start - 1]) { return nil }
    var digits: [UInt8] = []
    var end = i
    while i < p.count {
      if let (d, len) = digit(p, i) {
        digits.append(d)
        i += len
        end = i
        if digits.count > 20 { break }
      } else if !digits.isEmpty, case let sep = separator(p, i), sep > 0, i + sep < p.count,
        digit(p, i + sep) != nil
      {
        i += sep
      } else {
        break
      }
    }
    if digits.count == 17, end < p.count {
      if p[end] == 0x58 || p[end] == 0x78 {
        digits.append(0x58)
        end += 1
      } else if p[end] == 0xEF, end + 2 < p.count, p[end + 1] == 0xBC, p[end + 2] == 0xB8 {
        digits.append(0x58)
        end += 3
      }
    }
    return Run(digits: digits, end: end)
  }

  static func classify(_ run: Run, _ p: UnsafeBufferPointer<UInt8>, start: Int) -> [UInt8]? {
    var d = run.digits
    let n = d.count
    // Glued to a following ASCII letter: part of a longer code.
    if run.end < p.count, isASCIILetter(p[run.end]), n != 18 { return nil }
    // Country prefixes.
    if n == 13, d[0] == 0x38, d[1] == 0x36, isMobile(d[2...]) { d = Array(d[2...]) }
    if n == 15, d[0] == 0x30, d[1] == 0x30, d[2] == 0x38, d[3] == 0x36, isMobile(d[4...]) {
      d = Array(d[4...])
    }
    let stars: [UInt8] = [0x2A, 0x2A, 0x2A, 0x2A]
    if d.count == 11, isMobile(d[...]) { return Array(d[0..<3]) + stars + Array(d[7..<11]) }
    if (d.count == 18 && isID18(d)) || (d.count == 15 && isID15(d)) {
      return Array(d[0..<6]) + [UInt8](repeating: 0x2A, count: d.count - 10) + Array(d[(d.count - 4)...])
    }
    // Landline with area code: 0 + 2–3 digit area + 7–8 digit number.
    if d.count >= 10 && d.count <= 12 && d[0] == 0x30 && d[1] != 0x30 {
      return Array(d[0..<3]) + stars + Array(d[(d.count - 4)...])
    }
    // Service numbers 400/800 xxx xxxx.
    if d.count == 10, d[0] == 0x34 || d[0] == 0x38, d[1] == 0x30, d[2] == 0x30 {
      return Array(d[0..<3]) + stars + Array(d[(d.count - 3)...])
    }
    // Local numbers need context, so amounts and dates are left alone.
    if (d.count == 7 || d.count == 8) && phoneContext(p, before: start) {
      return stars + Array(d[(d.count - 4)...])
    }
    // A mobile number with one stray digit: masked too, better safe than sorry.
    if d.count == 12, isMobile(d[0..<11]) { return Array(d[0..<3]) + stars + Array(d[7...]) }
    return nil
  }

  static func isMobile(_ d: ArraySlice<UInt8>) -> Bool {
    let b = d.startIndex
    return d.count == 11 && d[b] == 0x31 && d[b + 1] >= 0x33 && d[b + 1] <= 0x39
  }

  static func isID18(_ d: [UInt8]) -> Bool {
    guard d[0] >= 0x31 && d[0] <= 0x39 else { return false }
    // Birth year 18xx, 19xx or 20xx, month 01–12.
    let y1 = d[6], y2 = d[7]
    let yearOK = (y1 == 0x31 && (y2 == 0x38 || y2 == 0x39)) || (y1 == 0x32 && y2 == 0x30)
    let month = Int(d[10] &- 0x30) * 10 + Int(d[11] &- 0x30)
    return yearOK && month >= 1 && month <= 12
  }

  static func isID15(_ d: [UInt8]) -> Bool {
    guard d[0] >= 0x31 && d[0] <= 0x39 else { return false }
    let month = Int(d[8] &- 0x30) * 10 + Int(d[9] &- 0x30)
    return month >= 1 && month <= 12
  }

  static let contextWords: [[UInt8]] = [
    "电话", "号码", "座机", "手机", "联系", "拨打", "致电", "热线", "tel", "TEL", "Tel", "电:", "电：",
  ].map { Array($0.utf8) }

  /// Whether one of the context words ends within the 8 characters before `start`.
  static func phoneContext(_ p: UnsafeBufferPointer<UInt8>, before start: Int) -> Bool {
    let lo = max(0, start - 24)
    let window = Array(p[lo..<start])
    for w in contextWords where window.count >= w.count {
      for k in 0...(window.count - w.count) where window[k..<(k + w.count)].elementsEqual(w) {
        return true
      }
    }
    return false
  }

  // MARK: - Plates

  static let provinces: Set<UInt32> = Set(
    "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼".unicodeScalars.map(\.value))

  /// The plate after a province character: `i` is the letter's byte index.
  static func plateEnd(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> (
    end: Int, letter: UInt8, tail: [UInt8]
  )? {
    guard let (letter, len) = upperLetter(p, i) else { return nil }
    var j = i + len
    if j < p.count {
      let b = p[j]
      if b == 0x2E || b == 0x20 || b == 0x2D {
        j += 1
      } else if b == 0xC2, j + 1 < p.count, p[j + 1] == 0xB7 {
        j += 2  // ·
      } else if b == 0xE2, j + 2 < p.count, p[j + 1] == 0x80, p[j + 2] == 0xA2 {
        j += 3  // •
      }
    }
    var chars: [UInt8] = []
    var digits = 0
    while j < p.count, chars.count < 6 {
      if let (d, l) = digit(p, j) {
        chars.append(d)
        digits += 1
        j += l
      } else if let (u, l) = upperLetter(p, j) {
        chars.append(u)
        j += l
      } else {
        break
      }
    }
    // A trailing 挂/学/警 belongs to the plate.
    if j + 2 < p.count, p[j] >= 0xE5 && p[j] <= 0xE8 {
      let s = scalar3(p, j)
      if s == 0x6302 || s == 0x5B66 || s == 0x8B66 { j += 3 }
    }
    guard chars.count >= 5, digits >= 2 else { return nil }
    // Followed by more alphanumerics: not a plate.
    if j < p.count, digit(p, j) != nil || upperLetter(p, j) != nil || isASCIILetter(p[j]) {
      return nil
    }
    return (j, letter, Array(chars.suffix(2)))
  }

  // MARK: - Scalars (used by PhoneNumber)

  @inline(__always) static func digit(_ s: Unicode.Scalar) -> UInt8? {
    let v = s.value
    if v >= 0x30 && v <= 0x39 { return UInt8(v) }
    if v >= 0xFF10 && v <= 0xFF19 { return UInt8(v - 0xFF10 + 0x30) }
    return nil
  }

  @inline(__always) static func isSeparator(_ s: Unicode.Scalar) -> Bool {
    s == " " || s == "-" || s == "－" || s == "—" || s == "\u{3000}"
  }
}

/// A caller's phone number (or account id), normalised for hashing and masking.
public enum PhoneNumber {
  /// Normalises a calling number: strips `+86`/`0086`/`86` before a mobile
  /// number, spaces, dashes, dots and brackets; folds full-width digits.
  /// Values that are not numbers (account ids such as `U0008488`) are kept,
  /// trimmed and lower-cased, so they still identify the caller. Returns `nil`
  /// for empty or placeholder values (保密, 无, 匿名, 0, -).
  public static func normalize(_ value: String) -> String? {
    let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { return nil }
    let placeholders: Set<String> = ["保密", "无", "匿名", "-", "--", "0", "null", "NULL", "none", "未知"]
    if placeholders.contains(trimmed) { return nil }
    var digits: [UInt8] = []
    var other = false
    for s in trimmed.unicodeScalars {
      if let d = PII.digit(s) {
        digits.append(d)
      } else if s == "+" || s == "＋" || PII.isSeparator(s) || s == "(" || s == ")" || s == "."
        || s == "（" || s == "）"
      {
        continue
      } else {
        other = true
      }
    }
    if other || digits.isEmpty {
      return trimmed.lowercased()
    }
    if digits.count == 13, digits[0] == 0x38, digits[1] == 0x36 {
      digits.removeFirst(2)
    } else if digits.count == 15, digits[0...3] == [0x30, 0x30, 0x38, 0x36] {
      digits.removeFirst(4)
    }
    return String(decoding: digits, as: UTF8.self)
  }

  /// The display form of a normalised number: 138****1234 for phones,
  /// the first two and last two characters of anything else.
  public static func mask(normalized n: String) -> String {
    let chars = Array(n)
    if chars.allSatisfy(\.isASCII), chars.allSatisfy(\.isNumber), chars.count >= 7 {
      return String(chars[0..<3]) + "****" + String(chars[(chars.count - 4)...])
    }
    if chars.count <= 4 { return String(repeating: "*", count: chars.count) }
    return String(chars[0..<2]) + "***" + String(chars[(chars.count - 2)...])
  }
}
