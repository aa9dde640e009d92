import Foundation
import HotlineCore

/// What a named thing in a ticket is.
public enum EntityKind: String, Sendable, Hashable, Codable, CaseIterable {
  case estate  // 小区
  case road  // 道路
  case roadPoint = "road_point"  // 道路门牌（某路123号）
  case company  // 企业
  case developer  // 开发商
  case propertyCompany = "property_company"  // 物业公司
  case school  // 学校、培训机构
  case site  // 工地、工程
  case busLine = "bus_line"  // 公交线路
  case shop  // 饭店、会所、商铺
  case community  // 社区（来自工单字段）

  /// The Chinese label.
  public var zh: String {
    switch self {
    case .estate: "小区"
    case .road: "道路"
    case .roadPoint: "路段门牌"
    case .company: "企业"
    case .developer: "开发商"
    case .propertyCompany: "物业公司"
    case .school: "学校"
    case .site: "工地/工程"
    case .busLine: "公交线路"
    case .shop: "商户"
    case .community: "社区"
    }
  }
}

/// A named thing a ticket is about.
public struct Entity: Sendable, Hashable, Codable {
  public var name: String
  public var kind: EntityKind
  public init(name: String, kind: EntityKind) {
    self.name = name
    self.kind = kind
  }
}

/// Extracts the estates, roads, companies, developers, schools, sites, bus
/// lines and shops a ticket names, from its title and text (and, for places,
/// its address).
///
/// Patterns give candidates: a suffix word (小区/花园/家园…, 路/大道/街/巷,
/// 有限公司/集团/物业/地产, 小学/学校, 工地/工程, 饭店/会所…) and the Han
/// characters before it up to a stop character (punctuation, digits, 的/在/了…).
/// The corpus decides where a name starts: the shortest core of two characters
/// is extended one character at a time while the longer form is still seen in
/// at least `extendRatio` of the tickets the shorter form is seen in, so
/// 桂庄饭店 is kept and 号桂庄饭店 is not. A name must be seen in at least
/// `minSupport` tickets. Estates with a one-character suffix (府/苑/城/庭/湾/里/园/居)
/// must also occur in the data's own address field, the data's place names.
/// Full-width digits and letters are folded first (１２栋 → 12栋), so aliases
/// that differ only in width are one name; street names keep the data's
/// canonical form (…街道办事处 → …街道).
public struct EntityExtractor: Sendable {
  public struct Config: Sendable {
    public var minSupport = 3
    public var extendRatio = 0.6
    public init() {}
  }

  /// Names seen in enough tickets, each with the entity it stands for (a
  /// company's full name and its short name map to one entity).
  public let vocabulary: [String: Entity]
  public let config: Config

  /// Learns the vocabulary from the tickets (two passes over titles, texts and addresses).
  public init(tickets: [Ticket], config: Config = Config(), threads: Int = 2) {
    self.config = config
    let parts = max(1, min(threads, tickets.count))
    let chunk = (tickets.count + parts - 1) / max(parts, 1)
    let slots = Slots<([String: Int], [String: Int], [String: UInt64])>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { p in
      var text: [String: Int] = [:]
      var addr: [String: Int] = [:]
      var left: [String: UInt64] = [:]
      let lo = p * chunk
      let hi = min(tickets.count, lo + chunk)
      if lo < hi {
        for t in tickets[lo..<hi] {
          var seen = Set<String>()
          for c in EntityExtractor.candidates(in: EntityExtractor.fold(EntityExtractor.mentionText(t))) {
            for s in c.forms { seen.insert(s) }
            EntityExtractor.recordLeft(c, &left)
          }
          for s in seen { text[s, default: 0] += 1 }
          if let a = t.address, !a.isEmpty {
            var aseen = Set<String>()
            for c in EntityExtractor.candidates(in: EntityExtractor.fold(a)) {
              for s in c.forms { aseen.insert(s) }
              EntityExtractor.recordLeft(c, &left)
            }
            for s in aseen { addr[s, default: 0] += 1 }
          }
        }
      }
      slots.set(p, (text, addr, left))
    }
    var textCounts: [String: Int] = [:]
    var addrCounts: [String: Int] = [:]
    var leftMasks: [String: UInt64] = [:]
    for v in slots.values {
      guard let v else { continue }
      textCounts.merge(v.0, uniquingKeysWith: +)
      addrCounts.merge(v.1, uniquingKeysWith: +)
      leftMasks.merge(v.2, uniquingKeysWith: |)
    }
    let left = leftMasks
    var vocab: [String: Entity] = [:]
    // Resolve every candidate occurrence once more against the counts; keep the chosen names.
    let all = textCounts.merging(addrCounts, uniquingKeysWith: +)
    let addressCounts = addrCounts
    let slots2 = Slots<[String: Entity]>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { p in
      var local: [String: Entity] = [:]
      let lo = p * chunk
      let hi = min(tickets.count, lo + chunk)
      if lo < hi {
        for t in tickets[lo..<hi] {
          for src in [EntityExtractor.mentionText(t), t.address ?? ""] where !src.isEmpty {
            for c in EntityExtractor.candidates(in: EntityExtractor.fold(src)) {
              if let (raw, e) = EntityExtractor.resolve(
                c, counts: all, addressCounts: addressCounts, left: left, config: config)
              {
                local[raw] = e
              }
            }
          }
        }
      }
      slots2.set(p, local)
    }
    for v in slots2.values { if let v { vocab.merge(v) { a, _ in a } } }
    self.vocabulary = vocab
  }

  /// An extractor with a fixed vocabulary (for tests and for reuse).
  public init(vocabulary: [String: Entity], config: Config = Config()) {
    self.vocabulary = vocabulary
    self.config = config
  }

  /// The entities named in the ticket's title and text (not its address), most specific first.
  public func mentions(_ t: Ticket) -> [Entity] { extract(EntityExtractor.mentionText(t)) }

  /// The entities named in a text: every candidate occurrence resolved against the vocabulary.
  public func extract(_ text: String) -> [Entity] {
    let folded = EntityExtractor.fold(text)
    var out: [Entity] = []
    var spans: [(Int, Int, Int)] = []  // start, end, index in out
    for c in EntityExtractor.candidates(in: folded) {
      // The longest form in the vocabulary.
      var best: (String, Int)? = nil
      for (k, f) in c.forms.enumerated().reversed() where vocabulary[f] != nil {
        best = (f, k)
        break
      }
      guard let (raw, k) = best, let e = vocabulary[raw] else { continue }
      let start = c.end - c.suffixLength - (k + c.minCore)
      let kind = e.kind
      let name = e.name
      // Drop a name inside a longer one found at an overlapping span (锦林地产 in 锦林地产集团).
      var dominated = false
      var i = 0
      while i < spans.count {
        let (s, en, idx) = spans[i]
        if s <= start && en >= c.end && out[idx] != e { dominated = true }
        if start <= s && c.end >= en && out[idx] != e && (en - s) < (c.end - start) {
          out[idx].name = ""  // mark removed
        }
        i += 1
      }
      if dominated { continue }
      spans.append((start, c.end, out.count))
      out.append(e)
      if let point = c.roadPoint, kind == .road {
        out.append(Entity(name: name + point, kind: .roadPoint))
        spans.append((start, c.end + point.unicodeScalars.count, out.count - 1))
      }
    }
    var seen = Set<Entity>()
    return out.filter { !$0.name.isEmpty && seen.insert($0).inserted }
  }

  // MARK: - Candidates

  /// One pattern hit: the forms of increasing core length ending at a suffix word.
  struct Candidate {
    var forms: [String]  // core length minCore, minCore+1, …
    var minCore: Int
    var kind: EntityKind
    var suffixLength: Int
    var end: Int  // scalar offset just past the suffix
    var roadPoint: String?  // "225号" after a road
    var singleCharSuffix: Bool
  }

  struct Suffix {
    var scalars: [UInt32]
    var kind: EntityKind
    var maxCore: Int
    var minCore: Int
  }

  static let suffixes: [Suffix] = {
    func s(_ w: String, _ k: EntityKind, _ maxCore: Int, _ minCore: Int = 2) -> Suffix {
      Suffix(scalars: w.unicodeScalars.map(\.value), kind: k, maxCore: maxCore, minCore: minCore)
    }
    var list: [Suffix] = []
    for w in ["有限公司", "有限责任公司", "公司"] { list.append(s(w, .company, 8)) }
    list.append(s("集团", .company, 6))
    for w in ["地产", "置业"] { list.append(s(w, .developer, 4)) }
    list.append(s("物业", .propertyCompany, 4))
    for w in ["实验小学", "小学", "中学", "学校", "幼儿园", "大学", "学院", "培训中心"] { list.append(s(w, .school, 6)) }
    for w in ["工地", "工程", "项目部"] { list.append(s(w, .site, 8)) }
    for w in [
      "饭店", "餐厅", "酒楼", "火锅店", "烧烤店", "会所", "健身房", "健身中心", "美容院", "超市", "网吧", "酒吧", "商场",
      "大排档", "菜馆", "面馆", "茶楼", "KTV", "小吃店", "餐馆", "饭馆", "烧烤", "烤肉店", "美容店", "理发店",
      "美容会所", "健身会所", "游泳馆", "洗浴中心", "足浴店", "棋牌室", "农家乐",
    ] { list.append(s(w, .shop, 4)) }
    for w in [
      "小区", "花园", "花苑", "家园", "新村", "新城", "嘉园", "佳园", "华庭", "御府", "公馆", "名都", "名苑", "雅苑",
      "公寓", "大厦", "广场", "华府", "苑小区", "安置房", "安置小区",
    ] { list.append(s(w, .estate, 4)) }
    for w in ["府", "苑", "城", "庭", "湾", "里", "园", "居"] { list.append(s(w, .estate, 3)) }
    for w in ["大道", "大街", "路", "街", "巷"] { list.append(s(w, .road, 4, 1)) }
    return list.sorted { $0.scalars.count > $1.scalars.count }
  }()

  /// Suffix words by their first scalar, longest first.
  static let suffixesByFirst: [UInt32: [Suffix]] = Dictionary(grouping: suffixes, by: { $0.scalars[0] })

  /// Characters that end a name going backwards.
  static let stops: Set<UInt32> = Set(
    "的在了是和与及或从到向对给被把由等说称为有这那该其个号栋幢楼室单元层约近旁边侧前后内外上下年月日时分秒点反映诉报称请要求希望已经一直多次次"
      .unicodeScalars.map(\.value))

  /// Characters before digits that make `12路` part of an address, not a bus line.
  static let busBlockers: Set<UInt32> = Set("路号栋幢楼道街巷第".unicodeScalars.map(\.value))

  static let roadBlockers: Set<UInt32> = Set("线走绕马道公出铁水电网过让带问一小拦挡修上领".unicodeScalars.map(\.value))

  static func isHan(_ v: UInt32) -> Bool { (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) }
  static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

  static func mentionText(_ t: Ticket) -> String {
    guard let title = t.title, !title.isEmpty else { return t.text }
    return title + "。" + t.text
  }

  /// Full-width ASCII to half-width; everything else unchanged.
  static func fold(_ s: String) -> [UInt32] {
    s.unicodeScalars.map { u in
      let v = u.value
      return v >= 0xFF01 && v <= 0xFF5E ? v - 0xFEE0 : v
    }
  }

  static func string(_ u: ArraySlice<UInt32>) -> String {
    var v = String.UnicodeScalarView()
    for x in u { if let s = Unicode.Scalar(x) { v.append(s) } }
    return String(v)
  }

  /// Every pattern hit in folded text.
  static func candidates(in u: [UInt32]) -> [Candidate] {
    var out: [Candidate] = []
    var i = 0
    let n = u.count
    while i < n {
      // Bus line: 1–3 digits then 路, not followed by a digit (89路, not 路225号).
      if isDigit(u[i]) {
        var j = i
        while j < n && isDigit(u[j]) { j += 1 }
        if j < n && u[j] == 0x8DEF && j - i <= 3 && (j + 1 >= n || !isDigit(u[j + 1]))
          && (i == 0 || !busBlockers.contains(u[i - 1]))
        {
          let name = string(u[i...j])
          out.append(
            Candidate(
              forms: [name], minCore: j - i, kind: .busLine, suffixLength: 1, end: j + 1, roadPoint: nil,
              singleCharSuffix: false))
          i = j + 1
          continue
        }
        i = j
        continue
      }
      guard isHan(u[i]) else {
        i += 1
        continue
      }
      var matched = false
      for suf in suffixesByFirst[u[i]] ?? [] {
        let m = suf.scalars.count
        guard i + m <= n else { continue }
        var ok = true
        for k in 0..<m where u[i + k] != suf.scalars[k] {
          ok = false
          break
        }
        guard ok else { continue }
        // 街道 (a street office) and 街办 are not roads.
        if suf.kind == .road && m == 1 && u[i] == 0x8857 && i + 1 < n && (u[i + 1] == 0x9053 || u[i + 1] == 0x529E) {
          continue
        }
        // 线路, 走路, 绕路, 马路, 道路 … are words, not road names.
        if suf.kind == .road && i > 0 && roadBlockers.contains(u[i - 1]) { continue }
        // The Han run before position i, up to a stop.
        var start = i
        while start > 0 && i - start < suf.maxCore {
          let v = u[start - 1]
          if !isHan(v) || stops.contains(v) { break }
          start -= 1
        }
        let core = i - start
        guard core >= suf.minCore else { continue }
        let end = i + m
        var forms: [String] = []
        for len in suf.minCore...core { forms.append(string(u[(i - len)..<end])) }
        var point: String? = nil
        if suf.kind == .road {
          var j = end
          while j < n && isDigit(u[j]) { j += 1 }
          if j > end && j < n && u[j] == 0x53F7 { point = string(u[end...j]) }  // 号
        }
        out.append(
          Candidate(
            forms: forms, minCore: suf.minCore, kind: suf.kind, suffixLength: m, end: end, roadPoint: point,
            singleCharSuffix: m == 1 && suf.kind == .estate))
        matched = true
        i = end
        break
      }
      if !matched { i += 1 }
    }
    return out
  }

  /// The name a candidate stands for, if the corpus supports one.
  static func resolve(
    _ c: Candidate, counts: [String: Int], addressCounts: [String: Int], left: [String: UInt64], config: Config
  ) -> (String, Entity)? {
    if c.kind == .busLine {
      return (counts[c.forms[0]] ?? 0) >= config.minSupport ? (c.forms[0], Entity(name: c.forms[0], kind: .busLine)) : nil
    }
    // Start at a core of two characters (roads: the shortest with support), extend while supported.
    var k = c.kind == .road ? 0 : max(0, 2 - c.minCore)
    guard k < c.forms.count else { return nil }
    if c.kind == .road {
      while k < c.forms.count && (counts[c.forms[k]] ?? 0) < config.minSupport { k += 1 }
      guard k < c.forms.count else { return nil }
      // One-character road cores (东路) are too short to name a road.
      if k + c.minCore < 2 { k = 2 - c.minCore }
      guard k < c.forms.count else { return nil }
    }
    var n = counts[c.forms[k]] ?? 0
    guard n >= config.minSupport else { return nil }
    while k + 1 < c.forms.count {
      let m = counts[c.forms[k + 1]] ?? 0
      // Extend when the longer form keeps most of the support, or when the shorter form is
      // the tail of many names (high left accessor variety: 教育培训中心 after 朝林, 北岗, …).
      let variety = (left[c.forms[k]] ?? 0).nonzeroBitCount
      if m >= config.minSupport && (Double(m) >= config.extendRatio * Double(n) || variety >= 3) {
        k += 1
        n = m
      } else {
        break
      }
    }
    let name = c.forms[k]
    if c.singleCharSuffix && (addressCounts[name] ?? 0) < 2 { return nil }
    if genericNames.contains(name) { return nil }
    var kind = c.kind
    if kind == .company || kind == .developer || kind == .propertyCompany {
      if name.contains("地产") || name.contains("置业") || name.contains("房产") { kind = .developer }
      else if name.contains("物业") { kind = .propertyCompany }
    }
    var canonical = name
    if kind == .company || kind == .developer || kind == .propertyCompany { canonical = shortCompanyName(name) }
    if genericNames.contains(canonical) { return nil }
    return (name, Entity(name: canonical, kind: kind))
  }

  /// A company's short name (简称): 双泉物业管理有限公司 → 双泉物业, 锦林地产集团 → 锦林地产,
  /// 北兴置业有限公司 → 北兴置业; kept whole when less than four characters would remain.
  static func shortCompanyName(_ name: String) -> String {
    var x = name
    var changed = true
    while changed {
      changed = false
      for suffix in ["有限责任公司", "股份有限公司", "有限公司", "集团公司", "集团", "公司", "管理", "服务"]
      where x.hasSuffix(suffix) && x.count - suffix.count >= 4 {
        x = String(x.dropLast(suffix.count))
        changed = true
      }
    }
    return x
  }

  /// Records, for each form but the longest, a bit for the character before it.
  static func recordLeft(_ c: Candidate, _ left: inout [String: UInt64]) {
    guard c.forms.count >= 2 else { return }
    for k in 0..<(c.forms.count - 1) {
      guard let ch = c.forms[k + 1].unicodeScalars.first?.value else { continue }
      left[c.forms[k], default: 0] |= UInt64(1) << UInt64(MinHashBit.of(ch))
    }
  }

  /// Pattern hits that are words, not names.
  static let genericNames: Set<String> = [
    "小区", "该小区", "本小区", "我们小区", "物业公司", "开发公司", "公交公司", "燃气公司", "自来水公司", "供电公司",
    "电力公司", "快递公司", "保险公司", "物流公司", "装修公司", "这家公司", "该公司", "家公司", "施工工地", "建筑工地",
    "附近工地", "道路工程", "市政工程", "马路", "道路", "公路", "这条路", "该路", "小学", "中学", "学校", "幼儿园",
    "附近学校", "培训学校", "饭店", "餐厅", "超市", "商场", "会所", "健身房", "酒吧", "网吧", "广场", "新城", "街道",
    "开发商", "该物业", "小区物业", "前期物业", "家饭店", "家餐厅", "家超市", "改造工程", "维修工程", "安置房",
    "拆迁安置房", "楼盘", "门口", "主干道", "辅路", "人行道", "非机动车道", "盲道", "水泥路", "小路", "环路",
  ]
}

enum MinHashBit {
  /// A bit position 0…63 for a character (a one-word set of left neighbours).
  static func of(_ v: UInt32) -> Int { Int((UInt64(v) &* 0x9E37_79B9_7F4A_7C15) >> 58) }
}

/// Slots written once each from concurrent tasks, read after they finish.
final class Slots<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [T?]
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ v: T) {
    lock.lock()
    slots[i] = v
    lock.unlock()
  }
  var values: [T?] {
    lock.lock()
    defer { lock.unlock() }
    return slots
  }
}
