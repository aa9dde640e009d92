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

  // Names compare by their UTF-8 bytes: String's own equality and hashing
  // normalise non-ASCII text on every call (names come from one extractor,
  // so equal names have equal bytes).
  public static func == (a: Entity, b: Entity) -> Bool { a.kind == b.kind && UTF8Key.equal(a.name, b.name) }

  public func hash(into h: inout Hasher) {
    h.combine(kind)
    UTF8Key.hash(name, into: &h)
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
    self = EntityExtractor.learn(tickets: tickets, config: config, threads: threads).extractor
  }

  /// What `learn` finds: the extractor, and for every ticket the entities its
  /// title and text name and those its address names.
  public struct Learned: Sendable {
    public var extractor: EntityExtractor
    public var mentions: [[Entity]]
    public var addressEntities: [[Entity]]
  }

  /// Learns the vocabulary and resolves every ticket's names in the same two passes.
  public static func learn(tickets: [Ticket], config: Config = Config(), threads: Int = 2) -> Learned {
    let parts = max(1, min(threads, tickets.count))
    let chunk = (tickets.count + parts - 1) / max(parts, 1)
    // Pass 1: in how many tickets each form occurs (text and address apart), and its left neighbours.
    let slots = Slots<([UInt64: Int32], [UInt64: Int32], [UInt64: UInt64])>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { p in
      var text: [UInt64: Int32] = [:]
      var addr: [UInt64: Int32] = [:]
      var left: [UInt64: UInt64] = [:]
      let lo = p * chunk
      let hi = min(tickets.count, lo + chunk)
      var seen = Set<UInt64>()
      if lo < hi {
        for i in lo..<hi {
          seen.removeAll(keepingCapacity: true)
          let u = EntityExtractor.foldMention(tickets[i])
          for c in EntityExtractor.candidates(in: u) {
            for h in c.forms { seen.insert(h) }
            EntityExtractor.recordLeft(c, u, &left)
          }
          for h in seen { text[h, default: 0] += 1 }
          if let a = tickets[i].address, !a.isEmpty {
            seen.removeAll(keepingCapacity: true)
            let ua = EntityExtractor.fold(a)
            for c in EntityExtractor.candidates(in: ua) {
              for h in c.forms { seen.insert(h) }
              EntityExtractor.recordLeft(c, ua, &left)
            }
            for h in seen { addr[h, default: 0] += 1 }
          }
        }
      }
      slots.set(p, (text, addr, left))
    }
    var all: [UInt64: Int32] = [:]
    var addrCounts: [UInt64: Int32] = [:]
    var leftMasks: [UInt64: UInt64] = [:]
    for v in slots.values {
      guard let v else { continue }
      all.merge(v.0, uniquingKeysWith: +)
      all.merge(v.1, uniquingKeysWith: +)
      addrCounts.merge(v.1, uniquingKeysWith: +)
      leftMasks.merge(v.2, uniquingKeysWith: |)
    }
    let counts = Counts(all: all, address: addrCounts, left: leftMasks)
    // Pass 2: resolve every candidate occurrence against the counts.
    let slots2 = Slots<([String: Entity], [[Entity]], [[Entity]])>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { p in
      var local: [String: Entity] = [:]
      var mentions: [[Entity]] = []
      var address: [[Entity]] = []
      // The same chain of forms always resolves the same way: resolve it once.
      var memo: [UInt64: (String, Int, Entity)?] = [:]
      func lookup(_ c: Candidate, _ u: [UInt32]) -> (String, Int, Entity)? {
        let key = c.forms.last! &+ UInt64(c.forms.count) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(c.minCore)
        if let hit = memo[key] { return hit }
        let r = EntityExtractor.resolve(c, u, counts: counts, config: config)
        memo[key] = r
        if let (raw, _, e) = r { local[raw] = e }
        return r
      }
      let lo = p * chunk
      let hi = min(tickets.count, lo + chunk)
      if lo < hi {
        for i in lo..<hi {
          let u = EntityExtractor.foldMention(tickets[i])
          mentions.append(
            EntityExtractor.select(EntityExtractor.candidates(in: u), u) { c in lookup(c, u) } record: { _, _ in })
          if let a = tickets[i].address, !a.isEmpty {
            let ua = EntityExtractor.fold(a)
            address.append(
              EntityExtractor.select(EntityExtractor.candidates(in: ua), ua) { c in lookup(c, ua) } record: { _, _ in })
          } else {
            address.append([])
          }
        }
      }
      slots2.set(p, (local, mentions, address))
    }
    var vocab: [String: Entity] = [:]
    var mentions: [[Entity]] = []
    var address: [[Entity]] = []
    for v in slots2.values {
      guard let v else { continue }
      vocab.merge(v.0) { a, _ in a }
      mentions += v.1
      address += v.2
    }
    return Learned(
      extractor: EntityExtractor(vocabulary: vocab, config: config), mentions: mentions, addressEntities: address)
  }

  struct Counts: Sendable {
    var all: [UInt64: Int32]
    var address: [UInt64: Int32]
    var left: [UInt64: UInt64]
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
    let u = EntityExtractor.fold(text)
    return EntityExtractor.select(EntityExtractor.candidates(in: u), u) { c in
      // The longest form in the vocabulary.
      for k in stride(from: c.forms.count - 1, through: 0, by: -1) {
        let raw = c.string(k, u)
        if let e = vocabulary[raw] { return (raw, k, e) }
      }
      return nil
    } record: { _, _ in }
  }

  /// Resolves candidates left to right; a name inside a longer one found at an overlapping
  /// span is dropped (锦林地产 in 锦林地产集团); a road followed by a number adds the road point.
  static func select(
    _ cands: [Candidate], _ u: [UInt32], lookup: (Candidate) -> (String, Int, Entity)?,
    record: (String, Entity) -> Void
  ) -> [Entity] {
    var out: [Entity] = []
    var spans: [(Int, Int, Int)] = []  // start, end, index in out
    for c in cands {
      guard let (raw, k, e) = lookup(c) else { continue }
      record(raw, e)
      let start = c.start0 - k
      var dominated = false
      for (s, en, idx) in spans {
        if s <= start && en >= c.end && out[idx] != e { dominated = true }
        if start <= s && c.end >= en && out[idx] != e && (en - s) < (c.end - start) {
          out[idx].name = ""  // mark removed
        }
      }
      if dominated { continue }
      spans.append((start, c.end, out.count))
      out.append(e)
      if let point = c.roadPoint, e.kind == .road {
        out.append(Entity(name: e.name + point, kind: .roadPoint))
        spans.append((start, c.end + point.unicodeScalars.count, out.count - 1))
      }
    }
    var seen = Set<Entity>()
    return out.filter { !$0.name.isEmpty && seen.insert($0).inserted }
  }

  // MARK: - Candidates

  /// One pattern hit: the forms of increasing core length ending at a suffix word.
  struct Candidate {
    var forms: [UInt64]  // hashes of the forms of core length minCore, minCore+1, …
    var start0: Int  // where form 0 starts; form k starts at start0 - k
    var minCore: Int
    var kind: EntityKind
    var suffixLength: Int
    var end: Int  // scalar offset just past the suffix
    var roadPoint: String?  // "225号" after a road
    var singleCharSuffix: Bool

    func string(_ k: Int, _ u: [UInt32]) -> String { EntityExtractor.string(u[(start0 - k)..<end]) }
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

  /// Whether a BMP scalar starts some suffix word (a flat table: faster than hashing).
  static let isSuffixStart: [Bool] = {
    var t = [Bool](repeating: false, count: 0x10000)
    for s in suffixes where s.scalars[0] < 0x10000 { t[Int(s.scalars[0])] = true }
    return t
  }()

  /// Characters that end a name going backwards.
  static let stops: Set<UInt32> = Set(
    "的在了是和与及或从到向对给被把由等说称为有这那该其个号栋幢楼室单元层约近旁边侧前后内外上下年月日时分秒点夜晚凌晨反映诉报称请要求希望已经一直多次次"
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
    var out: [UInt32] = []
    out.reserveCapacity(s.utf8.count)
    fold(s, into: &out)
    return out
  }

  /// `fold(mentionText(t))`, without joining the title and text first.
  static func foldMention(_ t: Ticket) -> [UInt32] {
    guard let title = t.title, !title.isEmpty else { return fold(t.text) }
    var out: [UInt32] = []
    out.reserveCapacity(title.utf8.count + 1 + t.text.utf8.count)
    fold(title, into: &out)
    out.append(0x3002)  // 。
    fold(t.text, into: &out)
    return out
  }

  @inline(__always) static func fold(_ s: String, into out: inout [UInt32]) {
    for u in s.unicodeScalars {
      let v = u.value
      out.append(v >= 0xFF01 && v <= 0xFF5E ? v - 0xFEE0 : v)
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
          out.append(
            Candidate(
              forms: [hash(u[i...j])], start0: i, minCore: j - i, kind: .busLine, suffixLength: 1, end: j + 1, roadPoint: nil,
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
      let v0 = u[i]
      guard v0 < 0x10000 && isSuffixStart[Int(v0)] else {
        i += 1
        continue
      }
      for suf in suffixesByFirst[v0] ?? [] {
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
        var forms: [UInt64] = []
        for len in suf.minCore...core { forms.append(hash(u[(i - len)..<end])) }
        var point: String? = nil
        if suf.kind == .road {
          var j = end
          while j < n && isDigit(u[j]) { j += 1 }
          if j > end && j < n && u[j] == 0x53F7 { point = string(u[end...j]) }  // 号
        }
        out.append(
          Candidate(
            forms: forms, start0: i - suf.minCore, minCore: suf.minCore, kind: suf.kind, suffixLength: m, end: end,
            roadPoint: point,
            singleCharSuffix: m == 1 && suf.kind == .estate))
        matched = true
        i = end
        break
      }
      if !matched { i += 1 }
    }
    return out
  }

  /// The name a candidate stands for, if the corpus supports one: (raw form, form index, entity).
  static func resolve(_ c: Candidate, _ u: [UInt32], counts: Counts, config: Config) -> (String, Int, Entity)? {
    func count(_ k: Int) -> Int { Int(counts.all[c.forms[k]] ?? 0) }
    if c.kind == .busLine {
      guard count(0) >= config.minSupport else { return nil }
      let name = c.string(0, u)
      return (name, 0, Entity(name: name, kind: .busLine))
    }
    // Start at a core of two characters (roads: the shortest with support), extend while supported.
    var k = c.kind == .road ? 0 : max(0, 2 - c.minCore)
    guard k < c.forms.count else { return nil }
    if c.kind == .road {
      while k < c.forms.count && count(k) < config.minSupport { k += 1 }
      guard k < c.forms.count else { return nil }
      // One-character road cores (东路) are too short to name a road.
      if k + c.minCore < 2 { k = 2 - c.minCore }
      guard k < c.forms.count else { return nil }
    }
    var n = count(k)
    guard n >= config.minSupport else { return nil }
    while k + 1 < c.forms.count {
      let m = count(k + 1)
      // Extend when the longer form keeps most of the support, or when the shorter form is
      // the tail of many names (high left accessor variety: 教育培训中心 after 朝林, 北岗, …).
      let variety = (counts.left[c.forms[k]] ?? 0).nonzeroBitCount
      if m >= config.minSupport && (Double(m) >= config.extendRatio * Double(n) || variety >= 3) {
        k += 1
        n = m
      } else {
        break
      }
    }
    if c.singleCharSuffix && (counts.address[c.forms[k]] ?? 0) < 2 { return nil }
    let name = c.string(k, u)
    if genericNames.contains(name) { return nil }
    // 我们学校, 公办学校, 民办学校, 该公司 …: a kind of thing, not a name.
    if genericPrefixes.contains(where: { name.hasPrefix($0) }) { return nil }
    var kind = c.kind
    if kind == .company || kind == .developer || kind == .propertyCompany {
      if name.contains("地产") || name.contains("置业") || name.contains("房产") { kind = .developer }
      else if name.contains("物业") { kind = .propertyCompany }
    }
    var canonical = name
    if kind == .company || kind == .developer || kind == .propertyCompany { canonical = shortCompanyName(name) }
    if genericNames.contains(canonical) { return nil }
    return (name, k, Entity(name: canonical, kind: kind))
  }

  /// A company's short name (简称): 双泉物业管理有限公司 → 双泉物业, 锦林地产集团 → 锦林地产,
  /// 北兴置业有限公司 → 北兴置业; kept whole when less than four characters would remain.
  public static func shortCompanyName(_ name: String) -> String {
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
  static func recordLeft(_ c: Candidate, _ u: [UInt32], _ left: inout [UInt64: UInt64]) {
    guard c.forms.count >= 2 else { return }
    for k in 0..<(c.forms.count - 1) {
      left[c.forms[k], default: 0] |= UInt64(1) << UInt64(MinHashBit.of(u[c.start0 - k - 1]))
    }
  }

  static let genericPrefixes = [
    "我们", "我家", "我", "你们", "他们", "公办", "私立", "民办", "公立", "该", "这", "那", "本", "各", "某", "一些", "一家",
    "一个", "附近", "周边", "当地", "所有", "部分", "其他", "相关", "出租车", "建设有限", "劳务",
  ]

  /// Pattern hits that are words, not names.
  static let genericNames: Set<String> = [
    "小区", "该小区", "本小区", "我们小区", "物业公司", "开发公司", "公交公司", "燃气公司", "自来水公司", "供电公司",
    "电力公司", "快递公司", "保险公司", "物流公司", "装修公司", "这家公司", "该公司", "家公司", "施工工地", "建筑工地",
    "附近工地", "道路工程", "市政工程", "马路", "道路", "公路", "这条路", "该路", "小学", "中学", "学校", "幼儿园",
    "附近学校", "培训学校", "饭店", "餐厅", "超市", "商场", "会所", "健身房", "酒吧", "网吧", "广场", "新城", "街道",
    "开发商", "该物业", "小区物业", "前期物业", "家饭店", "家餐厅", "家超市", "改造工程", "维修工程", "安置房",
    "拆迁安置房", "楼盘", "门口", "主干道", "辅路", "人行道", "非机动车道", "盲道", "水泥路", "小路", "环路",
  ]

  /// FNV-1a over the scalars, finalised: the identity of a form without building a String.
  static func hash(_ u: ArraySlice<UInt32>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for v in u { h = (h ^ UInt64(v)) &* 0x100_0000_01B3 }
    h ^= h >> 33
    h &*= 0xFF51_AFD7_ED55_8CCD
    return h ^ (h >> 33)
  }
}

enum MinHashBit {
  /// A bit position 0…63 for a character (a one-word set of left neighbours).
  static func of(_ v: UInt32) -> Int { Int((UInt64(v) &* 0x9E37_79B9_7F4A_7C15) >> 58) }
}

/// Slots written once each from concurrent tasks, read after they finish.
public final class Slots<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [T?]
  public init(count: Int) { slots = Array(repeating: nil, count: count) }
  public func set(_ i: Int, _ v: T) {
    lock.lock()
    slots[i] = v
    lock.unlock()
  }
  public var values: [T?] {
    lock.lock()
    defer { lock.unlock() }
    return slots
  }
}
