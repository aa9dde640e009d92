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
        // The name as given when it carries a suffix (城区 keeps its 区).
        if c != f || (suffixes[level] ?? []).contains(where: { f.hasSuffix($0) && f.count > $0.count }) { forms.append(f) }
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

/// The spellings of areas grouped under their matching keys, each area
/// shown under its most frequent spelling.
///
/// An area is given as its parts, outermost first (district, street,
/// community): its key joins the parts' `AreaName.key`s with "/", each
/// part's parents being the parts before it. So 龙坊区/碧溪街道, 龙坊/碧溪 and
/// 龙坊区/碧溪街道办事处 are one area. Its display spelling is the most
/// frequent one counted; ties go to a spelling whose parts all carry their
/// type suffix (区, 街道…; an empty part, such as a missing district, does
/// not count against it), then the shortest, then the first in code-point
/// order, so the name does not depend on the order of the tickets.
public struct AreaSpellings: Sendable {
  private var keys: [[String]: String] = [:]
  private var counts: [String: [[String]: Int]] = [:]

  public init() {}

  /// The key of an area given by its parts (computed once per spelling).
  public mutating func key(_ parts: [String]) -> String {
    if let k = keys[parts] { return k }
    let k = Self.key(parts)
    keys[parts] = k
    return k
  }

  /// The key of an area given by its parts.
  public static func key(_ parts: [String]) -> String {
    let levels: [AreaName.Level] = [.district, .street, .community]
    return parts.enumerated().map { i, p in
      AreaName.key(p, level: levels[min(i, 2)], parents: Array(parts.prefix(i)))
    }.joined(separator: "/")
  }

  /// Counts `count` uses of a spelling; returns its key.
  @discardableResult
  public mutating func add(_ parts: [String], count: Int = 1) -> String {
    let k = key(parts)
    counts[k, default: [:]][parts, default: 0] += count
    return k
  }

  /// How many uses were counted under `key`.
  public func count(_ key: String) -> Int {
    counts[key]?.values.reduce(0, +) ?? 0
  }

  /// The display spelling of `key` (nil when nothing was counted under it).
  public func display(_ key: String) -> [String]? {
    guard let forms = counts[key] else { return nil }
    let levels: [AreaName.Level] = [.district, .street, .community]
    func rank(_ parts: [String], _ n: Int) -> (Int, Int, Int, String) {
      let suffixed = parts.enumerated().allSatisfy { i, p in
        p.isEmpty || AreaName.core(AreaName.fold(p), level: levels[min(i, 2)]) != AreaName.fold(p)
      }
      let joined = parts.joined(separator: "/")
      return (n, suffixed ? 1 : 0, -joined.count, joined)
    }
    return forms.max { x, y in
      let a = rank(x.key, x.value), b = rank(y.key, y.value)
      return a.0 != b.0 ? a.0 < b.0 : a.1 != b.1 ? a.1 < b.1 : a.2 != b.2 ? a.2 < b.2 : a.3 > b.3
    }?.key
  }

  /// The display spelling of `key`, its non-empty parts joined with "/" (a
  /// street given without its district is shown alone).
  public func name(_ key: String) -> String? {
    display(key)?.filter { !$0.isEmpty }.joined(separator: "/")
  }
}
