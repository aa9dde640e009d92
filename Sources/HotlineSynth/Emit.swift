import Foundation
import HotlineCore

extension Engine {
  /// Local wall-clock seconds (Asia/Shanghai) → export text.
  static func timeText(_ local: Int64, dashed: Bool) -> String {
    let days = Int(local / 86_400)
    let secs = Int(local % 86_400)
    let (y, m, d) = CivilDateTime.civilFromDays(days)
    let h = secs / 3600, mi = secs % 3600 / 60, s = secs % 60
    @inline(__always) func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    if dashed { return "\(y)-\(two(m))-\(two(d)) \(two(h)):\(two(mi)):\(two(s))" }
    return "\(y)/\(m)/\(d) \(h):\(two(mi)):\(two(s))"
  }

  static func fixed6(_ x: Double) -> String {
    let v = Int((x * 1e6).rounded())
    var f = String(v % 1_000_000)
    while f.count < 6 { f = "0" + f }
    return "\(v / 1_000_000).\(f)"
  }

  func addWorkdays(_ day: Int, _ n: Int) -> Int {
    var d = day, k = 0
    while k < n {
      d += 1
      if isWorkday(d) { k += 1 }
    }
    return d
  }

  mutating func idNumber() -> String {
    var digits = [3, 2, 0, 4, rng.int(0...9), rng.int(1...9)]
    let y = rng.int(1950...2005), m = rng.int(1...12), d = rng.int(1...28)
    for ch in String(format: "%04d%02d%02d", y, m, d) { digits.append(Int(String(ch))!) }
    for _ in 0..<3 { digits.append(rng.int(0...9)) }
    let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    var sum = 0
    for i in 0..<17 { sum += digits[i] * w[i] }
    let check = Array("10X98765432")[sum % 11]
    return digits.map(String.init).joined() + String(check)
  }

  mutating func plate() -> String {
    let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
    var s = city.platePrefix
    if rng.chance(0.3) { s += "·" }
    if rng.chance(0.2) {
      s += "D" + String(format: "%05d", rng.int(0...99_999))
    } else {
      s += String(letters[rng.below(letters.count)]) + String(format: "%04d", rng.int(0...9999))
    }
    return s
  }

  /// Writes one ticket row and records truth memberships. Returns its id.
  mutating func emit(
    _ spec: TicketSpec, groups: [GroupRef], text: TextMaker, csv: inout OutFile, cats: inout OutFile,
    state: inout RenderState
  ) throws -> String {
    let day = startDay + spec.day
    let received = Int64(day) * 86_400 + Int64(spec.second)
    let dashed = rng.chance(0.15)
    let l2def = Taxonomy.l2[spec.l2]
    let c = spec.community
    let cm = city.communities[c]
    let dName = city.districts[cm.district].name, sName = city.streets[cm.street].name

    // Kind.
    var profile = l2def.profile
    if spec.oos >= 0 {
      let cls = TextBits.outOfScope[spec.oos].cls
      profile = (cls == "U12" || cls == "U13") ? .other : .mixed
    }
    if spec.extra == .organisation { profile = .help }
    let kindIdx = profile.table.sample(&rng)

    // Id.
    let id: String
    if let parent = spec.rehandleOf {
      id = parent + "-01"
      state.rehandleCount += 1
      rehandled.append(SynthTruth.Rehandled(ticketId: id, parentId: parent))
    } else {
      let (y, m, d) = CivilDateTime.civilFromDays(day)
      state.serial += 1 + (rng.chance(0.1) ? rng.int(1...3) : 0)
      var ser = String(state.serial)
      while ser.count < 6 { ser = "0" + ser }
      let yy = y % 100
      id = (yy < 10 ? "0" : "") + "\(yy)" + (m < 10 ? "0" : "") + "\(m)" + (d < 10 ? "0" : "") + "\(d)" + ser
        + Engine.itemCodes[kindIdx]
    }

    // Channel and phone.
    let channelIdx = spec.forcePhone ? 0 : Engine.channels.count > 0 ? Engine.channelWeights.sample(&rng) : 0
    let channel = Engine.channels[channelIdx]
    var phone = ""
    if let n = spec.callerNumber {
      if channelIdx != 0 && !spec.planted && rng.chance(0.3) {
        phone = ["", "", "保密", "匿名"][rng.below(4)]
      } else {
        phone = formatPhone(phoneDigits(n))
      }
    }

    // Category label (noisy).
    var label = spec.l2
    let r = rng.nextDouble()
    if r < 0.03 {
      let sameL1 = Taxonomy.l2.indices.filter {
        Taxonomy.l2[$0].l1Index == l2def.l1Index && $0 != spec.l2 && Taxonomy.l2[$0].weight > 0
      }
      if !sameL1.isEmpty { label = sameL1[rng.below(sameL1.count)] }
    } else if r < 0.045 {
      var k = label
      while Taxonomy.l2[k].l1Index == l2def.l1Index { k = rng.below(Taxonomy.l2.count) }
      label = k
    }
    if label != spec.l2 { state.mislabelled += 1 }
    let truePath = Taxonomy.path(spec.l2)
    let labelText = config.blankCategories ? "" : Taxonomy.path(label)

    // Texts.
    var title: String
    var body = ""
    var oosClass: String? = nil
    var oosReason = ""
    var memo = spec.fixed
    // The matter the text was written from (truth_categories.csv): the theme's key (or
    // "out-of-scope-<class>", "generic") and the title and body template indices.
    var matterTheme = "generic", matterTitle = "", matterBody = ""
    let web = channelIdx != 0
    let prefixes = web ? TextBits.webPrefixes : TextBits.phonePrefixes
    if spec.oos >= 0 {
      let o = TextBits.outOfScope[spec.oos]
      let tt = rng.below(o.titles.count)
      title = text.render(o.titles[tt], community: c, fixed: &memo, rng: &rng)
      body = prefixes[rng.below(prefixes.count)]
      let bt = rng.below(o.bodies.count)
      body += text.render(o.bodies[bt], community: c, fixed: &memo, rng: &rng)
      (matterTheme, matterTitle, matterBody) = ("out-of-scope-" + o.cls, String(tt), String(bt))
      oosClass = o.cls
      oosReason = o.reason
    } else if spec.theme >= 0 {
      let th = Themes.all[spec.theme]
      let tt = rng.below(th.titles.count)
      title = text.render(th.titles[tt], community: c, fixed: &memo, rng: &rng)
      if spec.extra == .organisation {
        body = text.render(
          TextBits.organisationPrefixes[rng.below(TextBits.organisationPrefixes.count)], community: c,
          fixed: &memo, rng: &rng)
      } else {
        body = prefixes[rng.below(prefixes.count)]
      }
      if spec.rehandleOf != nil {
        body += text.render(
          TextBits.rehandlePhrases[rng.below(TextBits.rehandlePhrases.count)], community: c, fixed: &memo, rng: &rng)
      }
      if spec.extra == .escalation {
        body += text.render(TextBits.escalation[rng.below(TextBits.escalation.count)], community: c, fixed: &memo, rng: &rng)
      } else if spec.extra == .urgency {
        body += text.render(TextBits.urgency[rng.below(TextBits.urgency.count)], community: c, fixed: &memo, rng: &rng)
      }
      if spec.hardNegative {
        body += text.render(
          TextBits.hardNegativePrefixes[rng.below(TextBits.hardNegativePrefixes.count)], community: c,
          fixed: &memo, rng: &rng)
      }
      let bt = spec.bodyTemplate.map { min($0, th.bodies.count - 1) } ?? rng.below(th.bodies.count)
      body += text.render(th.bodies[bt], community: c, fixed: &memo, rng: &rng)
      (matterTheme, matterTitle, matterBody) = (th.key, String(tt), String(bt))
      if spec.extra == .petition {
        let p = TextBits.petitionSuffixes[rng.below(TextBits.petitionSuffixes.count)]
        body += text.render(p.t, community: c, fixed: &memo, rng: &rng)
        oosClass = p.cls
        oosReason = p.cls == "U02" ? "事项已进入诉讼/仲裁/复议程序" : "事项已进入信访渠道"
      }
    } else {
      // Generic text from the category keywords.
      let kw = l2def.keywords
      let place = text.fill(.place, community: c, fixed: memo, rng: &rng)
      title = place + kw[0] + ["问题", "", "的诉求", "相关问题"][rng.below(4)]
      body = prefixes[rng.below(prefixes.count)] + place + "[\(kw[rng.below(kw.count)])]方面存在问题，"
      body = body.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
      body += ["涉及" + kw[rng.below(kw.count)] + "，", "", "情况比较急，"][rng.below(3)]
    }
    let demand = TextBits.demands[rng.below(TextBits.demands.count)]
    if !demand.isEmpty {
      body += rng.chance(0.02) ? "\n" + demand : demand
    }
    // PII inside the text (~2 %).
    var hasPII = false
    if rng.chance(0.02) {
      hasPII = true
      switch rng.below(3) {
      case 0:
        let digits = spec.callerNumber.map { phoneDigits($0) } ?? phoneDigits(60_000_000 + rng.below(1_000_000))
        let mobile = digits.hasPrefix("0") ? phoneDigits(61_000_000 + rng.below(1_000_000)) : digits
        body += TextBits.piiPhrases[rng.below(TextBits.piiPhrases.count)] + (mobile.hasPrefix("0") ? "1390000" + mobile.suffix(4) : mobile) + "。"
      case 1: body += "身份证号" + idNumber() + "。"
      default: body += ["车牌号", "肇事车辆", "车牌"][rng.below(3)] + plate() + "。"
      }
    }
    // Noise: typos, full-width, ASCII punctuation.
    if rng.chance(0.07) {
      let (a, b) = TextBits.typos[rng.below(TextBits.typos.count)]
      if let range = body.range(of: a) { body.replaceSubrange(range, with: b) }
    }
    if rng.chance(0.02) { body = TextMaker.fullWidth(body) }
    if rng.chance(0.01) { body = body.replacingOccurrences(of: "APP", with: "ＡＰＰ") }
    if rng.chance(0.03) { body = body.replacingOccurrences(of: "，", with: ",") }
    if rng.chance(0.01) { title = "\"" + title + "\"" }
    if rng.chance(0.01) { title = title.replacingOccurrences(of: "问题", with: "问题,急") }

    // Place columns.
    var district = dName, street = sName, community = cm.name
    if rng.chance(0.03) { district = String(district.dropLast()) }
    if rng.chance(0.03) {
      street = street.hasSuffix("街道") ? (rng.chance(0.5) ? String(street.dropLast(2)) : street + "办事处") : street
    }
    if rng.chance(0.1) { community = "" }
    if rng.chance(0.03) { street = "" }
    let address = rng.chance(0.03) ? "" : text.address(community: c, fixed: memo, rng: &rng)

    // Coordinates.
    var lonS = "", latS = "", crsS = ""
    let cr = rng.nextDouble()
    if cr < 0.92 {
      let base = spec.location ?? cm.centroid
      let j = spec.jitterM
      let w = Coordinate(lon: base.lon + rng.normal() * j / 94_200, lat: base.lat + rng.normal() * j / 111_000)
      let sys: CoordinateSystem = cr < 0.72 ? .gcj02 : (cr < 0.84 ? .wgs84 : .bd09)
      let p = sys.fromWGS84(w)
      lonS = Engine.fixed6(p.lon)
      latS = Engine.fixed6(p.lat)
      crsS = sys.rawValue
    }

    // Handling.
    let deadlineDay = addWorkdays(day, Engine.deadlineDays[kindIdx])
    let deadline = Int64(deadlineDay) * 86_400 + Int64(spec.second)
    var dispatchS = "", deptS = "", transfers = 0, closedS = "", status = "", resolved = "", satisfaction = ""
    let direct = kindIdx == 0 && !spec.planted && rng.chance(0.45)
    var closedAt: Int64
    var resolution: Int  // 0 解决, 1 部分, 2 未
    if direct || spec.oos >= 0 && rng.chance(0.6) {
      deptS = "市民热线服务中心"
      closedAt = received + Int64(rng.int(120...1800))
      resolution = spec.oos >= 0 ? (rng.chance(0.5) ? 2 : 0) : 0
    } else {
      let webDelay = channelIdx != 0 ? Int64(rng.int(3600...86_400)) : Int64(rng.int(300...10_800))
      let dispatched = received + webDelay
      dispatchS = Engine.timeText(dispatched, dashed: dashed)
      var deps: [String]
      if spec.style == .pingpong, let md = spec.departments, !md.isEmpty {
        var pool = md
        deps = []
        let k = rng.int(min(2, pool.count)...pool.count)
        for _ in 0..<k { deps.append(pool.remove(at: rng.below(pool.count))) }
        transfers = deps.count - 1 + rng.int(0...3)
      } else {
        let pats = l2def.departments
        deps = [resolveDept(rng.chance(0.7) ? pats[0] : pats[rng.below(pats.count)], district: dName, street: sName)]
        if pats.count > 1 && rng.chance(0.18) {
          let second = resolveDept(pats[rng.below(pats.count)], district: dName, street: sName)
          if second != deps[0] { deps.append(second) }
        }
        let tr = rng.nextDouble()
        transfers = tr < 0.7 ? 0 : (tr < 0.9 ? 1 : (tr < 0.97 ? 2 : rng.int(3...5)))
        if deps.count > 1 { transfers = max(transfers, 1) }
      }
      deptS = deps.joined(separator: ";")
      let span = Double(deadline - dispatched)
      let u = rng.nextDouble()
      var handle = Int64(span * (0.05 + 0.85 * u * u))
      if rng.chance(spec.style == .pingpong ? 0.2 : 0.06) { handle = Int64(span) + Int64(rng.int(3600...10 * 86_400)) }
      closedAt = dispatched + handle + Int64(transfers) * Int64(rng.int(0...86_400))
      let rr = rng.nextDouble()
      switch spec.style {
      case .pingpong: resolution = rr < 0.12 ? 0 : (rr < 0.42 ? 1 : 2)
      case .unresolved: resolution = rr < 0.1 ? 0 : (rr < 0.35 ? 1 : 2)
      case .resolved: resolution = rr < 0.93 ? 0 : 1
      case .normal: resolution = rr < 0.72 ? 0 : (rr < 0.87 ? 1 : 2)
      }
    }
    let open = closedAt > state.exportEnd || rng.chance(0.015)
    if open {
      let o = rng.nextDouble()
      status = o < 0.6 ? "办理中" : (o < 0.75 ? "待签收" : (o < 0.85 ? "退回" : "延期办理"))
    } else {
      closedS = Engine.timeText(closedAt, dashed: dashed)
      let o = rng.nextDouble()
      status = o < 0.4 ? "已办结" : (o < 0.9 ? "已回访" : "已归档")
      resolved = ["解决", "部分解决", "未解决"][resolution]
      let sr = rng.nextDouble()
      switch resolution {
      case 0: satisfaction = sr < 0.7 ? "满意" : (sr < 0.9 ? "基本满意" : "未评价")
      case 1: satisfaction = sr < 0.4 ? "基本满意" : (sr < 0.75 ? "不满意" : "未评价")
      default: satisfaction = sr < 0.6 ? "不满意" : (sr < 0.7 ? "基本满意" : "未评价")
      }
      if !spec.planted && spec.rehandleOf == nil && resolution == 2 && spec.theme >= 0 && rng.chance(0.3),
        let n = spec.callerNumber
      {
        if ring.count >= 600 { ring.remove(at: rng.below(ring.count)) }
        ring.append((id, n, spec.l2, spec.theme, c, spec.day))
      }
    }

    // Write.
    csv.field(id)
    csv.field(Engine.timeText(received, dashed: dashed))
    csv.field(phone)
    csv.field(channel)
    csv.field(Engine.kindNames[kindIdx])
    csv.field(labelText)
    csv.field(title)
    csv.field(body)
    csv.field(district)
    csv.field(street)
    csv.field(community)
    csv.field(address)
    csv.field(lonS)
    csv.field(latS)
    csv.field(crsS)
    csv.field(dispatchS)
    csv.field(Engine.timeText(deadline, dashed: dashed))
    csv.field(deptS)
    csv.field(String(transfers))
    csv.field(closedS)
    csv.field(status)
    csv.field(resolved)
    csv.field(satisfaction)
    csv.field(spec.related ?? "", last: true)
    cats.field(id)
    cats.field(truePath)
    cats.field(matterTheme)
    cats.field(matterTitle)
    cats.field(matterBody, last: true)

    // Truth.
    if hasPII { pii.append(id) }
    if spec.hardNegative { hardNegatives.append(SynthTruth.HardNegative(ticketId: id, reason: "在范围内；文本顺带提及法院/信访（地标）")) }
    if let cls = oosClass { outOfScope.append(SynthTruth.OutOfScope(ticketId: id, class: cls, reason: oosReason)) }
    for g in groups {
      switch g {
      case .outbreak(let i): outbreaks[i].ticketIds.append(id)
      case .recurring(let i):
        recurring[i].ticketIds.append(id)
        if let n = spec.callerNumber { recurringCallers[i].insert(n) }
      case .incident(let i): incidents[i].ticketIds.append(id)
      case .caller(let i): callers[i].ticketIds.append(id)
      case .oos: break  // recorded above from the rendered text
      }
    }
    return id
  }

  mutating func finish(directory: URL, state: RenderState, tickets: Int, csvBytes: Int, catBytes: Int) throws
    -> SynthSummary
  {
    for i in recurring.indices { recurring[i].callers = recurringCallers[i].count }
    let plantedDistinct = Set(plantedCallerIndex).count
    let callerCount = oneOffCounter + poolUsed.count + plantedDistinct
    let endDay = startDay + nDays - 1
    let truth = SynthTruth(
      formatVersion: 1,
      meta: SynthTruth.Meta(
        generator: "HotlineSynth.CityGenerator", preset: config.preset.rawValue, seed: config.seed,
        encoding: config.encoding.rawValue, blankCategories: config.blankCategories, startDate: dateString(startDay),
        endDate: dateString(endDay), days: nDays, tickets: tickets, callers: callerCount,
        mislabelled: state.mislabelled, city: city.name, timeZone: "Asia/Shanghai",
        notes: [
          "Synthetic data; free to use under the project licence.",
          "No raw phone numbers: callers are identified by ticket ids; caller_phone_hint is masked.",
          "True category of every ticket: truth_categories.csv (工单编号,true_category,theme,title,body).",
          "theme/title/body: the text theme (or out-of-scope-<class>, or generic for keyword text) and the indices of the title and body templates the ticket was written from.",
        ] + (config.nullCity ? ["Null city: no planted outbreaks, recurring classes or same-incident groups."] : [])),
      categories: Taxonomy.l2.map {
        SynthTruth.Category(
          code: $0.code, path: Taxonomy.path(Taxonomy.index($0.code)), l1: Taxonomy.l1[$0.l1Index].name, l2: $0.name,
          weight: $0.weight)
      },
      ticketCategoriesFile: "truth_categories.csv",
      outbreaks: outbreaks, seasonal: seasonalWindows.map(\.truth), recurringClasses: recurring, incidents: incidents,
      callers: callers, callersTruth: callers.map(\.ticketIds), outOfScope: outOfScope, hardNegatives: hardNegatives,
      piiInText: pii, rehandled: rehandled)
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    enc.keyEncodingStrategy = .convertToSnakeCase
    let truthData = try enc.encode(truth)
    try truthData.write(to: directory.appendingPathComponent("truth.json"))
    let cityData = try enc.encode(city)
    try cityData.write(to: directory.appendingPathComponent("city.json"))
    var counts: [String: Int] = [:]
    for c in callers { counts[c.type, default: 0] += 1 }
    return SynthSummary(
      preset: config.preset.rawValue, seed: config.seed, encoding: config.encoding.rawValue,
      startDate: dateString(startDay), endDate: dateString(endDay), tickets: tickets, callers: callerCount,
      outbreaks: outbreaks.count, seasonal: seasonalWindows.count, recurringClasses: recurring.count,
      incidents: incidents.count, plantedCallers: counts, outOfScope: outOfScope.count,
      hardNegatives: hardNegatives.count, piiInText: pii.count, mislabelled: state.mislabelled,
      rehandled: rehandled.count,
      files: [
        "tickets.csv": csvBytes, "truth_categories.csv": catBytes, "truth.json": truthData.count,
        "city.json": cityData.count,
      ], seconds: 0)
  }
}
