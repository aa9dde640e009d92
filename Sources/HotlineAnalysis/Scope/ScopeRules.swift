import Foundation
import HotlineCore

/// A class of out-of-scope request (不合理不合规诉求), after the lists hotline
/// centres publish (domain research §2.4: Linyi's 8 categories, Dazhou
/// Tongchuan's 9 classes). Codes U01–U13 as in the project's research note;
/// U06 (诉求不属实) and U14 (听证认定不合理) depend on verification or a hearing
/// and cannot be read from a text, so no rule flags them.
public struct ScopeClass: Sendable, Hashable, Codable {
  public var code: String
  /// Short Chinese name (超辖区, 涉诉涉仲裁 …).
  public var name: String
  public var nameEnglish: String
  /// Why such a request is outside the hotline's remit.
  public var reason: String
  public var reasonEnglish: String

  enum CodingKeys: String, CodingKey {
    case code, name, reason
    case nameEnglish = "name_en"
    case reasonEnglish = "reason_en"
  }
}

/// One keyword rule: every group must have at least one hit (near each
/// other), no exclusion may hit. Keywords are literal phrases (matched on
/// UTF-8 bytes).
public struct ScopeRule: Sendable {
  public var code: String
  public var groups: [[String]]
  public var exclusions: [String]
  /// With several groups, one hit of every group must lie within this many
  /// characters of a hit of the first group (the words must be about the same
  /// thing, not scattered over a long letter).
  public var span: Int

  public init(code: String, groups: [[String]], exclusions: [String] = [], span: Int = 40) {
    self.code = code
    self.groups = groups
    self.exclusions = exclusions
    self.span = span
  }
}

/// The rule book: classes, their rules and the masking phrases inside which
/// a keyword does not count: a court or petition office named as a place
/// (法院门口的, 信访局旁边的 …), or a question on how to use a procedure
/// (如何申请行政复议).
public struct ScopeRuleBook: Sendable {
  public var classes: [ScopeClass]
  public var rules: [ScopeRule]
  public var masks: [String]

  public init(classes: [ScopeClass], rules: [ScopeRule], masks: [String]) {
    self.classes = classes
    self.rules = rules
    self.masks = masks
  }

  // swift-format-ignore
  /// The built-in rules. Each class asks for the *state* that puts a request
  /// out of scope, not for a topic word alone: a matter *already* in court
  /// (已经起诉, 判决书, 已申请仲裁), not a question on how to sue (如何申请仲裁);
  /// a parking lot that is *private* and a complaint about its *price level*,
  /// not illegal charging on public roads; a retiree *working* for a company,
  /// not a pension question.
  public static let standard = ScopeRuleBook(
    classes: [
      ScopeClass(code: "U01", name: "超辖区", nameEnglish: "beyond jurisdiction",
                 reason: "诉求发生地不在本市管辖范围", reasonEnglish: "the matter lies outside the city's jurisdiction"),
      ScopeClass(code: "U02", name: "涉诉涉仲裁/复议", nameEnglish: "in litigation, arbitration or review",
                 reason: "事项已进入诉讼、仲裁或行政复议程序", reasonEnglish: "the matter is already in court, arbitration or administrative review"),
      ScopeClass(code: "U03", name: "已入信访", nameEnglish: "already in petition (信访)",
                 reason: "事项已进入信访渠道", reasonEnglish: "the matter is already in the petition (信访) channel"),
      ScopeClass(code: "U04", name: "违背公序良俗/迷信", nameEnglish: "superstition or against public order",
                 reason: "诉求违背公序良俗或属迷信", reasonEnglish: "superstition or against public order and good morals"),
      ScopeClass(code: "U05", name: "涉及他人隐私", nameEnglish: "another person's private data",
                 reason: "要求提供他人个人信息", reasonEnglish: "asks for another person's personal data"),
      ScopeClass(code: "U07", name: "明显超出合理范围", nameEnglish: "clearly beyond reason",
                 reason: "征拆后二次索赔或愿望型诉求", reasonEnglish: "second claim after a settled demolition, or a wish-pool request"),
      ScopeClass(code: "U08", name: "退休人员劳资纠纷", nameEnglish: "retiree wage dispute",
                 reason: "退休人员劳务纠纷不适用劳动法调处", reasonEnglish: "a retiree's labour-service dispute (not a labour-law matter)"),
      ScopeClass(code: "U09", name: "网络平台私人纠纷", nameEnglish: "private dispute on an online platform",
                 reason: "网络平台上的私人经济纠纷", reasonEnglish: "a private money dispute between individuals online"),
      ScopeClass(code: "U10", name: "私人停车场收费", nameEnglish: "private parking fees",
                 reason: "私人/经营性停车场收费属市场调节", reasonEnglish: "fees of a private or commercial car park are market-priced"),
      ScopeClass(code: "U11", name: "重复反映已答复事项", nameEnglish: "repeat of an answered matter",
                 reason: "已答复事项无新情况再次反映", reasonEnglish: "repeats a matter already answered, with nothing new"),
      ScopeClass(code: "U12", name: "恶意占用/骚扰", nameEnglish: "harassment or misuse of the line",
                 reason: "无具体诉求、辱骂或恶意占用热线", reasonEnglish: "no request, abuse of operators, or misuse of the line"),
      ScopeClass(code: "U13", name: "疑似精神障碍", nameEnglish: "suspected mental-health crisis",
                 reason: "来电内容疑似精神障碍所致，宜转关怀救助（非处置）", reasonEnglish: "content suggests a mental-health crisis: route to care, not sanction"),
    ],
    rules: [
      ScopeRule(code: "U13", groups: [[
        "言语混乱", "语无伦次", "用仪器监视", "仪器监视", "监视他", "监控他的大脑", "放毒气", "投毒害他", "外星人", "中央派来", "脑电波", "被人控制大脑",
      ]]),
      ScopeRule(code: "U12", groups: [[
        "无具体诉求", "辱骂话务员", "辱骂接线员", "谩骂话务员", "一直不说话", "与市长本人通话", "和市长本人通话", "唱歌后挂断", "占用热线资源",
        "恶意占用", "骚扰热线", "骚扰话务员", "无理纠缠",
      ]]),
      ScopeRule(code: "U02", groups: [[
        "向法院起诉", "已经起诉", "已起诉", "在法院立案", "法院已立案", "法院立案", "在法院审理", "法院审理", "正在审理", "正再审理",
        "已经判决", "已判决", "法院已经判", "法院判了", "判决书", "已经申请仲裁", "已申请仲裁", "申请了仲裁", "已申请劳动仲裁",
        "经申请劳动仲裁", "经申请仲裁", "仲裁已经裁决", "仲裁裁决", "申请行政复议", "申请了行政复议", "行政复议中", "走诉讼",
        "申请强制执行", "法院强制执行",
      ]]),
      ScopeRule(code: "U03", groups: [[
        "上访过", "多次上访", "多次到市里上访", "到市里上访", "进京上访", "上访无果", "上访多年", "上访至", "上访到", "已经上访", "曾上访",
        "层层上访", "信访局上访", "信访局反映", "到信访局", "去信访局", "信访程序", "信访部门", "信访答复", "信访事项", "信访接待中心",
        "信访已经", "信访终结", "三级终结", "复查终结", "信访办反映", "到信访办", "去信访办",
      ]]),
      ScopeRule(code: "U07", groups: [
        ["拆迁", "征收", "征拆", "动迁"],
        ["签了协议", "签过协议", "领取了补偿", "领了补偿", "已经结案", "已结案", "补偿到位", "已经补偿", "已补偿"],
        ["再补偿", "追加补偿", "重新补偿", "再分一套", "补偿太低", "房价涨了", "按现在标准"],
      ]),
      ScopeRule(code: "U07", groups: [[
        "政府给我安排", "给我安排一份工作", "安排一份工作", "每个月给我发", "给我发生活费", "帮我还房贷", "安排事业编制", "安排编制",
        "给我分一套房", "政府给我分", "政府养我",
      ]]),
      ScopeRule(code: "U08", groups: [
        ["退休"],
        ["做保洁", "当保洁", "当门卫", "做门卫", "做保安", "当保安", "返聘", "打零工", "打工"],
        ["拖欠", "辞退", "补缴社保", "劳动法", "工资", "赔偿"],
      ]),
      ScopeRule(code: "U09", groups: [
        ["个人卖家", "跟网友", "与网友", "和网友", "与主播", "跟主播", "和主播", "网友借", "微信好友"],
        ["借钱不还", "拉黑", "打赏纠纷", "交易纠纷", "追回", "骗了"],
      ]),
      ScopeRule(code: "U10", groups: [
        ["私人停车场", "商场地下停车场", "商场停车场", "酒店停车场", "商业停车场", "私人车位", "经营性停车场"],
        ["收费太高", "收费高", "收费太贵", "太贵", "强制降价", "规定收费标准", "降价"],
      ]),
      ScopeRule(code: "U04", groups: [[
        "风水", "八卦镜", "运势", "帮忙算命", "帮我算命", "给我算命", "算算搬家日子", "算日子", "看日子", "开房记录", "驱邪", "做法事", "鬼魂",
      ]], exclusions: ["情人节"]),
      ScopeRule(code: "U04", groups: [["情人"], ["帮忙找", "帮我找", "找到"]], exclusions: ["情人节"]),
      ScopeRule(code: "U05", groups: [
        ["要求提供", "要求查询", "帮忙查一下", "帮我查", "想查询", "要求告知", "告诉我"],
        ["的手机号", "的电话号码", "的家庭住址", "的住址", "的身份证", "的工作单位", "的开房记录", "的行踪"],
      ], exclusions: ["我的", "本人的", "自己的", "家人的"]),
      ScopeRule(code: "U11", groups: [
        ["明确答复", "已经解释过", "解释过", "已答复", "已经答复", "答复过", "不符合条件"],
        ["仍不认可", "还是想再问", "再问一遍", "重新派单", "要求再派单", "不认可答复"],
      ]),
      ScopeRule(code: "U01", groups: [
        ["老家", "外省", "邻市", "省外", "外市", "外地", "异地"],
        ["帮忙转达", "转达", "当地热线", "不知道找谁", "帮忙协调", "帮忙处理", "帮忙反映", "问题咨询", "问题反映", "异地问题", "外地问题"],
      ], exclusions: ["老家属", "省外就医", "外省车", "外市车", "外地车", "外省牌", "外市牌", "异地就医", "异地备案", "异地医保"], span: 60),
    ],
    masks: [
      "法院门口", "法院宿舍", "法院家属院", "去法院办事", "法院旁边", "法院对面", "法院附近", "信访局旁边", "信访局对面", "信访局门口",
      "信访局附近", "路过信访接待中心", "信访接待中心门口", "信访接待中心旁边",
      // Questions about a procedure (in scope: the hotline explains how).
      "如何申请行政复议", "怎么申请行政复议", "能否申请行政复议", "在哪里申请行政复议", "如何强制执行", "怎么申请强制执行",
      "如何申请强制执行", "会向法院起诉", "将向法院起诉", "要向法院起诉",
      // Words inside other words: 排放毒气 is pollution, 知情人士 a source, 风水宝地 praise.
      "排放毒气", "知情人", "风水宝地", "算命店", "室外市", "省外国语",
      // A call-back number is no request for someone else's data.
      "我的电话", "我的手机", "本人电话",
      // Negations.
      "没有层层上访", "没有上访", "未曾上访", "不想上访",
    ])
}

/// A flag on one ticket: the class, its reason, and the words that fired.
public struct ScopeFlag: Sendable, Hashable, Codable {
  public var ticketId: String
  /// The primary class (the first rule that matched, in the rule book's order).
  public var code: String
  public var reason: String
  public var reasonEnglish: String
  /// The phrases of the text that fired the rule (the evidence words).
  public var evidence: [String]
  /// Every class that matched (the primary first).
  public var codes: [String]

  enum CodingKeys: String, CodingKey {
    case evidence, codes, reason
    case ticketId = "ticket_id"
    case code = "class"
    case reasonEnglish = "reason_en"
  }
}

/// Flags out-of-scope requests by their title and text: flag only, never
/// reject; a flagged ticket stays in every count (callers mark it).
///
/// `Sendable`: one classifier serves every thread.
public struct ScopeClassifier: Sendable {
  public let book: ScopeRuleBook
  /// The phrases (the rule book's, then the organisational wording),
  /// found without an automaton's chain of lookups; nil when a phrase is
  /// too short for the filter or holds a newline (title and text are
  /// scanned apart), and then `automaton` serves.
  private let prefixScan: PrefixScan?
  private let automaton: KeywordAutomaton?
  private let phrases: [String]
  /// For each phrase: (rule, group) memberships; group −1 = exclusion.
  private let roles: [[(rule: Int, group: Int)]]
  private let maskIds: Set<Int>
  private let classIndex: [String: ScopeClass]
  /// Typo variant phrase → the phrase it stands for.
  private let canonical: [Int: String]
  /// Patterns from this id on are the organisational wording
  /// (`OrganisationWording.phrases`), scanned in the same pass.
  private let organisationFirst: Int
  /// Per pattern: bit `4 × rule + group` for each group it belongs to (nil
  /// when the book has more than 16 rules or 4 groups in a rule).
  private let groupBits: [UInt64]?
  /// Per rule: the bits of all its groups.
  private let ruleBits: [UInt64]
  /// Index of each class code in `book.classes` (for compact per-ticket codes).
  public let classCodes: [String]

  /// Common typos in hotline notes (correct → typed), one at a time.
  public static let typos: [(String, String)] = [
    ("已经", "以经"), ("的", "地"), ("一直", "一只"), ("处理", "处里"), ("反映", "反应"), ("在", "再"),
  ]

  static func typoVariants(_ p: String) -> [String] {
    typos.compactMap { p.contains($0.0) ? p.replacingOccurrences(of: $0.0, with: $0.1) : nil }
  }

  public init(book: ScopeRuleBook = .standard) { self.init(book: book, prefixScan: true) }

  /// `prefixScan: false` screens with the automaton alone (the plain
  /// implementation the prefix filter is tested against).
  init(book: ScopeRuleBook, prefixScan usePrefixScan: Bool) {
    self.book = book
    var ids: [String: Int] = [:]
    var phrases: [String] = []
    var roles: [[(rule: Int, group: Int)]] = []
    func id(_ p: String) -> Int {
      if let i = ids[p] { return i }
      ids[p] = phrases.count
      phrases.append(p)
      roles.append([])
      return phrases.count - 1
    }
    var canonical: [Int: String] = [:]
    for (ri, r) in book.rules.enumerated() {
      for (gi, g) in r.groups.enumerated() {
        for p in g {
          roles[id(p)].append((ri, gi))
          // Homophone and input-method typos of operators' notes (以经 for
          // 已经, 地 for 的 …) match too; the evidence names the right word.
          for v in Self.typoVariants(p) where v != p {
            let i = id(v)
            roles[i].append((ri, gi))
            canonical[i] = p
          }
        }
      }
      for p in r.exclusions { roles[id(p)].append((ri, -1)) }
    }
    var lm = Set<Int>()
    for p in book.masks { lm.insert(id(p)) }
    self.canonical = canonical
    self.phrases = phrases
    self.roles = roles
    self.maskIds = lm
    self.organisationFirst = phrases.count
    let all = phrases + OrganisationWording.phrases
    // Title and text are scanned apart: the same hits as in "title\ntext"
    // while no phrase holds a newline.
    let prefixScan = !usePrefixScan || all.contains { $0.utf8.contains(0x0A) } ? nil : PrefixScan(all)
    self.prefixScan = prefixScan
    self.automaton = prefixScan == nil ? KeywordAutomaton(all) : nil
    self.classIndex = Dictionary(book.classes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    self.classCodes = book.classes.map(\.code)
    // A rule can fire only when each of its groups has a hit, masks and
    // exclusions aside: one OR per hit tells which rules are worth the
    // full check.
    if book.rules.count <= 16 && book.rules.allSatisfy({ $0.groups.count <= 4 }) {
      var bits = [UInt64](repeating: 0, count: phrases.count)
      for (p, rs) in roles.enumerated() {
        for r in rs where r.group >= 0 { bits[p] |= 1 << UInt64(4 * r.rule + r.group) }
      }
      groupBits = bits
      ruleBits = book.rules.enumerated().map { ri, r in
        (0..<r.groups.count).reduce(UInt64(0)) { $0 | 1 << UInt64(4 * ri + $1) }
      }
    } else {
      groupBits = nil
      ruleBits = []
    }
  }

  /// Whether the group bits seen allow some rule to fire (every group of
  /// it hit).
  @inline(__always)
  private func mayFire(_ seen: UInt64) -> Bool {
    if seen == 0 { return false }
    for r in ruleBits where seen & r == r && r != 0 { return true }
    return false
  }

  /// Whether every group has a hit, and (with several groups) some hit of the
  /// first group has a hit of every other group within `span` bytes.
  static func near(_ groups: [[Int]], span: Int) -> Bool {
    guard let first = groups.first, !first.isEmpty, groups.allSatisfy({ !$0.isEmpty }) else { return false }
    if groups.count == 1 { return true }
    return first.contains { a in groups.dropFirst().allSatisfy { g in g.contains { abs($0 - a) <= span } } }
  }

  /// The class named by a code (nil for unknown codes).
  public func scopeClass(_ code: String) -> ScopeClass? { classIndex[code] }

  /// Classifies a ticket (title and text together).
  public func classify(_ ticket: Ticket) -> ScopeFlag? {
    classify(id: ticket.id, title: ticket.title ?? "", text: ticket.text)
  }

  /// Classifies a ticket and tells whether its text (not the title) reads
  /// like an organisation reporting (`OrganisationWording`), in one pass
  /// over the bytes.
  public func screen(_ ticket: Ticket) -> (flag: ScopeFlag?, organisational: Bool) {
    screen(id: ticket.id, title: ticket.title, text: ticket.text)
  }

  /// `screen(_:)` from the ticket's id, title and text.
  public func screen(id: String, title: String?, text: String) -> (flag: ScopeFlag?, organisational: Bool) {
    let title = title ?? ""
    guard let groupBits else {
      return (classify(id: id, title: title, text: text), Self.organisation.matches(text))
    }
    var seen: UInt64 = 0
    var organisational = false
    let orgFirst = organisationFirst
    if let prefixScan {
      if !title.isEmpty {
        KeywordAutomaton.withBytes(title) { b in
          prefixScan.scan(b) { p, _ in if p < orgFirst { seen |= groupBits[p] } }
        }
      }
      // Organisational wording counts in the text only, not in the title.
      KeywordAutomaton.withBytes(text) { b in
        prefixScan.scan(b) { p, _ in
          if p < orgFirst { seen |= groupBits[p] } else { organisational = true }
        }
      }
    } else if let automaton {
      let lengths = automaton.lengths
      let textStart = title.isEmpty ? 0 : title.utf8.count + 1
      automaton.scan(title, then: text) { p, end in
        if p < orgFirst {
          seen |= groupBits[p]
        } else if end - lengths[p] >= textStart {
          organisational = true
        }
      }
    }
    if !mayFire(seen) { return (nil, organisational) }
    return (classifyFully(id: id, title: title, text: text), organisational)
  }

  static let organisation = OrganisationWording()

  /// Classifies one request; nil when no rule fires.
  public func classify(id: String, title: String, text: String) -> ScopeFlag? {
    if let groupBits {
      var seen: UInt64 = 0
      let orgFirst = organisationFirst
      if let prefixScan {
        let report = { (p: Int, _: Int) in if p < orgFirst { seen |= groupBits[p] } }
        if !title.isEmpty { KeywordAutomaton.withBytes(title) { prefixScan.scan($0, report) } }
        KeywordAutomaton.withBytes(text) { prefixScan.scan($0, report) }
      } else if let automaton {
        automaton.scan(title, then: text) { p, _ in if p < orgFirst { seen |= groupBits[p] } }
      }
      if !mayFire(seen) { return nil }
    }
    return classifyFully(id: id, title: title, text: text)
  }

  /// The full check: masks, exclusions, spans and evidence.
  private func classifyFully(id: String, title: String, text: String) -> ScopeFlag? {
    let orgFirst = organisationFirst
    let all =
      prefixScan?.hits(title, then: text)
      ?? automaton?.hits(in: title.isEmpty ? text : title + "\n" + text) ?? []
    let hits = all.filter { $0.pattern < orgFirst }
    if hits.isEmpty { return nil }
    let maskSpans = hits.filter { maskIds.contains($0.pattern) }.map { $0.start..<$0.end }
    let ruleCount = book.rules.count
    // Hit positions (byte offsets) per rule and group.
    var groupHit = [[[Int]]](repeating: [], count: ruleCount)
    for (i, r) in book.rules.enumerated() { groupHit[i] = Array(repeating: [], count: r.groups.count) }
    var excluded = [Bool](repeating: false, count: ruleCount)
    var evidence = [[String]](repeating: [], count: ruleCount)
    for h in hits {
      if maskIds.contains(h.pattern) { continue }
      // A phrase inside a mask (法院门口, 如何申请行政复议 …) does not count.
      if maskSpans.contains(where: { $0.lowerBound <= h.start && h.end <= $0.upperBound }) { continue }
      for role in roles[h.pattern] {
        if role.group < 0 {
          excluded[role.rule] = true
        } else {
          groupHit[role.rule][role.group].append(h.start)
          let w = canonical[h.pattern] ?? phrases[h.pattern]
          if !evidence[role.rule].contains(w) { evidence[role.rule].append(w) }
        }
      }
    }
    var codes: [String] = []
    var first: Int?
    for i in 0..<ruleCount where !excluded[i] && Self.near(groupHit[i], span: book.rules[i].span * 3) {
      if first == nil { first = i }
      if !codes.contains(book.rules[i].code) { codes.append(book.rules[i].code) }
    }
    guard let f = first else { return nil }
    let code = book.rules[f].code
    let cls = classIndex[code]
    return ScopeFlag(
      ticketId: id, code: code, reason: cls?.reason ?? code, reasonEnglish: cls?.reasonEnglish ?? code,
      evidence: evidence[f], codes: codes)
  }
}
