import Foundation
import HotlineCore
import HotlineText

/// A planted "matter": one problem at one place (or of one entity).
struct Matter {
  var l2: Int
  var theme: Int  // index into Themes.all, or -1 (generic / out-of-scope)
  var oos: Int = -1  // index into TextBits.outOfScope
  var communities: [Int]
  var fixed: [Slot: String] = [:]
  var location: Coordinate? = nil  // WGS-84
  var jitterM: Double = 500
  var bodyTemplate: Int? = nil
  var departments: [String]? = nil
}

enum Extra: UInt8 { case none, escalation, urgency, petition, organisation }
enum Style: UInt8 { case normal, pingpong, resolved, unresolved }

enum GroupRef {
  case outbreak(Int), recurring(Int), incident(Int), caller(Int), oos(Int)
}

struct Planned {
  var second: Int32
  var matter: Int32
  var caller: Int32  // planted caller index into Engine.callerIndex, or -1 fresh, -2 pool
  var extra: Extra = .none
  var style: Style = .normal
  var groups: [GroupRef] = []
  var relateKey: Int32 = -1
  var relateP: Float = 0
  var forcePhone = false
  var randomTopic = false  // scattershot: ignore matter, pick any category
}

struct Engine {
  let config: CityGenerator
  let city: CityGazetteer
  var rng: SplitMix64

  // Calendar.
  let startDay: Int
  let nDays: Int
  var holidays: Set<Int> = []
  var springFestivals: [Int] = []

  // Derived tables.
  var communityTable: WeightedTable
  var ruralCommunities: [Int]
  var urbanCommunities: [Int]
  var entitiesByType: [String: [Int]] = [:]
  let baseWeights: [Double]

  // Plan.
  var matters: [Matter] = []
  var byDay: [[Planned]]
  var seasonalWindows: [(l2: [Int], start: Int, end: Int, factor: Double, truth: SynthTruth.Seasonal)] = []
  var outbreaks: [SynthTruth.Outbreak] = []
  var recurring: [SynthTruth.RecurringClass] = []
  var recurringCallers: [Set<Int>] = []
  var incidents: [SynthTruth.Incident] = []
  var callers: [SynthTruth.Caller] = []
  var plantedCallerIndex: [Int] = []  // caller number per planted caller
  var relateIds: [String?] = []
  var outOfScope: [SynthTruth.OutOfScope] = []
  var hardNegatives: [SynthTruth.HardNegative] = []
  var pii: [String] = []
  var rehandled: [SynthTruth.Rehandled] = []
  var plannedCount = 0

  // Caller model.
  var oneOffCounter = 0
  var poolSize: Int
  var poolUsed = Set<Int>()
  var dedicatedCounter = 98_000_000
  var dedicatedUsed = 0

  // Rehandle ring: (id, caller, l2, theme, community).
  var ring: [(String, Int, Int, Int, Int, Int)] = []

  init(config: CityGenerator, city: CityGazetteer) {
    self.config = config
    self.city = city
    rng = SplitMix64(seed: config.seed &* 0x9E37_79B9_7F4A_7C15 ^ 0x5EED)
    startDay = CivilDateTime.daysFromCivil(
      year: config.startDate.year, month: config.startDate.month, day: config.startDate.day)
    nDays = config.days
    communityTable = WeightedTable(city.communities.map { Double($0.population) })
    ruralCommunities = city.communities.indices.filter { city.communities[$0].rural }
    urbanCommunities = city.communities.indices.filter { !city.communities[$0].rural }
    if ruralCommunities.isEmpty { ruralCommunities = urbanCommunities }
    for (i, e) in city.entities.enumerated() { entitiesByType[e.type, default: []].append(i) }
    baseWeights = Taxonomy.l2.map { $0.weight }
    byDay = Array(repeating: [], count: config.days)
    poolSize = max(100, Int(Double(config.ticketTarget) * 0.36 / 3.0))
    setUpCalendar()
  }

  // MARK: - Calendar

  static let springFestival: [Int: (Int, Int)] = [
    2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29),
    2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23),
  ]

  mutating func setUpCalendar() {
    let y0 = config.startDate.year
    for y in (y0 - 1)...(y0 + 3) {
      func d(_ m: Int, _ dd: Int) -> Int { CivilDateTime.daysFromCivil(year: y, month: m, day: dd) }
      let (sm, sd) = Engine.springFestival[y] ?? (2, 1)
      let sf = d(sm, sd)
      springFestivals.append(sf)
      for k in -1...6 { holidays.insert(sf + k) }
      holidays.insert(d(1, 1))
      for k in 4...6 { holidays.insert(d(4, k)) }
      for k in 1...5 { holidays.insert(d(5, k)) }
      for k in 0...2 { holidays.insert(sf + 122 + k) }  // 端午 (approximate)
      for k in 1...7 { holidays.insert(d(10, k)) }
    }
  }

  func weekday(_ day: Int) -> Int { ((day + 3) % 7 + 7) % 7 }  // 0 = Monday
  func isWorkday(_ day: Int) -> Bool { weekday(day) < 5 && !holidays.contains(day) }

  func dateString(_ day: Int) -> String {
    let (y, m, d) = CivilDateTime.civilFromDays(day)
    return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
  }

  /// Volume factor of a day (weekday, month, holidays).
  func dayFactor(_ day: Int) -> Double {
    let wd: [Double] = [1.12, 1.08, 1.05, 1.03, 1.0, 0.78, 0.74]
    let mf: [Double] = [0.95, 0.86, 0.95, 0.97, 1.0, 1.05, 1.18, 1.2, 1.02, 0.95, 0.95, 1.0]
    let (_, m, _) = CivilDateTime.civilFromDays(day)
    var f = wd[weekday(day)] * mf[m - 1]
    if holidays.contains(day) { f *= 0.7 }
    for sf in springFestivals {
      if day >= sf - 1 && day <= sf + 6 { f *= 0.65 }
      if day >= sf - 25 && day < sf - 1 { f *= 1.06 }
    }
    return f
  }

  // MARK: - Helpers

  mutating func dedicatedCaller() -> Int {
    dedicatedCounter += 1
    return dedicatedCounter
  }

  func communityName(_ c: Int) -> (String, String, String) {
    let cm = city.communities[c]
    return (city.districts[cm.district].name, city.streets[cm.street].name, cm.name)
  }

  mutating func randomEntity(_ type: String) -> Int {
    let list = entitiesByType[type]!
    return list[rng.below(list.count)]
  }

  mutating func bld() -> String {
    ["\(rng.int(1...36))栋", "\(rng.int(1...30))幢", "\(rng.int(1...28))号楼"][rng.below(3)]
  }

  mutating func addPlanned(_ dayOffset: Int, _ p: Planned) {
    guard dayOffset >= 0 && dayOffset < nDays else { return }
    byDay[dayOffset].append(p)
    plannedCount += 1
  }

  static let hourTable = WeightedTable(
    [0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 4, 6.5, 7, 6.5, 4.5, 4.5, 6, 6.5, 6, 5, 3.5, 3.5, 3.5, 3, 2, 1])
  static let businessHourTable = WeightedTable(
    [0, 0, 0, 0, 0, 0, 0, 0.5, 5, 7, 7, 6, 3, 4, 7, 7, 6, 4, 0.8, 0.3, 0.2, 0.1, 0, 0])

  mutating func secondOfDay(businessHours: Bool = false) -> Int32 {
    let t = businessHours ? Engine.businessHourTable : Engine.hourTable
    return Int32(t.sample(&rng) * 3600 + rng.below(3600))
  }

  /// A span in days, shrunk to fit short ranges.
  mutating func spanDays(_ lo: Int, _ hi: Int) -> Int {
    let h = max(1, min(hi, nDays - 1))
    return rng.int(min(lo, h)...h)
  }

  mutating func newRelateKey() -> Int32 {
    relateIds.append(nil)
    return Int32(relateIds.count - 1)
  }

  mutating func scaled(_ r: ClosedRange<Int>) -> Int {
    max(3, Int((Double(rng.int(r)) * config.preset.sizeScale).rounded()))
  }

  // MARK: - Planning

  mutating func plan() {
    planSeasonal()
    if !config.nullCity {
      planOutbreaks()
      planRecurring()
      planIncidents()
    }
    planCallers()
  }

  mutating func planSeasonal() {
    let first = startDay, last = startDay + nDays - 1
    let y0 = config.startDate.year
    var n = 0
    func add(_ codes: [String], _ s: Int, _ e: Int, _ f: Double, _ desc: String) {
      let s2 = max(s, first), e2 = min(e, last)
      guard s2 <= e2 else { return }
      n += 1
      let idx = codes.map { Taxonomy.index($0) }
      let t = SynthTruth.Seasonal(
        id: "S\(n < 10 ? "0" : "")\(n)", category: codes.map { Taxonomy.path(Taxonomy.index($0)) }.joined(separator: ";"),
        start: dateString(s2), end: dateString(e2), factor: f, description: desc)
      seasonalWindows.append((idx, s2, e2, f, t))
    }
    for y in (y0 - 1)...(y0 + 2) {
      func d(_ m: Int, _ dd: Int) -> Int { CivilDateTime.daysFromCivil(year: y, month: m, day: dd) }
      let sf = springFestivals[y - (y0 - 1)]
      add(["0404"], d(11, 15), CivilDateTime.daysFromCivil(year: y + 1, month: 3, day: 15), 4.0, "供暖季：全市暖气不热、供暖费咨询上升")
      add(["0901", "0902"], sf - 50, sf - 3, 2.6, "春节前欠薪高峰（冬季欠薪治理期）")
      add(["0701", "0603", "0201"], d(5, 20), d(6, 25), 1.7, "中高考噪声严控期：施工与生活噪声投诉上升")
      add(["0402"], d(7, 1), d(8, 31), 2.2, "夏季用电高峰：停电、跳闸、电压不稳")
      add(["0406", "1503"], d(6, 10), d(7, 20), 2.4, "梅雨汛期：道路积水、地下车库进水")
      add(["1101", "1102"], d(8, 10), d(9, 10), 2.5, "开学季：入学、学区、幼儿园学位")
      add(["0302"], d(12, 1), CivilDateTime.daysFromCivil(year: y + 1, month: 1, day: 20), 1.6, "年底物业费催缴与收费纠纷")
    }
  }

  /// Seasonal multiplier table for one day.
  func seasonalMultipliers(_ day: Int) -> [Double] {
    var m = Array(repeating: 1.0, count: Taxonomy.l2.count)
    for w in seasonalWindows where day >= w.start && day <= w.end {
      // Smooth ramp over the first and last 7 days.
      let ramp = min(1.0, Double(min(day - w.start, w.end - day) + 1) / 7.0)
      for i in w.l2 { m[i] *= 1 + (w.factor - 1) * ramp }
    }
    return m
  }

  mutating func planOutbreaks() {
    // theme, scope (0 street, 1 community/estate, 2 site, 3 restaurant), duration
    let kinds: [(String, Int, ClosedRange<Int>)] = [
      ("watercut", 0, 1...3), ("powercut", 0, 1...2), ("gas", 1, 1...2), ("nightwork", 2, 10...16),
      ("flooding", 0, 1...2), ("garbage", 1, 5...9), ("heating", 1, 4...10), ("food", 3, 1...2),
      ("telecom", 1, 3...6), ("dust", 2, 7...14), ("factorynoise", 2, 8...15), ("waterquality", 1, 2...4),
    ]
    for i in 0..<config.preset.outbreaks {
      let (key, scope, dur) = kinds[i % kinds.count]
      let theme = Themes.key(key)
      let l2 = Taxonomy.index(Themes.all[theme].l2)
      let strengthRoll = rng.nextDouble()
      let strength = strengthRoll < 0.35 ? "strong" : (strengthRoll < 0.7 ? "medium" : "weak")
      let size = strength == "strong" ? scaled(25...55) : (strength == "medium" ? scaled(10...20) : scaled(4...8))
      let duration = rng.int(dur)
      var start = rng.int(0...max(0, nDays - duration - 1))
      // Seasonal placement for some themes (overlaps the seasonal rises on purpose).
      let (y, _, _) = CivilDateTime.civilFromDays(startDay + start)
      if key == "flooding" {
        start = CivilDateTime.daysFromCivil(year: y, month: 6, day: rng.int(12...30)) - startDay
      } else if key == "heating" {
        start = CivilDateTime.daysFromCivil(year: y, month: [1, 2, 12][rng.below(3)], day: rng.int(1...20)) - startDay
      } else if key == "powercut" && rng.chance(0.5) {
        start = CivilDateTime.daysFromCivil(year: y, month: rng.int(7...8), day: rng.int(1...25)) - startDay
      }
      start = min(max(0, start), max(0, nDays - duration - 1))
      let c = urbanCommunities[rng.below(urbanCommunities.count)]
      let cm = city.communities[c]
      var m = Matter(l2: l2, theme: theme, communities: [c])
      var entity: String? = nil
      var radius = 300.0
      switch scope {
      case 0:
        m.communities = city.streets[cm.street].communities
        m.location = city.streets[cm.street].centroid
        m.jitterM = 900
        radius = 1500
      case 1:
        let estate = cm.estates[rng.below(cm.estates.count)]
        m.fixed[.estate] = estate
        entity = estate
        m.location = jitter(cm.centroid, 250)
        m.jitterM = 120
      case 2:
        let site = city.entities[randomEntity("construction_site")].name
        m.fixed[.site] = site
        m.fixed[.estate] = cm.estates[rng.below(cm.estates.count)]
        entity = site
        m.location = jitter(cm.centroid, 300)
        m.jitterM = 250
        radius = 600
      default:
        let r = city.entities[randomEntity("restaurant")].name
        m.fixed[.restaurant] = r
        entity = r
        m.location = jitter(cm.centroid, 300)
        m.jitterM = 80
      }
      if scope != 0 { m.fixed[.road] = city.streets[cm.street].roads[rng.below(city.streets[cm.street].roads.count)] }
      matters.append(m)
      let mi = Int32(matters.count - 1)
      let (dn, sn, cn) = communityName(c)
      outbreaks.append(
        SynthTruth.Outbreak(
          id: "O\(String(format: "%03d", i + 1))", category: Taxonomy.path(l2), theme: key, strength: strength,
          district: dn, street: sn, community: scope == 0 ? nil : cn, entity: entity,
          centre: [m.location!.lon, m.location!.lat], radiusM: radius, start: dateString(startDay + start),
          end: dateString(startDay + start + duration - 1), extraTickets: size, ticketIds: []))
      let oi = outbreaks.count - 1
      let rk = newRelateKey()
      for _ in 0..<size {
        // Front-loaded for outages, uniform for long ones.
        let u = rng.nextDouble()
        let off = duration <= 3 ? Int(Double(duration) * u * u) : rng.below(duration)
        var p = Planned(second: secondOfDay(), matter: mi, caller: rng.chance(0.8) ? -1 : -2)
        p.groups = [.outbreak(oi)]
        p.relateKey = rk
        p.relateP = 0.08
        addPlanned(start + off, p)
      }
    }
  }

  func jitter(_ c: Coordinate, _ metres: Double) -> Coordinate {
    var r = SplitMix64(seed: UInt64(bitPattern: Int64(c.lon * 1e7)) ^ UInt64(bitPattern: Int64(c.lat * 1e7)))
    return Coordinate(
      lon: c.lon + r.normal() * metres / 94_200, lat: c.lat + r.normal() * metres / 111_000)
  }

  mutating func planRecurring() {
    // theme, entity type, scope
    let kinds: [(String, String)] = [
      ("elevator", "estate_building"), ("manhole", "road_point"), ("fumes", "restaurant"), ("delivery", "developer"),
      ("propservice", "property_company"), ("training", "training"), ("wageconstruction", "company_site"),
      ("bus", "bus_line"), ("illegalbuild", "estate_building"), ("drain", "estate_building"), ("prepaid", "gym"),
      ("estateparking", "estate"), ("dust", "construction_site"), ("waterquality", "estate"), ("garbage", "estate"),
      ("schoolsafety", "school"), ("signal", "road_point"), ("noise", "estate"),
    ]
    for i in 0..<config.preset.recurring {
      let (key, etype) = kinds[i % kinds.count]
      let theme = Themes.key(key)
      let l2 = Taxonomy.index(Themes.all[theme].l2)
      let c = urbanCommunities[rng.below(urbanCommunities.count)]
      let cm = city.communities[c]
      let st = city.streets[cm.street]
      var m = Matter(l2: l2, theme: theme, communities: [c])
      m.location = jitter(cm.centroid, 300)
      m.jitterM = 60
      let estate = cm.estates[rng.below(cm.estates.count)]
      let road = st.roads[rng.below(st.roads.count)]
      m.fixed[.estate] = estate
      m.fixed[.road] = road
      var entity = estate
      var spread = false
      /// Names the class after a random entity of `type`, kept in `slot`.
      func pick(_ type: String, into slot: Slot) {
        let name = city.entities[randomEntity(type)].name
        m.fixed[slot] = name
        entity = name
      }
      switch etype {
      case "estate_building":
        let b = bld()
        m.fixed[.bld] = b
        m.fixed[.unit] = "\(rng.int(1...4))单元"
        entity = estate + b
      case "road_point":
        let no = "\(rng.int(1...400))号"
        m.fixed[.roadNo] = no
        entity = road + no
      case "restaurant":
        pick("restaurant", into: .restaurant)
        m.fixed[.roadNo] = "\(rng.int(1...400))号"
      case "developer":
        pick("developer", into: .developer)
      case "property_company":
        pick("property_company", into: .property)
        m.fixed[.estate] = nil
        var cs: [Int] = []
        for _ in 0..<rng.int(5...9) { cs.append(urbanCommunities[rng.below(urbanCommunities.count)]) }
        m.communities = cs
        m.location = nil
        m.jitterM = 400
        spread = true
      case "training", "gym":
        pick(etype, into: etype == "gym" ? .gym : .training)
        if rng.chance(0.5) {
          m.communities = st.communities
          m.location = nil
          m.jitterM = 700
        }
      case "company_site":
        let co = city.entities[randomEntity("company")].name
        let site = city.entities[randomEntity("construction_site")].name
        m.fixed[.company] = co
        m.fixed[.site] = site
        entity = co + "（" + site + "）"
      case "bus_line":
        let line = city.busLines[rng.below(city.busLines.count)]
        m.fixed[.line] = line
        entity = line
        m.communities = st.communities
        m.location = nil
        m.jitterM = 600
      case "construction_site":
        pick("construction_site", into: .site)
      case "school":
        pick("school", into: .school)
      default: break
      }
      // Departments that pass it around.
      let (dn, sn, cn) = communityName(c)
      var deps: [String] = []
      for p in Taxonomy.l2[l2].departments { deps.append(resolveDept(p, district: dn, street: sn)) }
      let extras = ["\(dn)住建局", sn + (sn.hasSuffix("镇") ? "人民政府" : "办事处"), "\(dn)城管局", "\(dn)市场监管局"]
      for e in extras where !deps.contains(e) && deps.count < 4 && rng.chance(0.5) { deps.append(e) }
      m.departments = deps
      matters.append(m)
      let mi = Int32(matters.count - 1)
      let n = scaled(14...45)
      let span = spanDays(42, 200)
      let start = rng.int(0...max(0, nDays - span - 1))
      let title = Themes.all[theme].titles[0]
      var tr = SplitMix64(seed: UInt64(i) &+ config.seed)
      var titleText = ""
      title.render(into: &titleText, rng: &tr) { s, _ in m.fixed[s] ?? "" }
      recurring.append(
        SynthTruth.RecurringClass(
          id: "R\(String(format: "%03d", i + 1))", title: titleText, entity: entity, entityType: etype,
          category: Taxonomy.path(l2), theme: key, district: spread ? nil : dn, street: spread ? nil : sn,
          community: (spread || m.communities.count > 1) ? nil : cn, start: dateString(startDay + start),
          end: dateString(startDay + start + span - 1), ticketIds: [], callers: 0, departments: deps))
      recurringCallers.append([])
      let ri = recurring.count - 1
      // A few core callers come back; most callers appear once.
      let core = (0..<rng.int(2...4)).map { _ in dedicatedCaller() }
      let rk = newRelateKey()
      for _ in 0..<n {
        var p = Planned(second: secondOfDay(), matter: mi, caller: -1)
        if rng.chance(0.3) {
          p.caller = Int32(plantedCallerIndex.count)
          plantedCallerIndex.append(core[rng.below(core.count)])
          p.extra = .escalation
        }
        p.style = .pingpong
        p.groups = [.recurring(ri)]
        p.relateKey = rk
        p.relateP = 0.2
        addPlanned(start + rng.below(span), p)
      }
    }
  }

  func resolveDept(_ p: String, district: String, street: String) -> String {
    if p == "#S" { return street + (street.hasSuffix("镇") ? "人民政府" : "办事处") }
    if p.hasPrefix("#D") { return district + p.dropFirst(2) }
    return p
  }

  mutating func planIncidents() {
    let kinds = ["manhole", "signal", "weather", "watercut", "gas", "illegalparking", "flooding", "muck", "noise", "powercut", "drain", "firelane"]
    for i in 0..<config.preset.incidents {
      let key = kinds[rng.below(kinds.count)]
      let theme = Themes.key(key)
      let l2 = Taxonomy.index(Themes.all[theme].l2)
      let c = urbanCommunities[rng.below(urbanCommunities.count)]
      let cm = city.communities[c]
      let st = city.streets[cm.street]
      var m = Matter(l2: l2, theme: theme, communities: [c])
      m.fixed[.estate] = cm.estates[rng.below(cm.estates.count)]
      m.fixed[.road] = st.roads[rng.below(st.roads.count)]
      m.fixed[.roadNo] = "\(rng.int(1...400))号"
      m.fixed[.bld] = bld()
      m.location = jitter(cm.centroid, 350)
      m.jitterM = 40
      let near = rng.chance(0.5)
      if near { m.bodyTemplate = rng.below(Themes.all[theme].bodies.count) }
      matters.append(m)
      let mi = Int32(matters.count - 1)
      let size = rng.int(2...8)
      let day = rng.below(nDays)
      let t0 = Int(secondOfDay())
      let (_, _, _) = communityName(c)
      incidents.append(
        SynthTruth.Incident(
          id: "I\(String(format: "%04d", i + 1))", category: Taxonomy.path(l2),
          place: (m.fixed[.estate] ?? "") + "/" + (m.fixed[.road] ?? "") + (m.fixed[.roadNo] ?? ""), nearDuplicate: near,
          ticketIds: []))
      let ii = incidents.count - 1
      let rk = newRelateKey()
      for k in 0..<size {
        let dt = k == 0 ? 0 : Int(Double(rng.int(5 * 60...36 * 3600)) * rng.nextDouble())
        let abs = t0 + dt
        var p = Planned(second: Int32(abs % 86_400), matter: mi, caller: -1)
        p.groups = [.incident(ii)]
        p.relateKey = rk
        p.relateP = 0.4
        if k > 0 && rng.chance(0.25) { p.extra = .urgency }
        addPlanned(day + abs / 86_400, p)
      }
    }
  }

  mutating func planCallers() {
    let types = ["persistent", "burst", "scattershot", "petition", "organisation"]
    var n = 0
    for (ti, type) in types.enumerated() {
      for _ in 0..<config.preset.callersPerType[ti] {
        n += 1
        let number = 99_000_000 + n
        let pc = Int32(plantedCallerIndex.count)
        plantedCallerIndex.append(number)
        let ci = callers.count
        let c = urbanCommunities[rng.below(urbanCommunities.count)]
        let cm = city.communities[c]
        let st = city.streets[cm.street]
        var m = Matter(l2: 0, theme: 0, communities: [c])
        m.fixed[.estate] = cm.estates[rng.below(cm.estates.count)]
        m.fixed[.bld] = bld()
        m.fixed[.unit] = "\(rng.int(1...4))单元"
        m.fixed[.room] = "\(rng.int(1...26))0\(rng.int(1...4))室"
        m.fixed[.road] = st.roads[rng.below(st.roads.count)]
        m.location = jitter(cm.centroid, 250)
        m.jitterM = 30
        var desc = ""
        var dates: [(Int, Int32)] = []
        /// `count` calls on random days of a window of `span` days.
        func spread(_ count: Int, over span: Int) {
          let s0 = rng.below(max(1, nDays - span))
          for _ in 0..<count { dates.append((s0 + rng.below(span), secondOfDay())) }
        }
        var extra = Extra.none
        var style = Style.normal
        var random = false
        var oosClass: [Int] = []
        switch type {
        case "persistent":
          let key = ["noise", "fumes", "propservice", "elevator", "drain", "housequality", "neighbour", "illegalbuild", "estateparking", "nightwork"][rng.below(10)]
          m.theme = Themes.key(key)
          if key == "fumes" { m.fixed[.restaurant] = city.entities[randomEntity("restaurant")].name }
          if key == "propservice" { m.fixed[.property] = city.entities[randomEntity("property_company")].name }
          if key == "nightwork" { m.fixed[.site] = city.entities[randomEntity("construction_site")].name }
          let count = scaled(18...40)
          spread(count, over: spanDays(90, 300))
          extra = .escalation
          style = .unresolved
          desc = "同一未解决事项（\(key)）数月内反复来电"
        case "burst":
          let key = ["noise", "illegalparking", "watercut", "powercut", "wage", "nightwork", "gas"][rng.below(7)]
          m.theme = Themes.key(key)
          if key == "wage" { m.fixed[.company] = city.entities[randomEntity("company")].name }
          if key == "nightwork" { m.fixed[.site] = city.entities[randomEntity("construction_site")].name }
          let count = rng.int(10...28)
          let s0 = rng.below(max(1, nDays - 4))
          let span = rng.int(2...4)
          for _ in 0..<count { dates.append((s0 + rng.below(span), secondOfDay())) }
          extra = .urgency
          desc = "数日内集中大量来电催促同一事项（\(key)）"
        case "scattershot":
          let count = scaled(22...50)
          for _ in 0..<count {
            dates.append((rng.below(nDays), secondOfDay()))
            oosClass.append(rng.chance(0.4) ? [0, 3, 4, 6, 8, 10, 11, 12][rng.below(8)] : -1)
          }
          random = true
          desc = "大量互不相关的诉求，其中多件为不合理/超范围诉求"
        case "petition":
          let key = ["demolition", "wage", "housequality", "meddispute", "laborcontract", "delivery"][rng.below(6)]
          m.theme = Themes.key(key)
          if key == "wage" || key == "laborcontract" { m.fixed[.company] = city.entities[randomEntity("company")].name }
          if key == "delivery" { m.fixed[.developer] = city.entities[randomEntity("developer")].name }
          if key == "meddispute" { m.fixed[.hospital] = city.entities[randomEntity("hospital")].name }
          let count = scaled(9...20)
          spread(count, over: spanDays(60, 300))
          extra = .petition
          style = .unresolved
          desc = "事项已进入信访/诉讼/仲裁程序仍反复来电（\(key)）"
        default:  // organisation
          m.communities = Array(st.communities.prefix(rng.int(1...3)))
          m.fixed = [:]
          m.location = nil
          m.jitterM = 350
          if rng.chance(0.5) { m.fixed[.property] = city.entities[randomEntity("property_company")].name }
          let count = scaled(30...80)
          var d = 0
          while dates.count < count && d < 4 * nDays {
            let day = rng.below(nDays)
            d += 1
            if isWorkday(startDay + day) { dates.append((day, secondOfDay(businessHours: true))) }
          }
          extra = .organisation
          style = .resolved
          random = true
          desc = "网格员/物业/社区工作人员，辖区内多类真实问题，多数已解决（不应标为异常）"
        }
        if type != "organisation" && type != "scattershot" { m.l2 = Taxonomy.index(Themes.all[m.theme].l2) }
        matters.append(m)
        let mi = Int32(matters.count - 1)
        let masked = PhoneNumber.mask(normalized: phoneDigits(number))
        callers.append(
          SynthTruth.Caller(
            id: "C\(String(format: "%03d", n))", type: type, callerPhoneHint: masked, callerIndex: number,
            shouldFlag: type != "organisation", ticketIds: [], description: desc))
        let rk = newRelateKey()
        for (k, (day, sec)) in dates.enumerated() {
          var p = Planned(second: sec, matter: mi, caller: pc)
          p.extra = extra
          p.style = style
          p.groups = [.caller(ci)]
          p.forcePhone = rng.chance(0.85)
          p.randomTopic = random
          if type == "persistent" || type == "petition" {
            p.relateKey = rk
            p.relateP = 0.3
          }
          if type == "scattershot", oosClass[k] >= 0 {
            // A dedicated matter per out-of-scope call.
            var om = Matter(l2: 0, theme: -1, communities: [c])
            om.oos = oosClass[k]
            om.l2 = Taxonomy.index(TextBits.outOfScope[oosClass[k]].l2.isEmpty ? "1703" : TextBits.outOfScope[oosClass[k]].l2)
            matters.append(om)
            p.matter = Int32(matters.count - 1)
            p.randomTopic = false
            p.groups.append(.oos(oosClass[k]))
          }
          if type == "petition" {
            p.groups.append(.oos(-1))  // class decided when rendering the petition phrase
          }
          addPlanned(day, p)
        }
      }
    }
  }

  // MARK: - Phones

  static let mobilePrefixes = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157", "158",
    "159", "166", "173", "176", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "195",
    "198", "199",
  ]

  @inline(__always) func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15 &+ config.seed
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Digits of caller number `i` (unique for i < 10^8): an 11-digit mobile or
  /// an area code + 8-digit landline.
  func phoneDigits(_ i: Int) -> String {
    let local = (UInt64(i) &* 7_368_787 &+ (config.seed % 100_000_000)) % 100_000_000
    let h = mix(UInt64(i))
    var s = String(local)
    while s.count < 8 { s = "0" + s }
    if h % 100 < 6 && local >= 20_000_000 { return city.areaCode + s }
    return Engine.mobilePrefixes[Int((h >> 8) % UInt64(Engine.mobilePrefixes.count))] + s
  }

  mutating func formatPhone(_ digits: String) -> String {
    if digits.hasPrefix("0") {
      let code = digits.prefix(4), rest = digits.dropFirst(4)
      let r = rng.nextDouble()
      return r < 0.7 ? "\(code)-\(rest)" : (r < 0.9 ? digits : "(\(code))\(rest)")
    }
    let r = rng.nextDouble()
    if r < 0.88 { return digits }
    let a = digits.prefix(3), b = digits.dropFirst(3).prefix(4), c = digits.suffix(4)
    if r < 0.92 { return "+86 \(a) \(b) \(c)" }
    if r < 0.95 { return "+86" + digits }
    if r < 0.98 { return "\(a) \(b) \(c)" }
    return "\(a)-\(b)-\(c)"
  }
}
