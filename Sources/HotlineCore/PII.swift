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
  public static func mask(_ text: String) -> String {
    // Fast path: nothing that could start a number or a plate.
    var suspicious = false
    for b in text.utf8 where (b >= 0x30 && b <= 0x39) || b == 0xEF {
      suspicious = true
      break
    }
    if !suspicious { return text }
    let scalars = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    out.reserveCapacity(scalars.count)
    var i = 0
    var changed = false
    while i < scalars.count {
      let s = scalars[i]
      // Licence plate: province character + letter + 5 or 6 alphanumerics.
      if provinces.contains(s), let end = plateEnd(scalars, from: i) {
        out.append(s)
        out.append(asciiUpper(scalars[i + 1]))
        out.append(contentsOf: "***".unicodeScalars)
        // Keep the last two characters of the plate.
        let tail = scalars[(end - 2)..<end].map(asciiUpper)
        out.append(contentsOf: tail)
        i = end
        changed = true
        continue
      }
      if digit(s) != nil || s == "+" || s == "＋" {
        // Do not split a longer alphanumeric token (codes such as A3区 are fine:
        // they are too short to be a number).
        if let run = numberRun(scalars, from: i),
          let masked = classify(run, scalars: scalars, start: i)
        {
          out.append(contentsOf: masked.unicodeScalars)
          i = run.end
          changed = true
          continue
        }
        // Copy the whole digit run unchanged so we do not re-scan its tail.
        var j = i
        repeat {
          out.append(scalars[j])
          j += 1
        } while j < scalars.count && digit(scalars[j]) != nil
        i = j
        continue
      }
      out.append(s)
      i += 1
    }
    return changed ? String(out) : text
  }

  /// Whether `text` still contains something `mask` would mask.
  public static func containsPII(_ text: String) -> Bool { mask(text) != text }

  // MARK: - Numbers

  struct Run {
    var digits: [UInt8]  // ASCII digits (and a trailing X for IDs)
    var end: Int  // index after the run in the scalar array
    var hadPlus: Bool
  }

  /// A digit run starting at `start`, allowing single spaces or dashes between
  /// digit groups and an optional leading plus sign and trailing X.
  static func numberRun(_ s: [Unicode.Scalar], from start: Int) -> Run? {
    var i = start
    var hadPlus = false
    if s[i] == "+" || s[i] == "＋" {
      hadPlus = true
      i += 1
      guard i < s.count, digit(s[i]) != nil else { return nil }
    }
    // A number glued to a preceding ASCII letter is a code, not a phone.
    if start > 0, isASCIILetter(s[start - 1]) { return nil }
    var digits: [UInt8] = []
    var end = i
    while i < s.count {
      if let d = digit(s[i]) {
        digits.append(d)
        i += 1
        end = i
      } else if isSeparator(s[i]), i + 1 < s.count, digit(s[i + 1]) != nil, !digits.isEmpty {
        i += 1
      } else {
        break
      }
      if digits.count > 20 { break }
    }
    if end < s.count, digits.count == 17, s[end] == "X" || s[end] == "x" || s[end] == "Ｘ" {
      digits.append(UInt8(ascii: "X"))
      end += 1
    }
    return Run(digits: digits, end: end, hadPlus: hadPlus)
  }

  static func classify(_ run: Run, scalars: [Unicode.Scalar], start: Int) -> String? {
    var d = run.digits
    let n = d.count
    // Glued to a following digit-like letter? (e.g. part of a longer code)
    if run.end < scalars.count, isASCIILetter(scalars[run.end]), n != 18 { return nil }
    // Country prefixes.
    if n == 13, d[0] == 0x38, d[1] == 0x36, isMobile(Array(d[2...])) { d = Array(d[2...]) }
    if n == 15, d[0] == 0x30, d[1] == 0x30, d[2] == 0x38, d[3] == 0x36, isMobile(Array(d[4...])) {
      d = Array(d[4...])
    }
    if d.count == 11, isMobile(d) { return str(d[0..<3]) + "****" + str(d[7..<11]) }
    if (d.count == 18 && isID18(d)) || (d.count == 15 && isID15(d)) {
      return str(d[0..<6]) + String(repeating: "*", count: d.count - 10) + str(d[(d.count - 4)...])
    }
    // Landline with area code: 0 + 2–3 digit area + 7–8 digit number.
    if d.count >= 10 && d.count <= 12 && d[0] == 0x30 && d[1] != 0x30 {
      return str(d[0..<3]) + "****" + str(d[(d.count - 4)...])
    }
    // Service numbers 400/800 xxx xxxx.
    if d.count == 10, d[0] == 0x34 || d[0] == 0x38, d[1] == 0x30, d[2] == 0x30 {
      return str(d[0..<3]) + "****" + str(d[(d.count - 3)...])
    }
    // Local numbers need context, so amounts and dates are left alone.
    if (d.count == 7 || d.count == 8) && phoneContext(scalars, before: start) {
      return "****" + str(d[(d.count - 4)...])
    }
    // Other long digit strings that look like phones written without structure
    // (12 digits starting 1[3-9]) are masked too: better safe than sorry.
    if d.count == 12, isMobile(Array(d[0..<11])) { return str(d[0..<3]) + "****" + str(d[7...]) }
    return nil
  }

  static func isMobile(_ d: [UInt8]) -> Bool {
    d.count == 11 && d[0] == 0x31 && d[1] >= 0x33 && d[1] <= 0x39
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

  static let contextWords: [[Unicode.Scalar]] = [
    "电话", "号码", "座机", "手机", "联系", "拨打", "致电", "热线", "tel", "TEL", "Tel", "电:",
    "电：",
  ].map { Array($0.unicodeScalars) }

  static func phoneContext(_ s: [Unicode.Scalar], before start: Int) -> Bool {
    let lo = max(0, start - 8)
    let window = Array(s[lo..<start])
    for w in contextWords where window.count >= w.count {
      for k in 0...(window.count - w.count) where Array(window[k..<(k + w.count)]) == w {
        return true
      }
    }
    return false
  }

  // MARK: - Plates

  static let provinces: Set<Unicode.Scalar> = Set(
    "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼".unicodeScalars)

  /// The end of a licence plate starting with a province character at `i`.
  static func plateEnd(_ s: [Unicode.Scalar], from i: Int) -> Int? {
    var j = i + 1
    guard j < s.count, isUpperLetter(s[j]) else { return nil }
    j += 1
    if j < s.count, s[j] == "·" || s[j] == "." || s[j] == " " || s[j] == "-" || s[j] == "•" {
      j += 1
    }
    var count = 0
    var digits = 0
    while j < s.count, count < 6, isUpperLetter(s[j]) || digit(s[j]) != nil {
      if digit(s[j]) != nil { digits += 1 }
      count += 1
      j += 1
    }
    // A trailing 挂/学/警 belongs to the plate.
    if j < s.count, s[j] == "挂" || s[j] == "学" || s[j] == "警" { j += 1 }
    guard count >= 5, digits >= 2 else { return nil }
    // Followed by more alphanumerics: not a plate.
    if j < s.count, isUpperLetter(s[j]) || digit(s[j]) != nil || isASCIILetter(s[j]) {
      return nil
    }
    return j
  }

  // MARK: - Character classes

  @inline(__always) static func digit(_ s: Unicode.Scalar) -> UInt8? {
    let v = s.value
    if v >= 0x30 && v <= 0x39 { return UInt8(v) }
    if v >= 0xFF10 && v <= 0xFF19 { return UInt8(v - 0xFF10 + 0x30) }
    return nil
  }

  @inline(__always) static func isSeparator(_ s: Unicode.Scalar) -> Bool {
    s == " " || s == "-" || s == "－" || s == "—" || s == "\u{3000}"
  }

  @inline(__always) static func isUpperLetter(_ s: Unicode.Scalar) -> Bool {
    (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0xFF21 && s.value <= 0xFF3A)
  }

  @inline(__always) static func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
    (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
  }

  static func asciiUpper(_ s: Unicode.Scalar) -> Unicode.Scalar {
    if s.value >= 0xFF21 && s.value <= 0xFF3A { return Unicode.Scalar(s.value - 0xFF21 + 0x41)! }
    if s.value >= 0xFF10 && s.value <= 0xFF19 { return Unicode.Scalar(s.value - 0xFF10 + 0x30)! }
    return s
  }

  static func str(_ d: ArraySlice<UInt8>) -> String { String(decoding: d, as: UTF8.self) }
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
