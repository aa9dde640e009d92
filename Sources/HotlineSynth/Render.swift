import Foundation
import HotlineCore

/// A buffered file writer (UTF-8 bytes, optionally re-encoded to GB18030 per chunk).
struct OutFile {
  let handle: FileHandle
  let gb18030: Bool
  var buf: [UInt8] = []
  var bytes = 0

  init(_ url: URL, gb18030: Bool = false) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    handle = try FileHandle(forWritingTo: url)
    try handle.truncate(atOffset: 0)
    self.gb18030 = gb18030
    buf.reserveCapacity(1 << 22)
  }

  @inline(__always) mutating func append(_ s: String) { buf.append(contentsOf: s.utf8) }
  @inline(__always) mutating func byte(_ b: UInt8) { buf.append(b) }

  /// Appends one CSV field, quoted when needed (RFC 4180).
  mutating func field(_ s: String, last: Bool = false) {
    var needs = false
    for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
      needs = true
      break
    }
    if needs {
      buf.append(0x22)
      for b in s.utf8 {
        if b == 0x22 { buf.append(0x22) }
        buf.append(b)
      }
      buf.append(0x22)
    } else {
      buf.append(contentsOf: s.utf8)
    }
    if last {
      buf.append(0x0D)
      buf.append(0x0A)
    } else {
      buf.append(0x2C)
    }
  }

  /// Flushes when the buffer is large (call only at row boundaries).
  mutating func maybeFlush() throws {
    if buf.count >= 1 << 22 { try flush() }
  }

  mutating func flush() throws {
    if buf.isEmpty { return }
    if gb18030 {
      let s = String(decoding: buf, as: UTF8.self)
      guard let d = s.data(using: SynthEncoding.gb18030Foundation) else {
        throw SynthError.encoding("GB18030 conversion failed")
      }
      try handle.write(contentsOf: d)
      bytes += d.count
    } else {
      try handle.write(contentsOf: buf)
      bytes += buf.count
    }
    buf.removeAll(keepingCapacity: true)
  }

  mutating func close() throws {
    try flush()
    try handle.close()
  }
}

/// Everything needed to write one ticket row.
struct TicketSpec {
  var day: Int  // offset
  var second: Int
  var l2: Int
  var theme: Int = -1
  var oos: Int = -1
  var community: Int
  var fixed: [Slot: String] = [:]
  var location: Coordinate? = nil
  var jitterM: Double = 600
  var bodyTemplate: Int? = nil
  var departments: [String]? = nil
  var extra: Extra = .none
  var style: Style = .normal
  var callerNumber: Int? = nil
  var planted = false
  var forcePhone = false
  var rehandleOf: String? = nil
  var related: String? = nil
  var hardNegative = false
}

extension Engine {
  static let channels = ["电话", "网站", "微信", "APP", "市长信箱", "领导留言板", "省12345转派", "政务服务小程序"]
  static let channelWeights = WeightedTable([64, 7, 10, 9, 3, 2, 2, 3])
  static let kindNames = TicketKind.allCases.map(\.rawValue)
  static let itemCodes = ["101", "102", "103", "104", "105", "106", "109"]
  static let deadlineDays = [3, 3, 13, 13, 15, 3, 5]
  static let oosWeights = WeightedTable([3, 2, 1.5, 0.6, 0.5, 0.8, 1.2, 1, 1.5, 1, 2, 1.5, 0.6])
  static let organisationThemes = [
    "garbage", "manhole", "greening", "drain", "illegalbuild", "firelane", "estateparking", "signal", "bikes", "stall",
    "dogs", "ebikecharge", "elevator", "propservice",
  ]

  mutating func run(directory: URL, progress: (@Sendable (Int, Int) -> Void)?) throws -> SynthSummary {
    let text = TextMaker(city: city)
    let bgTarget = max(0, config.ticketTarget - plannedCount)
    let baseTotal = baseWeights.reduce(0, +)
    var dayWeights: [Double] = []
    for d in 0..<nDays {
      let m = seasonalMultipliers(startDay + d)
      var s = 0.0
      for i in 0..<baseWeights.count { s += baseWeights[i] * m[i] }
      dayWeights.append(dayFactor(startDay + d) * s / baseTotal)
    }
    let scale = Double(bgTarget) / dayWeights.reduce(0, +)
    let total = bgTarget + plannedCount

    var csv = try OutFile(directory.appendingPathComponent("tickets.csv"), gb18030: config.encoding == .gb18030)
    var cats = try OutFile(directory.appendingPathComponent("truth_categories.csv"))
    for (i, c) in synthColumns.enumerated() { csv.field(c, last: i == synthColumns.count - 1) }
    cats.append("工单编号,true_category,theme,title,body\r\n")

    var state = RenderState()
    state.exportEnd = Int64(startDay + nDays) * 86_400 + 9 * 3600
    var done = 0
    for d in 0..<nDays {
      rng = SplitMix64(seed: mix(UInt64(d) &* 0x2545_F491_4F6C_DD1D ^ 0xDA7A))
      let mult = seasonalMultipliers(startDay + d)
      var w = baseWeights
      for i in 0..<w.count { w[i] *= mult[i] }
      let table = WeightedTable(w)
      let nbg = rng.poisson(dayWeights[d] * scale)
      let planned = byDay[d]
      var items: [(Int32, Int32)] = []
      items.reserveCapacity(nbg + planned.count)
      for _ in 0..<nbg { items.append((secondOfDay(), -1)) }
      for (k, p) in planned.enumerated() { items.append((p.second, Int32(k))) }
      items.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
      state.serial = rng.int(1...40)
      for (sec, tag) in items {
        var spec: TicketSpec
        var groups: [GroupRef] = []
        var relateKey: Int32 = -1
        var relateP: Float = 0
        if tag < 0 {
          spec = backgroundSpec(day: d, second: Int(sec), table: table, text: text)
        } else {
          let p = planned[Int(tag)]
          spec = plannedSpec(p, day: d, table: table)
          groups = p.groups
          relateKey = p.relateKey
          relateP = p.relateP
        }
        if relateKey >= 0 {
          if let prev = relateIds[Int(relateKey)], rng.nextDouble() < Double(relateP) { spec.related = prev }
        }
        let id = try emit(spec, groups: groups, text: text, csv: &csv, cats: &cats, state: &state)
        if relateKey >= 0 && (relateIds[Int(relateKey)] == nil || rng.chance(0.3)) { relateIds[Int(relateKey)] = id }
        done += 1
        try csv.maybeFlush()
        try cats.maybeFlush()
      }
      progress?(done, total)
    }
    try csv.close()
    try cats.close()
    return try finish(directory: directory, state: state, tickets: done, csvBytes: csv.bytes, catBytes: cats.bytes)
  }

  // MARK: - Specs

  mutating func backgroundSpec(day: Int, second: Int, table: WeightedTable, text: TextMaker) -> TicketSpec {
    // Re-handled ticket (重办) of an earlier unresolved one.
    if !ring.isEmpty && rng.chance(0.008) {
      let k = rng.below(ring.count)
      let (pid, caller, l2, theme, c, pday) = ring[k]
      if pday < day - 1 {
        ring.remove(at: k)
        var s = TicketSpec(day: day, second: second, l2: l2, theme: theme, community: c)
        s.callerNumber = caller
        s.rehandleOf = pid
        s.related = pid
        return s
      }
    }
    if rng.chance(0.018) {
      let o = Engine.oosWeights.sample(&rng)
      let code = TextBits.outOfScope[o].l2.isEmpty ? "1703" : TextBits.outOfScope[o].l2
      var s = TicketSpec(day: day, second: second, l2: Taxonomy.index(code), community: communityTable.sample(&rng))
      s.oos = o
      s.callerNumber = backgroundCaller()
      return s
    }
    let l2 = table.sample(&rng)
    let themes = Themes.byL2[l2]
    let c: Int
    if Taxonomy.l2[l2].code.hasPrefix("13") {
      c = ruralCommunities[rng.below(ruralCommunities.count)]
    } else {
      c = communityTable.sample(&rng)
    }
    var s = TicketSpec(
      day: day, second: second, l2: l2, theme: themes.isEmpty ? -1 : themes[rng.below(themes.count)], community: c)
    s.callerNumber = backgroundCaller()
    if rng.chance(0.004) { s.hardNegative = true }
    return s
  }

  /// A caller for a background ticket: mostly one-off, else a heavy-tailed pool.
  mutating func backgroundCaller() -> Int {
    if rng.chance(0.62) {
      oneOffCounter += 1
      return oneOffCounter
    }
    let k = Double(poolSize), c = k / 10
    let x = Int(c * exp(rng.nextDouble() * log((k + c) / c)) - c)
    let idx = 80_000_000 + min(poolSize - 1, max(0, x))
    poolUsed.insert(idx)
    return idx
  }

  mutating func plannedSpec(_ p: Planned, day: Int, table: WeightedTable) -> TicketSpec {
    let m = matters[Int(p.matter)]
    var c = m.communities[rng.below(m.communities.count)]
    var l2 = m.l2
    var theme = m.theme
    var fixed = m.fixed
    if p.randomTopic {
      if p.extra == .organisation {
        theme = Themes.key(Engine.organisationThemes[rng.below(Engine.organisationThemes.count)])
        l2 = Taxonomy.index(Themes.all[theme].l2)
        fixed = [:]
        if let pc = m.fixed[.property] { fixed[.property] = pc }
      } else {
        l2 = table.sample(&rng)
        let th = Themes.byL2[l2]
        theme = th.isEmpty ? -1 : th[rng.below(th.count)]
        c = communityTable.sample(&rng)
        fixed = [:]
      }
    }
    var s = TicketSpec(day: day, second: Int(p.second), l2: l2, theme: theme, community: c)
    s.oos = m.oos
    s.fixed = fixed
    s.location = p.randomTopic ? nil : m.location
    s.jitterM = p.randomTopic ? 500 : m.jitterM
    s.bodyTemplate = m.bodyTemplate
    s.departments = m.departments
    s.extra = p.extra
    s.style = p.style
    s.planted = true
    s.forcePhone = p.forcePhone
    switch p.caller {
    case -1:
      oneOffCounter += 1
      s.callerNumber = oneOffCounter
    case -2: s.callerNumber = backgroundCaller()
    default: s.callerNumber = plantedCallerIndex[Int(p.caller)]
    }
    return s
  }
}

/// Mutable bookkeeping while rendering.
struct RenderState {
  var serial = 1
  var mislabelled = 0
  var exportEnd: Int64 = 0
  var rehandleCount = 0
}
