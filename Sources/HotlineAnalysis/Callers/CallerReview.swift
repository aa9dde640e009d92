import Foundation
import HotlineCore
import HotlineStats

/// The kind of repeat caller, for routing to the right review. A type is
/// evidence for a person to weigh (联合研判), never a verdict.
public enum CallerType: String, Sendable, Codable, CaseIterable {
  /// The same unsettled matter, many times, over weeks or months.
  case persistent
  /// Many calls within a few days.
  case burst
  /// Many unrelated requests, an unusual share of them out of scope.
  case scattershot
  /// The matter is already in petition (信访), litigation or arbitration.
  case petition
  /// An organisation or community worker reporting many real problems: a
  /// heavy user, not abnormal.
  case organisation
  /// Frequent by count alone, without evidence of a problem: not flagged.
  case frequent

  public var chinese: String {
    switch self {
    case .persistent: "同一事项反复来电"
    case .burst: "短期集中来电"
    case .scattershot: "多头/超范围诉求"
    case .petition: "涉访涉诉"
    case .organisation: "机构/社区常规用户"
    case .frequent: "高频来电（无异常证据）"
    }
  }
}

/// Where a flagged caller's case file goes.
public enum CallerRoute: String, Sendable, Codable, CaseIterable {
  /// 联合办理: the departments meet on the unsettled matter.
  case jointHandling = "joint_handling"
  /// 紧急协调: an urgent matter that callers chase within days.
  case urgentCoordination = "urgent_coordination"
  /// 渠道说明: explain what the hotline can and cannot do, and where to go.
  case channelExplanation = "channel_explanation"
  /// 关怀转介: care or referral (isolation, illness, mental-health crisis).
  case careReferral = "care_referral"
  /// 引导至信访/司法渠道.
  case petitionChannel = "petition_channel"
  /// 常态化对接: a regular contact for an organisation; nothing to review.
  case regularLiaison = "regular_liaison"
  /// 关怀回访: a friendly call-back; count alone is no reason for action.
  case careCheck = "care_check"

  public var chinese: String {
    switch self {
    case .jointHandling: "联合办理未解决事项"
    case .urgentCoordination: "紧急协调处置并回访"
    case .channelExplanation: "说明受理范围与对应渠道"
    case .careReferral: "关怀帮扶或转介专业服务"
    case .petitionChannel: "引导至信访/司法渠道"
    case .regularLiaison: "常态化对接（非异常）"
    case .careCheck: "关怀回访（不据次数定性）"
    }
  }

  public var english: String {
    switch self {
    case .jointHandling: "joint handling of the unsettled matter"
    case .urgentCoordination: "urgent coordination and call-back"
    case .channelExplanation: "explain the hotline's scope and the right channel"
    case .careReferral: "care or referral to a professional service"
    case .petitionChannel: "refer to the petition or legal channel"
    case .regularLiaison: "regular liaison (not abnormal)"
    case .careCheck: "care call-back (count alone decides nothing)"
    }
  }
}

/// One reason, in both languages.
public struct CallerReason: Sendable, Codable, Equatable {
  public var code: String
  public var zh: String
  public var en: String
}

/// What the review measured for one caller.
public struct CallerFeatures: Sendable, Codable, Equatable {
  public var calls: Int
  public var firstAt: Int64
  public var lastAt: Int64
  public var activeDays: Int
  /// Most calls in any `windowDays` window (the "8 in 30 days" rule).
  public var maxWindowCalls: Int
  public var windowRuleHit: Bool
  /// Most calls in any `burstDays` window, where that window starts, and
  /// log10 of its scan p-value.
  public var maxBurstCalls: Int
  public var burstStart: Int64?
  public var log10PBurst: Double
  /// log10 P(a caller makes at least this many calls), negative binomial
  /// fitted to the population.
  public var log10PVolume: Double
  public var scopeCalls: Int
  public var petitionCalls: Int
  public var scopeClasses: [String: Int]
  public var log10PScope: Double
  /// The largest same-matter group: size, unsettled calls in it, its title,
  /// its ticket ids, and log10 of the binomial tail of its unsettled calls.
  public var matterCalls: Int
  public var matterUnsettled: Int
  public var matterTitle: String
  public var matterTicketIds: [String]
  public var log10PMatter: Double
  public var categories: Int
  /// Shannon entropy (bits) of the caller's categories (topic spread).
  public var topicEntropy: Double
  public var places: Int
  public var unsettledShare: Double
  public var dissatisfiedShare: Double
  public var reopened: Int
  public var nightShare: Double
  public var workingHoursShare: Double
  public var organisationalShare: Double

  enum CodingKeys: String, CodingKey {
    case calls, categories, places, reopened
    case firstAt = "first_at", lastAt = "last_at", activeDays = "active_days"
    case maxWindowCalls = "max_window_calls", windowRuleHit = "window_rule_hit"
    case maxBurstCalls = "max_burst_calls", burstStart = "burst_start", log10PBurst = "log10_p_burst"
    case log10PVolume = "log10_p_volume", scopeCalls = "scope_calls", petitionCalls = "petition_calls"
    case scopeClasses = "scope_classes", log10PScope = "log10_p_scope", matterCalls = "matter_calls"
    case matterUnsettled = "matter_unsettled", matterTitle = "matter_title"
    case matterTicketIds = "matter_ticket_ids", log10PMatter = "log10_p_matter"
    case topicEntropy = "topic_entropy", unsettledShare = "unsettled_share"
    case dissatisfiedShare = "dissatisfied_share", nightShare = "night_share"
    case workingHoursShare = "working_hours_share", organisationalShare = "organisational_share"
  }
}

/// One caller in the review list.
public struct CallerFinding: Sendable, Codable, Equatable {
  public var key: String
  /// Masked number (138****1234) or nil.
  public var mask: String?
  /// −log10 of the smallest channel p-value, Bonferroni-adjusted over the
  /// three evidence channels (burst, matter, scope). Higher = stronger
  /// evidence that the caller's calls need a joint review.
  public var score: Double
  /// That p-value (Bonferroni over channels; may underflow to 0).
  public var pValue: Double
  /// The same, also adjusted over all callers tested (family-wise).
  public var pAdjusted: Double
  public var type: CallerType
  public var flagged: Bool
  public var route: CallerRoute
  public var reasons: [CallerReason]
  public var features: CallerFeatures
  public var ticketIds: [String]
}

/// The population model the review tests against.
public struct CallerPopulation: Sendable, Codable, Equatable {
  public var callers: Int
  public var tickets: Int
  /// Callers with at least `minCalls` calls (the number of tests).
  public var tested: Int
  public var nbP: Double
  public var nbR: Double
  public var meanCalls: Double
  public var scopeRate: Double
  /// Unsettled share of the tickets with a known outcome (0.5 when none is
  /// known, which makes the matter channel silent).
  public var unsettledRate: Double
  /// Tickets with a known outcome (resolution or satisfaction).
  public var outcomeTickets: Int
  public var periodDays: Double

  enum CodingKeys: String, CodingKey {
    case callers, tickets, tested
    case outcomeTickets = "outcome_tickets"
    case nbP = "nb_p", nbR = "nb_r", meanCalls = "mean_calls", scopeRate = "scope_rate"
    case unsettledRate = "unsettled_rate", periodDays = "period_days"
  }
}

/// A string hashed and compared by its UTF-8 bytes (no Unicode
/// normalisation): for tables of strings that come from one source.
struct UTF8Key: Hashable, Sendable {
  let string: String

  init(_ s: String) {
    var s = s
    s.makeContiguousUTF8()
    string = s
  }

  static func == (a: UTF8Key, b: UTF8Key) -> Bool { UTF8Key.equal(a.string, b.string) }

  func hash(into h: inout Hasher) { UTF8Key.hash(string, into: &h) }

  /// Byte equality of two strings' UTF-8.
  @inline(__always) static func equal(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    let fast = a.utf8.withContiguousStorageIfAvailable { pa in
      b.utf8.withContiguousStorageIfAvailable { pb in
        pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0
      }
    }
    if let fast, let fast { return fast }
    return a.utf8.elementsEqual(b.utf8)
  }

  /// Hashes a string's UTF-8 bytes.
  @inline(__always) static func hash(_ s: String, into h: inout Hasher) {
    let done: Void? = s.utf8.withContiguousStorageIfAvailable { h.combine(bytes: UnsafeRawBufferPointer($0)) }
    if done == nil {
      var s = s
      s.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
  }
}

/// Repeat-caller review: per-caller features, abnormality against the
/// population, a typology with reasons, and a route.
///
/// Three evidence channels, each a p-value against the population:
/// - **burst**: the most calls in any `burstDays` window, by the scan
///   statistic (Wallenstein–Neff) against the caller's calls spread evenly
///   over the period;
/// - **matter**: the largest same-matter group (at least `minCalls` calls),
///   unsettled (unresolved, partly resolved or dissatisfied) more often than
///   the population's rate (binomial tail);
/// - **scope**: out-of-scope calls against the population's out-of-scope
///   rate (binomial tail).
/// A caller is flagged when the smallest channel p-value, Bonferroni-adjusted
/// over channels and callers tested, is below `alpha`. Call counts alone
/// never flag anyone: a high count without evidence gives `frequent` or
/// `organisation`, listed but not flagged.
public enum CallerReview {
  /// `review` of every caller in `callers`, on `threads` cores (in more
  /// pieces than cores, so a core slowed by other work does not hold up the
  /// rest), the non-nil results in caller order.
  static func reviewInParallel<T>(_ callers: [Int], threads: Int, _ review: @Sendable (Int) -> T?) -> [T] {
    var slots = [T?](repeating: nil, count: callers.count)
    let parts = callers.count < 256 ? 1 : 4 * max(1, threads)
    slots.withUnsafeMutableBufferPointer { out in
      nonisolated(unsafe) let out = out
      DispatchQueue.concurrentPerform(iterations: parts) { p in
        let lo = callers.count * p / parts, hi = callers.count * (p + 1) / parts
        for k in lo..<hi { out[k] = review(callers[k]) }
      }
    }
    return slots.compactMap { $0 }
  }

  public struct Config: Sendable {
    /// Callers with fewer calls are not tested.
    public var minCalls = 3
    /// The "at least `windowCalls` in `windowDays` days" rule (reported).
    public var windowDays = 30
    public var windowCalls = 8
    /// The burst window.
    public var burstDays = 3
    /// Family-wise error rate over all callers tested.
    public var alpha = 0.01
    /// Local night: from `nightStartHour` to `nightEndHour`.
    public var nightStartHour = 22
    public var nightEndHour = 6
    /// Callers are reviewed on this many threads (the result is the same).
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init() {}
  }

  /// Collects tickets one at a time (streaming), then reviews.
  public struct Builder: Sendable {
    var index: [String: Int32] = [:]
    var keys: [String] = []
    var masks: [String?] = []
    var items: [CallerTicket] = []
    var owner: [Int32] = []
    /// Repeated strings (categories, places, templated titles) share one
    /// buffer: a 3-million-ticket export holds few distinct values.
    /// Keyed by the UTF-8 bytes: String's own hashing and equality normalise
    /// (NFC) non-ASCII text on every call, which dominated the pass.
    var interned: Set<UTF8Key> = []
    public private(set) var ticketsSeen = 0

    public init() {}

    mutating func intern(_ s: String) -> String {
      if s.utf8.count <= 15 { return s }  // small strings are stored inline
      let key = UTF8Key(s)
      if let i = interned.firstIndex(of: key) { return interned[i].string }
      if interned.count < 2_000_000 { interned.insert(key) }
      return s
    }

    /// Adds a ticket (tickets without a caller key count only in `ticketsSeen`).
    public mutating func add(_ item: CallerTicket, callerKey: String?, mask: String?) {
      ticketsSeen += 1
      guard let k = callerKey, !k.isEmpty else { return }
      var item = item
      item.category = intern(item.category)
      item.place = intern(item.place)
      item.title = intern(item.title)
      let c: Int32
      if let i = index[k] {
        c = i
        if masks[Int(i)] == nil, let mask { masks[Int(i)] = mask }
      } else {
        c = Int32(keys.count)
        index[k] = c
        keys.append(k)
        masks.append(mask)
      }
      items.append(item)
      owner.append(c)
    }

    /// Tickets per caller, for concentration measures.
    public var ticketsPerCaller: [Int] {
      var counts = [Int](repeating: 0, count: keys.count)
      for o in owner { counts[Int(o)] += 1 }
      return counts
    }

    public func review(
      config: Config = Config(), clock: ZoneClock = .shanghai, calendar: HolidayCalendar = .china,
      grouping: any SameMatterGrouping = TitleSimilarityMatter()
    ) -> CallerReviewResult {
      CallerReview.review(self, config: config, clock: clock, calendar: calendar, grouping: grouping)
    }
  }

  /// Reviews a collection of tickets (`scopeOf` gives each ticket's
  /// out-of-scope class, if any).
  public static func run(
    _ tickets: some Collection<Ticket>, scopeOf: (Ticket) -> String? = { _ in nil },
    config: Config = Config(), clock: ZoneClock = .shanghai, calendar: HolidayCalendar = .china,
    grouping: any SameMatterGrouping = TitleSimilarityMatter()
  ) -> CallerReviewResult {
    var b = Builder()
    let org = OrganisationWording()
    for t in tickets {
      b.add(
        CallerTicket(t, scope: scopeOf(t), organisational: org.matches(t.text)), callerKey: t.callerKey,
        mask: t.callerMask)
    }
    return b.review(config: config, clock: clock, calendar: calendar, grouping: grouping)
  }

  static func review(
    _ b: Builder, config: Config, clock: ZoneClock, calendar: HolidayCalendar,
    grouping: any SameMatterGrouping
  ) -> CallerReviewResult {
    let counts = b.ticketsPerCaller
    let concentration = CallerConcentration(ticketsPerCaller: counts)
    // Per-caller ticket lists (indices into items), in time order.
    var start = [Int](repeating: 0, count: counts.count + 1)
    for (i, c) in counts.enumerated() { start[i + 1] = start[i] + c }
    var fill = start
    var order = [Int](repeating: 0, count: b.items.count)
    for (i, o) in b.owner.enumerated() {
      order[fill[Int(o)]] = i
      fill[Int(o)] += 1
    }
    var t0 = Int64.max, t1 = Int64.min
    var scoped = 0, withOutcome = 0, unsettled = 0
    for it in b.items {
      t0 = min(t0, it.receivedAt)
      t1 = max(t1, it.receivedAt)
      if it.scope != nil { scoped += 1 }
      if it.hasOutcome {
        withOutcome += 1
        if it.unsettled { unsettled += 1 }
      }
    }
    let period = Double(max(t1 - t0, 86_400))
    let scopeRate = b.items.isEmpty ? 0 : max(Double(scoped) / Double(b.items.count), 1e-6)
    let unsettledRate = withOutcome == 0 ? 0.5 : min(max(Double(unsettled) / Double(withOutcome), 1e-6), 1 - 1e-6)
    // Calls per caller beyond the first: over-dispersed counts on {0, 1, …}.
    let nb = NegativeBinomial.fitMoments(counts.lazy.filter { $0 > 0 }.map { $0 - 1 })
      ?? NegativeBinomial(p: 0.999_999, r: 1e6)
    let tested = counts.filter { $0 >= config.minCalls }.count
    let population = CallerPopulation(
      callers: counts.count, tickets: b.items.count, tested: tested, nbP: nb.p, nbR: nb.r,
      meanCalls: counts.isEmpty ? 0 : Double(b.items.count) / Double(counts.count), scopeRate: scopeRate,
      unsettledRate: unsettledRate, outcomeTickets: withOutcome, periodDays: period / 86_400)

    // Callers are reviewed independently: in parallel, kept in caller order.
    let testedCallers = (0..<counts.count).filter { counts[$0] >= config.minCalls }
    let byCaller = order, offsets = start
    let judge = Judge(population: population, config: config, tested: tested)
    @Sendable func finding(_ c: Int) -> CallerFinding? {
      var tickets = byCaller[offsets[c]..<offsets[c + 1]].map { b.items[$0] }
      tickets.sort { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }
      let f = features(
        tickets, nb: nb, period: period, scopeRate: scopeRate, unsettledRate: unsettledRate, config: config,
        clock: clock, calendar: calendar, grouping: grouping)
      return judge.finding(f, key: b.keys[c], mask: b.masks[c], ticketIds: tickets.map(\.id))
    }
    var findings = reviewInParallel(testedCallers, threads: config.threads, finding)
    findings.sort { ($0.score, $0.features.calls, $1.key) > ($1.score, $1.features.calls, $0.key) }
    return CallerReviewResult(population: population, concentration: concentration, callers: findings)
  }

  /// Turns a caller's features into a finding: flagged on the channels'
  /// evidence, listed when the count is abnormal or the window rule holds,
  /// nil otherwise.
  struct Judge: Sendable {
    let population: CallerPopulation
    let config: Config
    let logM: Double
    let logChannels = log10(3.0)
    let logAlpha: Double

    init(population: CallerPopulation, config: Config, tested: Int) {
      self.population = population
      self.config = config
      logM = log10(Double(max(tested, 1)))
      logAlpha = log10(config.alpha)
    }

    /// Whether channel log p-values all at least `floor` (and the count
    /// and window rule) leave a caller out of the list: then it can be
    /// skipped without its features.
    func leavesOut(channelFloor floor: Double, log10PVolume: Double, windowRuleHit: Bool) -> Bool {
      let logP = min(0, floor + logChannels)
      return !(logP + logM <= logAlpha) && !(log10PVolume + logM <= logAlpha) && !windowRuleHit
    }

    func finding(_ f: CallerFeatures, key: String, mask: String?, ticketIds: [String]) -> CallerFinding? {
      let channels = [f.log10PBurst, f.log10PMatter, f.log10PScope]
      let logP = min(0, (channels.min() ?? 0) + logChannels)
      let flagged = logP + logM <= logAlpha
      let volumeAbnormal = f.log10PVolume + logM <= logAlpha
      guard flagged || volumeAbnormal || f.windowRuleHit else { return nil }
      let sig = { (x: Double) in x + logChannels + logM <= logAlpha }
      var type: CallerType
      if flagged {
        if sig(f.log10PScope) && f.petitionCalls >= max(2, Int((0.4 * Double(f.calls)).rounded(.up))) {
          type = .petition
        } else if sig(f.log10PBurst) {
          type = .burst
        } else if sig(f.log10PScope) {
          type = .scattershot
        } else {
          type = .persistent
        }
      } else {
        type = f.organisationalShare >= 0.3 ? .organisation : .frequent
      }
      let route = CallerReview.route(type, f)
      return CallerFinding(
        key: key, mask: mask, score: logP < 0 ? -logP : 0, pValue: pow(10, logP),
        pAdjusted: min(1, pow(10, logP + logM)), type: type, flagged: flagged, route: route,
        reasons: reasons(type, f, population: population, config: config), features: f,
        ticketIds: ticketIds)
    }
  }

  static func route(_ type: CallerType, _ f: CallerFeatures) -> CallerRoute {
    switch type {
    case .persistent: return .jointHandling
    case .burst: return .urgentCoordination
    case .petition: return .petitionChannel
    case .scattershot:
      let care = (f.scopeClasses["U13"] ?? 0) * 3 >= max(1, f.scopeCalls)
      return care ? .careReferral : .channelExplanation
    case .organisation: return .regularLiaison
    case .frequent: return .careCheck
    }
  }

  static func features(
    _ t: [CallerTicket], nb: NegativeBinomial, period: Double, scopeRate: Double, unsettledRate: Double,
    config: Config, clock: ZoneClock, calendar: HolidayCalendar, grouping: any SameMatterGrouping
  ) -> CallerFeatures {
    let n = t.count
    let times = t.map(\.receivedAt)
    let window = BurstScan.maxWindow(sortedTimes: times, window: Int64(config.windowDays) * 86_400)
    let burstWindow = Int64(config.burstDays) * 86_400
    let burst = BurstScan.maxWindow(sortedTimes: times, window: burstWindow)
    let logBurst = BurstScan.log10PValue(
      maxCount: burst.count, events: n, windowFraction: min(1, Double(burstWindow) / period))
    var scopeClasses: [String: Int] = [:]
    var petition = 0
    for x in t {
      if let s = x.scope {
        scopeClasses[s, default: 0] += 1
        if s == "U02" || s == "U03" { petition += 1 }
      }
    }
    let scopeCalls = scopeClasses.values.reduce(0, +)
    let logScope = BinomialTail.log10AtLeast(scopeCalls, n: n, p: scopeRate)
    // The largest matter: by size, then by unsettled calls.
    let groups = grouping.groups(t)
    var best: [Int] = [], bestUnsettled = 0
    for g in groups {
      let u = g.filter { t[$0].unsettled }.count
      if g.count > best.count || (g.count == best.count && u > bestUnsettled) {
        best = g
        bestUnsettled = u
      }
    }
    let withOutcome = best.filter { t[$0].hasOutcome }.count
    // Repeated (at least `minCalls` times) and unsettled more often than the
    // population's rate. The size itself is not tested: many calls on one
    // matter that keeps being settled are no evidence of anything.
    let logMatter =
      best.count >= config.minCalls && withOutcome > 0
      ? BinomialTail.log10AtLeast(bestUnsettled, n: withOutcome, p: unsettledRate) : 0
    var cats: [String: Int] = [:]
    var places = Set<String>()
    var days = Set<Int>()
    var night = 0, working = 0, org = 0, unsettledAll = 0, outcomeAll = 0, dissatisfied = 0, reopened = 0
    for x in t {
      cats[x.category.isEmpty ? "?" : x.category, default: 0] += 1
      if !x.place.isEmpty { places.insert(x.place) }
      let civil = clock.civil(x.receivedAt)
      let day = clock.dayNumber(x.receivedAt)
      days.insert(day)
      let h = civil.hour
      if config.nightStartHour > config.nightEndHour
        ? (h >= config.nightStartHour || h < config.nightEndHour)
        : (h >= config.nightStartHour && h < config.nightEndHour)
      {
        night += 1
      }
      if calendar.kind(ofDay: day).isWorking && h >= 8 && h < 18 { working += 1 }
      if x.organisational { org += 1 }
      if x.hasOutcome {
        outcomeAll += 1
        if x.unsettled { unsettledAll += 1 }
      }
      if x.dissatisfied { dissatisfied += 1 }
      if x.parentId != nil { reopened += 1 }
    }
    // Summed in a fixed order (not the hashed table's), so that the last
    // digit does not change from run to run.
    var entropy = 0.0
    for k in cats.values.sorted() {
      let p = Double(k) / Double(n)
      entropy -= p * log2(p)
    }
    return CallerFeatures(
      calls: n, firstAt: times.first ?? 0, lastAt: times.last ?? 0, activeDays: days.count,
      maxWindowCalls: window.count, windowRuleHit: window.count >= config.windowCalls,
      maxBurstCalls: burst.count, burstStart: burst.count > 0 ? times[burst.range.lowerBound] : nil,
      log10PBurst: logBurst, log10PVolume: nb.log10AtLeast(n - 1), scopeCalls: scopeCalls,
      petitionCalls: petition, scopeClasses: scopeClasses, log10PScope: logScope, matterCalls: best.count,
      matterUnsettled: bestUnsettled, matterTitle: best.first.map { t[$0].title } ?? "",
      matterTicketIds: best.map { t[$0].id }, log10PMatter: logMatter, categories: cats.count,
      topicEntropy: entropy, places: places.count,
      unsettledShare: outcomeAll == 0 ? 0 : Double(unsettledAll) / Double(outcomeAll),
      dissatisfiedShare: Double(dissatisfied) / Double(n), reopened: reopened,
      nightShare: Double(night) / Double(n), workingHoursShare: Double(working) / Double(n),
      organisationalShare: Double(org) / Double(n))
  }

  /// Formats a log10 p-value for people: 3.2e-7, or 10^-412 past Double's range.
  public static func formatP(log10 l: Double) -> String {
    if l >= -4 { return String(format: "%.4f", pow(10, l)) }
    if l > -300 {
      let e = floor(l)
      return String(format: "%.1fe%d", pow(10, l - e), Int(e))
    }
    return "1e\(Int(l.rounded()))"
  }

  static func reasons(
    _ type: CallerType, _ f: CallerFeatures, population: CallerPopulation, config: Config
  ) -> [CallerReason] {
    var r: [CallerReason] = []
    let pv = formatP(log10: f.log10PVolume)
    r.append(
      CallerReason(
        code: "volume",
        zh: "来电 \(f.calls) 次，分布于 \(f.activeDays) 天（人群负二项尾概率 p=\(pv)）",
        en: "\(f.calls) calls on \(f.activeDays) days (population negative-binomial tail p=\(pv))"))
    if f.windowRuleHit {
      r.append(
        CallerReason(
          code: "window",
          zh: "\(config.windowDays) 天内最多 \(f.maxWindowCalls) 次（规则：≥\(config.windowCalls) 次）",
          en: "up to \(f.maxWindowCalls) calls within \(config.windowDays) days (rule: ≥\(config.windowCalls))"))
    }
    if f.log10PBurst < -2 {
      let p = formatP(log10: f.log10PBurst)
      r.append(
        CallerReason(
          code: "burst",
          zh: "\(config.burstDays) 天内集中来电 \(f.maxBurstCalls) 次（时间扫描统计 p=\(p)）",
          en: "\(f.maxBurstCalls) calls within \(config.burstDays) days (temporal scan p=\(p))"))
    }
    if f.matterCalls >= 2 {
      let p = formatP(log10: f.log10PMatter)
      r.append(
        CallerReason(
          code: "matter",
          zh: "同一事项「\(f.matterTitle)」来电 \(f.matterCalls) 次，其中 \(f.matterUnsettled) 次未解决或不满意（p=\(p)）",
          en: "the same matter “\(f.matterTitle)” \(f.matterCalls) times, \(f.matterUnsettled) unsettled (p=\(p))"))
    }
    if f.scopeCalls > 0 {
      let p = formatP(log10: f.log10PScope)
      let classes = f.scopeClasses.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key)×\($0.value)" }
        .joined(separator: " ")
      let share = String(format: "%.0f%%", 100 * Double(f.scopeCalls) / Double(f.calls))
      let base = String(format: "%.1f%%", 100 * population.scopeRate)
      r.append(
        CallerReason(
          code: "scope",
          zh: "超范围诉求 \(f.scopeCalls) 件（\(share)，人群 \(base)；\(classes)；p=\(p)）",
          en: "\(f.scopeCalls) out-of-scope requests (\(share), population \(base); \(classes); p=\(p))"))
    }
    if f.petitionCalls > 0 {
      r.append(
        CallerReason(
          code: "petition",
          zh: "\(f.petitionCalls) 件称事项已进入信访、诉讼或仲裁程序",
          en: "\(f.petitionCalls) requests say the matter is in petition, court or arbitration"))
    }
    let spread = String(format: "%.1f", f.topicEntropy)
    r.append(
      CallerReason(
        code: "spread",
        zh: "涉及 \(f.categories) 个类别（话题熵 \(spread) 比特）、\(f.places) 个地点",
        en: "\(f.categories) categories (topic entropy \(spread) bits), \(f.places) places"))
    let unsettled = String(format: "%.0f%%", 100 * f.unsettledShare)
    if population.outcomeTickets == 0 {
      r.append(
        CallerReason(
          code: "outcomes", zh: "无办理结果数据（是否解决、满意度），重办/关联 \(f.reopened) 件",
          en: "no outcome data (resolution, satisfaction); \(f.reopened) re-opened or linked"))
    } else {
    r.append(
      CallerReason(
        code: "outcomes",
        zh: "未解决或不满意 \(unsettled)（人群 \(String(format: "%.0f%%", 100 * population.unsettledRate))），重办/关联 \(f.reopened) 件",
        en: "\(unsettled) unsettled (population \(String(format: "%.0f%%", 100 * population.unsettledRate))), \(f.reopened) re-opened or linked"))
    }
    if f.nightShare >= 0.2 {
      let s = String(format: "%.0f%%", 100 * f.nightShare)
      r.append(CallerReason(code: "night", zh: "夜间来电占 \(s)", en: "\(s) of calls at night"))
    }
    if type == .organisation {
      let s = String(format: "%.0f%%", 100 * f.organisationalShare)
      let w = String(format: "%.0f%%", 100 * f.workingHoursShare)
      r.append(
        CallerReason(
          code: "organisation",
          zh: "\(s) 的工单为网格员/物业/社区工作人员代为反映，\(w) 在工作时间：属常规用户，不作异常处理",
          en: "\(s) of tickets are reports by a grid, property or community worker, \(w) in working hours: a regular user, not abnormal"))
    } else if type == .frequent {
      r.append(
        CallerReason(
          code: "count_only",
          zh: "仅来电次数偏高，无同一事项未解决、集中来电或超范围诉求的证据：不标记",
          en: "only the count is high; no evidence of an unsettled matter, a burst or out-of-scope requests: not flagged"))
    }
    return r
  }
}

/// The review's result.
public struct CallerReviewResult: Sendable {
  public var population: CallerPopulation
  public var concentration: CallerConcentration
  /// Ranked by score, highest first: flagged callers, then heavy users.
  public var callers: [CallerFinding]
}
