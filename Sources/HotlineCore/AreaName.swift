/// Matching keys for the names of administrative areas as exports write them.
///
/// The same street comes as 安河街道, 安河街道办事处, 安河街办, 安河街 or
/// 安河, with or without its district (泰丰区安河街道) or city in front, in
/// full-width or half-width characters, with stray spaces; a district as
/// 泰丰区 or 泰丰; a community as 浦岗社区 or 浦岗社区居委会. `key` maps every
/// such form to one key: width folded, spaces dropped, the parent names in
/// front dropped, and the type suffix (区/县/街道/镇/社区/村…) removed when
/// a name of at least two characters remains. Keys are for matching only;
/// show the most frequent original form.
///
/// A key ignores the type: 城关镇 and 城关街道 of one district would be one
/// key (rare: a town that became a street keeps its name, the old one goes).
public enum AreaName {
  public enum Level: Sendable {
    case city, district, street, community
  }

  /// Suffixes by level, longest first (the first that matches is removed).
  static let suffixes: [Level: [String]] = [
    .city: ["自治州", "地区", "盟", "市"],
    .district: ["自治县", "自治旗", "新区", "林区", "特区", "区", "县", "市", "旗"],
    .street: [
      "街道办事处", "街道办", "镇人民政府", "乡人民政府", "镇政府", "乡政府", "办事处", "街道", "街办", "民族乡", "苏木", "镇", "乡",
      "街",
    ],
    .community: ["社区居民委员会", "社区居委会", "居民委员会", "村民委员会", "社区居委", "居委会", "村委会", "社区", "村委", "居委", "村"],
  ]

  /// Full-width ASCII (U+FF01–FF5E) to ASCII, the ideographic space to a
  /// space; whitespace and the middle dot dropped; ASCII letters lowercased.
  public static func fold(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars {
      var v = u.value
      if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
      if v == 0x3000 || v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D || v == 0xA0 || v == 0xB7 || v == 0x30FB {
        continue
      }
      if v >= 0x41 && v <= 0x5A { v += 0x20 }
      out.append(Unicode.Scalar(v)!)
    }
    return String(out)
  }

  /// The name without its type suffix, when at least two characters remain
  /// (城区 and 矿区 keep theirs).
  public static func core(_ s: String, level: Level) -> String {
    for suf in suffixes[level] ?? [] where s.hasSuffix(suf) && s.count - suf.count >= 2 {
      return String(s.dropLast(suf.count))
    }
    return s
  }

  /// The matching key of a name at `level`, given the keys (or names) of its
  /// parents, outermost first, which are dropped when the name starts with
  /// them in any of their forms.
  public static func key(_ name: String, level: Level, parents: [String] = []) -> String {
    var s = fold(name)
    // Parentheses (folded to ASCII) carry notes (原…, 旧称…): dropped.
    if s.contains("(") {
      var kept = "", depth = 0
      for ch in s {
        if ch == "(" { depth += 1 } else if ch == ")" && depth > 0 { depth -= 1 } else if depth == 0 { kept.append(ch) }
      }
      s = kept
    }
    s = stripParents(s, parents: parents)
    if level != .city {
      s = stripLeadingCity(s)
      // A district written before a street or community that was not given.
      if level == .street || level == .community { s = stripLeadingDistrict(s) }
    }
    return core(s, level: level)
  }

  static func stripParents(_ s: String, parents: [String]) -> String {
    var s = s
    for p in parents {
      let f = fold(p)
      guard !f.isEmpty else { continue }
      // Full forms only (玄武区, not 玄武: 玄武门街道 is a street of 玄武区).
      var forms: [String] = []
      for level in [Level.city, .district, .street] {
        let c = core(f, level: level)
        if c != f { forms.append(f) }
        for suf in suffixes[level] ?? [] { forms.append(c + suf) }
      }
      // Longest first, and something must remain.
      for form in Set(forms).sorted(by: { $0.count > $1.count }) where s.hasPrefix(form) && s.count > form.count + 1 {
        s = String(s.dropFirst(form.count))
        break
      }
    }
    return s
  }

  /// 澜江市泰丰区… → 泰丰区…: a leading 2–4 character name ending in 市
  /// followed by at least three characters.
  static func stripLeadingCity(_ s: String) -> String {
    let chars = Array(s)
    for n in 3...5 where chars.count >= n + 3 && chars[n - 1] == "市" {
      return String(chars[n...])
    }
    return s
  }

  /// 泰丰区安河街道 → 安河街道: a leading 2–4 character name ending in 区 or
  /// 县 (not 社区, 小区, 园区) followed by at least three characters.
  static func stripLeadingDistrict(_ s: String) -> String {
    let chars = Array(s)
    for n in 3...5
    where chars.count >= n + 3 && (chars[n - 1] == "区" && !"社小园".contains(chars[n - 2]) || chars[n - 1] == "县") {
      return String(chars[n...])
    }
    return s
  }
}
