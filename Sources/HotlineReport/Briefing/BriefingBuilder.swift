import Foundation
public import HotlineAnalysis
public import HotlineCore
import HotlineStats

/// What the CLI reads from the store for one briefing.
public struct BriefingInput: Sendable {
  public var kind: BriefingKind
  public var period: ReportPeriod
  /// 专报: a category path prefix or a word of the title/text; 每月一题: optional category prefix.
  public var topic: String?
  /// Tickets of the period and of the previous period.
  public var current: [Ticket]
  public var previous: [Ticket]
  /// Tickets in the same period one year earlier (nil: the data does not reach back).
  public var yearEarlierCount: Int?
  /// Monthly (or other) trend points with the same span a year earlier.
  public var trend: [BriefingData.TrendPoint]
  /// L2 category counts per month for the months before the period (persistence).
  public var monthlyCategoryCounts: [[String: Int]]
  public var findings: BriefingFindings
  public var definitions: KPIDefinitions
  public var thresholds: KPIThresholds
  public var asOf: Int64
  public var clock: ZoneClock
  public var calendar: HolidayCalendar

  public init(
    kind: BriefingKind, period: ReportPeriod, topic: String? = nil, current: [Ticket], previous: [Ticket],
    yearEarlierCount: Int? = nil, trend: [BriefingData.TrendPoint] = [], monthlyCategoryCounts: [[String: Int]] = [],
    findings: BriefingFindings = BriefingFindings(), definitions: KPIDefinitions = KPIDefinitions(),
    thresholds: KPIThresholds = KPIThresholds(), asOf: Int64,
    clock: ZoneClock = .shanghai, calendar: HolidayCalendar = .china
  ) {
    self.kind = kind
    self.period = period
    self.topic = topic
    self.current = current
    self.previous = previous
    self.yearEarlierCount = yearEarlierCount
    self.trend = trend
    self.monthlyCategoryCounts = monthlyCategoryCounts
    self.findings = findings
    self.definitions = definitions
    self.thresholds = thresholds
    self.asOf = asOf
    self.clock = clock
    self.calendar = calendar
  }
}

/// Computes a briefing's numbers from tickets (pure: no database, no clock).
public enum BriefingBuilder {
  public static func l2(_ t: Ticket) -> String? {
    t.category.isEmpty ? nil : t.category.prefix(2).joined(separator: Ticket.categorySeparator)
  }

  /// Whether a ticket belongs to a 专报 topic: category path prefix, or a word of the title or text.
  public static func matches(_ t: Ticket, topic: String) -> Bool {
    t.categoryPath.hasPrefix(topic) || (t.title ?? "").contains(topic) || t.text.contains(topic)
  }

  /// The department handling most of the tickets, leaving out the hotline
  /// centre itself (it answers directly; it is never the unit to lead a fix).
  static func lead(_ depts: [String: Int]) -> String? {
    let real = depts.filter { !$0.key.contains("热线") }
    return (real.isEmpty ? depts : real).max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
  }

  public static func build(_ input: BriefingInput, lang: Language) -> BriefingData {
    var evidence: [Evidence] = []
    func ev(_ label: String, _ ids: [String]) -> String {
      let id = "ev\(evidence.count + 1)"
      evidence.append(Evidence(id: id, label: label, count: ids.count, ticketIds: ids))
      return id
    }
    var cur = input.current, prev = input.previous
    if input.kind == .special, let topic = input.topic {
      cur = cur.filter { matches($0, topic: topic) }
      prev = prev.filter { matches($0, topic: topic) }
    } else if input.kind == .monthlyTopic, let topic = input.topic {
      cur = cur.filter { $0.categoryPath.hasPrefix(topic) }
      prev = prev.filter { $0.categoryPath.hasPrefix(topic) }
    }
    let p = input.period
    let curEv = ev(lang.pick("本期工单", "Tickets of the period"), cur.map(\.id))
    _ = curEv

    // Trend: given months, or the period's days.
    var trend = input.trend
    if trend.isEmpty || input.kind == .special || input.kind == .weekly {
      var byDay = [Int](repeating: 0, count: p.days)
      for t in cur {
        let d = input.clock.dayNumber(t.receivedAt) - p.startDay
        if d >= 0 && d < p.days { byDay[d] += 1 }
      }
      var prevByDay = [Int](repeating: 0, count: p.days)
      let pp = input.kind == .special || input.kind == .weekly ? p.previous : p.yearEarlier
      for t in prev {
        let d = input.clock.dayNumber(t.receivedAt) - pp.startDay
        if d >= 0 && d < p.days { prevByDay[d] += 1 }
      }
      trend = (0..<p.days).map {
        BriefingData.TrendPoint(label: String(ReportPeriod.dayString(p.startDay + $0).suffix(5)), count: byDay[$0], lastYear: prevByDay[$0])
      }
    }

    func mix(_ key: (Ticket) -> String?, top: Int) -> [BriefingData.MixItem] {
      var c: [String: Int] = [:], pc: [String: Int] = [:]
      for t in cur { c[key(t) ?? lang.pick("未分类", "unclassified"), default: 0] += 1 }
      for t in prev { pc[key(t) ?? lang.pick("未分类", "unclassified"), default: 0] += 1 }
      let sorted = c.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
      var items = sorted.prefix(top).map { BriefingData.MixItem(name: $0.key, count: $0.value, previous: pc[$0.key] ?? 0) }
      if sorted.count > top {
        let rest = sorted.dropFirst(top)
        let restNames = Set(rest.map(\.key))
        items.append(BriefingData.MixItem(
          name: lang.pick("其他", "other"), count: rest.reduce(0) { $0 + $1.value },
          previous: pc.filter { restNames.contains($0.key) }.reduce(0) { $0 + $1.value }))
      }
      return items
    }
    let categoryMix = mix({ $0.category.first }, top: 8)
    let channelMix = mix({ $0.channel }, top: 8)
    let kindMix = mix({ $0.kind.map { lang == .zh ? $0.rawValue : $0.english } }, top: 8)

    let th = input.thresholds
    let byDept = KPIReport(tickets: cur, grouping: .department, asOf: input.asOf, definitions: input.definitions, thresholds: th)
    let byStreet = KPIReport(tickets: cur, grouping: .street, asOf: input.asOf, definitions: input.definitions, thresholds: th)

    // Rising categories (L2) against the previous period, general change removed.
    var rising: [RisingCategory] = []
    let ratio = Double(max(cur.count, 1)) / Double(max(prev.count, 1))
    var curBy: [String: [Ticket]] = [:], prevBy: [String: Int] = [:]
    for t in cur { if let k = l2(t) { curBy[k, default: []].append(t) } }
    for t in prev { if let k = l2(t) { prevBy[k, default: 0] += 1 } }
    for (k, ts) in curBy where ts.count >= 8 {
      let expected = (Double(prevBy[k] ?? 0) + 0.5) * ratio
      guard Double(ts.count) > expected * 1.2 else { continue }
      let pv = Distributions.poissonAtLeast(ts.count, mean: expected)
      guard pv < 0.05 else { continue }
      var streets: [String: Int] = [:], depts: [String: Int] = [:]
      for t in ts {
        if let s = t.street { streets[(t.district.map { $0 + "/" } ?? "") + s, default: 0] += 1 }
        if let d = t.departments.first { depts[d, default: 0] += 1 }
      }
      let topStreet = streets.max { ($0.value, $1.key) < ($1.value, $0.key) }
      let lead = lead(depts)
      let typical = ts.first { t in topStreet.map { (t.district.map { $0 + "/" } ?? "") + (t.street ?? "") == $0.key } ?? true } ?? ts[0]
      rising.append(RisingCategory(
        category: k, observed: ts.count, previous: prevBy[k] ?? 0, expected: expected, pValue: pv, topStreet: topStreet?.key,
        topStreetShare: topStreet.map { Double($0.value) / Double(ts.count) }, leadDepartment: lead, typicalTicketId: typical.id,
        typicalTicket: typical.text, ticketIds: ts.map(\.id)))
    }
    rising.sort { ($0.pValue, -Double($0.observed) + $0.expected, $0.category) < ($1.pValue, -Double($1.observed) + $1.expected, $1.category) }
    rising = Array(rising.prefix(input.kind == .leadership ? 3 : 5))

    // 每月一题 candidates.
    var candidates: [TopicCandidate] = []
    if input.kind == .monthlyTopic {
      let months = input.monthlyCategoryCounts
      for (k, ts) in curBy where ts.count >= 10 {
        var streets: [String: Int] = [:], depts: [String: Int] = [:]
        var multi = 0
        for t in ts {
          if let s = t.street { streets[(t.district.map { $0 + "/" } ?? "") + s, default: 0] += 1 }
          if let d = t.departments.first { depts[d, default: 0] += 1 }
          if (t.transferCount ?? 0) >= input.definitions.multipleTransfers { multi += 1 }
        }
        let counts = months.map { $0[k] ?? 0 } + [ts.count]
        let meanMonth = Double(counts.reduce(0, +)) / Double(counts.count)
        let persistent = counts.suffix(6).filter { Double($0) >= 0.2 * meanMonth && $0 > 0 }.count
        let kpi = KPIReport(tickets: ts, grouping: .district, asOf: input.asOf, definitions: input.definitions, thresholds: th).overall
        let examples = Array(ts.sorted { ($0.text.count, $0.id) > ($1.text.count, $1.id) }.prefix(3))
        candidates.append(TopicCandidate(
          category: k, tickets: ts.count, share: Double(ts.count) / Double(max(cur.count, 1)), streets: streets.count,
          topStreetShare: Double(streets.values.max() ?? 0) / Double(ts.count), persistentMonths: persistent,
          resolution: kpi.resolution.value, satisfaction: kpi.satisfaction.value,
          multiTransferShare: Double(multi) / Double(ts.count), score: 0,
          leadDepartment: lead(depts),
          exampleTicketIds: examples.map(\.id), examples: examples.map(\.text), ticketIds: ts.map(\.id)))
      }
      // Score: mean of percentile ranks of volume, concentration, persistence, unresolved share, multi-transfer share.
      func pct(_ v: [Double]) -> [Double] {
        let n = Double(max(v.count - 1, 1))
        return v.map { x in Double(v.filter { $0 < x }.count) / n }
      }
      let vol = pct(candidates.map { Double($0.tickets) }), conc = pct(candidates.map(\.topStreetShare))
      let pers = candidates.map { Double($0.persistentMonths) / 6 }
      let unres = pct(candidates.map { 1 - ($0.resolution ?? 1) }), multi = pct(candidates.map(\.multiTransferShare))
      for i in candidates.indices {
        candidates[i].score = (0.3 * vol[i] + 0.15 * conc[i] + 0.2 * pers[i] + 0.2 * unres[i] + 0.15 * multi[i])
      }
      candidates.sort { ($0.score, $1.category) > ($1.score, $0.category) }
      candidates = Array(candidates.prefix(10))
    }

    // Map: street centroids of the period's tickets, the spellings of a
    // street (碧溪街道, 碧溪, 碧溪街道办事处) as one, under its most frequent.
    var spellings = AreaSpellings()
    func streetParts(_ t: Ticket) -> [String]? { KPIGrouping.street.unitParts(of: t) }
    var sums: [String: (Double, Double, Int, Int)] = [:]
    for t in cur {
      guard let parts = streetParts(t) else { continue }
      let key = spellings.add(parts)
      var e = sums[key] ?? (0, 0, 0, 0)
      if let loc = t.location { e.0 += loc.lon; e.1 += loc.lat; e.3 += 1 }
      e.2 += 1
      sums[key] = e
    }
    var prevStreets: [String: Int] = [:]
    for t in prev { if let parts = streetParts(t) { prevStreets[spellings.key(parts), default: 0] += 1 } }
    let areas = sums.filter { $0.value.3 > 0 }.map {
      AreaPoint(
        area: spellings.name($0.key) ?? $0.key, lon: $0.value.0 / Double($0.value.3), lat: $0.value.1 / Double($0.value.3),
        tickets: $0.value.2, previous: prevStreets[$0.key] ?? 0)
    }.sorted { ($0.tickets, $1.area) > ($1.tickets, $0.area) }

    // Alerts.
    var alerts: [BriefAlert] = []
    let k = byDept.overall
    for (name, rate, floor) in [
      (lang.pick("响应率", "Response rate"), k.response, th.response), (lang.pick("按时办结率", "On-time closure"), k.onTime, th.onTime),
      (lang.pick("解决率", "Resolution rate"), k.resolution, th.resolution), (lang.pick("满意率", "Satisfaction rate"), k.satisfaction, th.satisfaction),
    ] {
      guard let v = rate.value else { continue }
      let level: BriefAlert.Level = v >= floor ? .green : (v >= floor - 0.03 ? .amber : .red)
      alerts.append(BriefAlert(
        level: level, text: String(format: lang.pick("%@ %.1f%%（目标 %.0f%%）", "%@ %.1f%% (floor %.0f%%)"), name, v * 100, floor * 100),
        evidence: ev(
          failingTicketsLabel(lang.pick("\(name)未达标工单", "\(name): failing tickets"), rate, lang), rate.failingTicketIds)))
    }
    let below = (byDept.belowThreshold + byStreet.belowThreshold)
    if !below.isEmpty {
      alerts.append(BriefAlert(
        level: .amber, text: lang.pick("\(below.count) 个单位/街道低于考核线（见考核通报）", "\(below.count) units or streets below a floor (see assessment)"), evidence: nil))
    }
    let m = Double(max(curBy.count, 1))
    for r in rising where r.pValue < 0.01 / m {
      alerts.append(BriefAlert(
        level: Double(r.observed) >= 2 * r.expected ? .red : .amber,
        text: String(format: lang.pick("%@ 上升：%d 件，预期 %.1f（p=%.1e）", "%@ rising: %d tickets, expected %.1f (p=%.1e)"), r.category, r.observed, r.expected, r.pValue),
        evidence: ev(r.category, r.ticketIds)))
    }
    for h in input.findings.hotspots where h.pValue < 0.01 {
      alerts.append(BriefAlert(level: .red, text: lang.pick("热点：", "Hotspot: ") + h.title, evidence: ev(h.title, h.ticketIds)))
    }
    if prev.count > 0, Double(cur.count) / Double(prev.count) > 1.2 * Double(p.days) / Double(max(input.period.previous.days, 1)) {
      alerts.append(BriefAlert(level: .amber, text: String(format: lang.pick("总量环比上升 %.0f%%", "Volume up %.0f%% on the previous period"), (Double(cur.count) / Double(prev.count) - 1) * 100), evidence: nil))
    }
    alerts.sort { a, b in
      let o: [BriefAlert.Level: Int] = [.red: 0, .amber: 1, .green: 2]
      return o[a.level]! < o[b.level]!
    }

    // Calendar risks of the next period.
    var risks: [String] = []
    let nextStart = p.endDay + 1, nextEnd = p.endDay + max(7, min(p.days, 31))
    var seen = Set<String>()
    for d in nextStart...nextEnd {
      if let e = input.calendar.entry(ofDay: d) {
        let s = e.kind == .holiday ? lang.pick("\(e.name)假期", "\(e.name) holiday") : lang.pick("\(e.name)调休上班", "\(e.name) make-up workday")
        let line = s + " " + ReportPeriod.dayString(d)
        if seen.insert(e.name + e.kind.rawValue).inserted { risks.append(line) }
      }
    }
    let (y, _, _) = CivilDateTime.civilFromDays(nextStart)
    for tpl in CampaignTemplate.standard {
      for yy in (y - 1)...y {
        if let w = tpl.window(yy, input.calendar), w.upperBound >= nextStart, w.lowerBound <= nextEnd {
          risks.append((lang == .zh ? tpl.nameZh : tpl.nameEn) + " " + ReportPeriod.dayString(w.lowerBound) + "–" + ReportPeriod.dayString(w.upperBound) + lang.pick("（建议牵头：", " (lead: ") + (lang == .zh ? tpl.leadZh : tpl.leadEn) + lang.pick("）", ")"))
        }
      }
    }

    // Typical tickets (专报: earliest and longest-standing places).
    var typical: [BriefingData.TypicalTicket] = []
    var firstReport: String? = nil
    if input.kind == .special, let first = cur.min(by: { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }) {
      firstReport = input.clock.iso8601(first.receivedAt)
      var seenStreets = Set<String>()
      for t in cur.sorted(by: { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }) where typical.count < 5 {
        if seenStreets.insert(t.street ?? "").inserted {
          typical.append(.init(id: t.id, received: input.clock.iso8601(t.receivedAt), area: [t.district, t.street].compactMap { $0 }.joined(separator: "/"), category: t.categoryPath, text: t.text))
        }
      }
    }

    return BriefingData(
      kind: input.kind, period: p, previousPeriod: p.previous, yearEarlierPeriod: p.yearEarlier, topic: input.topic,
      tickets: cur.count, previousTickets: prev.count, yearEarlierTickets: input.yearEarlierCount,
      dailyAverage: Double(cur.count) / Double(p.days), trend: trend, categoryMix: categoryMix, channelMix: channelMix,
      kindMix: kindMix, kpi: byDept.overall, departments: Array(byDept.units.prefix(15)), streets: Array(byStreet.units.prefix(15)),
      belowThreshold: below, thresholds: th, pingPong: Array(byDept.pingPongPairs.prefix(8)), rising: rising, candidates: candidates,
      areas: areas, alerts: alerts, findings: input.findings, topicFirstReport: firstReport, typicalTickets: typical,
      calendarRisks: risks, evidence: evidence)
  }
}
