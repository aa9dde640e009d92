import Foundation
import HotlineCore
import HotlineStats

/// The area level hotspots are computed at.
public enum HotspotLevel: String, Sendable, Codable, CaseIterable {
  case district, street, community, grid
}

/// The methods of a hotspot run.
public enum HotspotMethod: String, Sendable, Codable, CaseIterable, Comparable {
  case scan, gstar, alerts
  public static func < (a: Self, b: Self) -> Bool { a.order < b.order }
  private var order: Int { Self.allCases.firstIndex(of: self)! }
}

/// Tickets as cases: one case per caller, category, area and day (repeat
/// calls by the same caller about the same thing on the same day make no
/// hotspot), with the ticket ids kept as evidence.
public struct HotspotInput: Sendable {
  /// Area names ("district/street/community", or a grid cell "E12N7"): the
  /// most frequent spelling of each area; spellings that differ only in form
  /// (泰丰/泰丰区, 安河街道/安河街道办事处/安河, full-width, a district in
  /// front) are one area (`AreaName` keys).
  public var areas: [String]
  /// Area centroids: the mean WGS-84 location of the area's tickets (a grid
  /// cell's centre for the grid); for an area without any located ticket,
  /// its gazetteer centre (a community: its street's) when a gazetteer is given.
  public var latitudes: [Double]
  public var longitudes: [Double]
  /// Whether each area's centroid came from the gazetteer.
  public var centroidFromGazetteer: [Bool] = []
  /// Category keys (the first `categoryDepth` levels joined with "->").
  public var categories: [String]
  /// Day number (days since 1970-01-01, local) of day index 0, and the days.
  public var firstDay: Int
  public var days: Int
  /// Cases: category, area, day index.
  public var caseCategory: [Int32]
  public var caseArea: [Int32]
  public var caseDay: [Int32]
  /// Cases in the `historyDays` days before the period (`from`), for the
  /// daily alerts' baseline only: category, area, day index (negative).
  /// Only areas and categories of the period are kept.
  public var historyDays = 0
  public var historyCategory: [Int32] = []
  public var historyArea: [Int32] = []
  public var historyDay: [Int32] = []
  /// Ticket ids per (category, area, day) key, see `key(_:_:_:)`.
  public var tickets: [Int64: [String]]
  /// Tickets read, and tickets left out (no area, no category, no location
  /// for the grid, outside the period).
  public var ticketsRead: Int
  public var ticketsSkipped: Int

  func key(_ c: Int, _ a: Int, _ d: Int) -> Int64 {
    (Int64(c) << 40) | (Int64(a) << 20) | Int64(d)
  }

  /// Ticket ids of a category in some areas over a range of day indexes.
  /// Each area's population from `rows` (an area written "district/street[/community]" down
  /// to the level, spellings folded as the areas are → population), in `areas` order, and
  /// the areas that `rows` lacks (or gives no positive population).
  public func population(_ rows: [(area: String, population: Double)]) -> (values: [Double], missing: [String]) {
    var byKey: [String: Double] = [:]
    for r in rows { byKey[AreaSpellings.key(r.area.split(separator: "/").map(String.init))] = r.population }
    var values: [Double] = []
    var missing: [String] = []
    for a in areas {
      let p = byKey[AreaSpellings.key(a.split(separator: "/").map(String.init))] ?? 0
      if !(p > 0) { missing.append(a) }
      values.append(max(p, 0))
    }
    return (values, missing)
  }

  public func ticketIds(category c: Int, areas: [Int], days range: ClosedRange<Int>) -> [String] {
    var ids: [String] = []
    for a in areas {
      for d in range {
        if let t = tickets[key(c, a, d)] { ids.append(contentsOf: t) }
      }
    }
    return ids.sorted()
  }

  /// Builds the cases from tickets.
  ///
  /// - Parameters:
  ///   - level: the areas.
  ///   - categoryDepth: how many category levels make a category (2: L1->L2).
  ///   - from, to: day numbers (inclusive) of the period; nil: the data's.
  ///   - gridKm: grid cell size for `.grid`.
  ///   - historyDays: days before `from` read as the alerts' baseline
  ///     (they make no case and no finding).
  ///   - gazetteer: centres for areas whose tickets carry no coordinates
  ///     (district and street levels, and communities via their street),
  ///     matched by name within the city the districts point to (or `city`).
  public init(
    tickets: some Sequence<Ticket>, level: HotspotLevel, categoryDepth: Int = 2, from: Int? = nil,
    to: Int? = nil, gridKm: Double = 1, clock: ZoneClock = .shanghai, gazetteer: AdminGazetteer? = nil,
    city: String? = nil, historyDays: Int = 0
  ) {
    self.init(
      level: level, categoryDepth: categoryDepth, from: from, to: to, gridKm: gridKm, clock: clock,
      gazetteer: gazetteer, city: city, historyDays: historyDays
    ) { add in
      for t in tickets { add(t) }
    }
  }

  /// Builds the cases from tickets handed to `add` one at a time by `feed`
  /// (a database cursor, say), without holding them all.
  public init(
    level: HotspotLevel, categoryDepth: Int = 2, from: Int? = nil, to: Int? = nil, gridKm: Double = 1,
    clock: ZoneClock = .shanghai, gazetteer: AdminGazetteer? = nil, city: String? = nil, historyDays: Int = 0,
    feed: ((Ticket) -> Void) throws -> Void
  ) rethrows {
    let history = from == nil ? 0 : max(0, historyDays)
    var historyRows: [(cat: String, area: String, day: Int, caller: String)] = []
    var areaIndex: [String: Int] = [:]
    var areas: [String] = []
    // Spellings of each area (district, street, community parts) and how often.
    var spellings = AreaSpellings()
    func areaKey(_ parts: [String]) -> String { spellings.key(parts) }
    var sumLat: [Double] = [], sumLon: [Double] = [], nLoc: [Int] = []
    var catIndex: [String: Int] = [:]
    var cats: [String] = []
    var rows: [(c: Int32, a: Int32, day: Int, caller: String, id: String)] = []
    var read = 0, skipped = 0
    var minDay = Int.max, maxDay = Int.min
    func add(_ t: Ticket) {
      read += 1
      let day = clock.dayNumber(t.receivedAt)
      let inHistory = from.map { day < $0 } ?? false
      if inHistory { skipped += 1 }
      if let from, day < from - history { return }
      if let to, day > to { skipped += 1; return }
      func skip() { if !inHistory { skipped += 1 } }
      guard !t.category.isEmpty else { skip(); return }
      let cat = t.category.prefix(categoryDepth).joined(separator: Ticket.categorySeparator)
      let loc = t.location.flatMap { $0.isValid ? $0 : nil }
      var name: String
      var parts: [String] = []
      switch level {
      case .district:
        guard let d = Self.trimmed(t.district) else { skip(); return }
        parts = [d]
        name = areaKey(parts)
      case .street:
        guard let d = Self.trimmed(t.district), let s = Self.trimmed(t.street) else { skip(); return }
        parts = [d, s]
        name = areaKey(parts)
      case .community:
        guard let d = Self.trimmed(t.district), let s = Self.trimmed(t.street), let c = Self.trimmed(t.community) else {
          skip()
          return
        }
        parts = [d, s, c]
        name = areaKey(parts)
      case .grid:
        guard let loc else { skip(); return }
        let (ix, iy) = Self.gridCell(loc, km: gridKm)
        name = "E\(ix)N\(iy)"
        parts = [name]
      }
      if inHistory {
        historyRows.append((cat, name, day, t.callerKey ?? ("#" + t.id)))
        return
      }
      let a: Int
      if let i = areaIndex[name] {
        a = i
      } else {
        a = areas.count
        areaIndex[name] = a
        areas.append(name)
        sumLat.append(0)
        sumLon.append(0)
        nLoc.append(0)
      }
      if level != .grid { spellings.add(parts) }
      if let loc {
        sumLat[a] += loc.lat
        sumLon[a] += loc.lon
        nLoc[a] += 1
      }
      let c: Int
      if let i = catIndex[cat] {
        c = i
      } else {
        c = cats.count
        catIndex[cat] = c
        cats.append(cat)
      }
      minDay = min(minDay, day)
      maxDay = max(maxDay, day)
      rows.append((Int32(c), Int32(a), day, t.callerKey ?? ("#" + t.id), t.id))
    }
    try feed(add)
    // Each area under its most frequent spelling (`AreaSpellings.display`).
    let display: [[String]] = areas.map { level == .grid ? [$0] : spellings.display($0) ?? [] }
    // Gazetteer centres for areas without any located ticket.
    var gazCentre = [Coordinate?](repeating: nil, count: areas.count)
    if let gazetteer, level != .grid, nLoc.contains(0),
      let cityIndex = gazetteer.city(forDistricts: display.compactMap(\.first), cityHint: city)
    {
      for a in areas.indices where nLoc[a] == 0 && !display[a].isEmpty {
        let parts = display[a]
        gazCentre[a] = gazetteer.centre(city: cityIndex, district: parts[0], street: parts.count > 1 ? parts[1] : nil)
      }
    }
    // Areas with no centroid at all: their cases are left out.
    var keep = [Int32](repeating: -1, count: areas.count)
    var keptAreas: [String] = [], lat: [Double] = [], lon: [Double] = [], fromGaz: [Bool] = []
    for a in areas.indices where nLoc[a] > 0 || gazCentre[a] != nil {
      keep[a] = Int32(keptAreas.count)
      keptAreas.append(level == .grid ? areas[a] : display[a].joined(separator: "/"))
      fromGaz.append(nLoc[a] == 0)
      if level == .grid {
        let parts = areas[a].dropFirst().split(separator: "N").compactMap { Int($0) }
        let c = Self.gridCentre(parts[0], parts[1], km: gridKm)
        lat.append(c.lat)
        lon.append(c.lon)
      } else if nLoc[a] > 0 {
        lat.append(sumLat[a] / Double(nLoc[a]))
        lon.append(sumLon[a] / Double(nLoc[a]))
      } else {
        lat.append(gazCentre[a]!.lat)
        lon.append(gazCentre[a]!.lon)
      }
    }
    self.areas = keptAreas
    self.latitudes = lat
    self.longitudes = lon
    self.centroidFromGazetteer = fromGaz
    self.categories = cats
    self.firstDay = from ?? (minDay == Int.max ? 0 : minDay)
    let lastDay = to ?? (maxDay == Int.min ? firstDay : maxDay)
    self.days = max(1, lastDay - firstDay + 1)
    self.ticketsRead = read
    var seen = Set<String>()
    var cc: [Int32] = [], ca: [Int32] = [], cd: [Int32] = []
    var tk: [Int64: [String]] = [:]
    for r in rows {
      let a = keep[Int(r.a)]
      if a < 0 { skipped += 1; continue }
      let d = r.day - firstDay
      let k = (Int64(r.c) << 40) | (Int64(a) << 20) | Int64(d)
      tk[k, default: []].append(r.id)
      if seen.insert("\(k)|\(r.caller)").inserted {
        cc.append(r.c)
        ca.append(a)
        cd.append(Int32(d))
      }
    }
    self.caseCategory = cc
    self.caseArea = ca
    self.caseDay = cd
    // History cases of the period's areas and categories, once per caller.
    self.historyDays = history
    var hc: [Int32] = [], ha: [Int32] = [], hd: [Int32] = []
    for r in historyRows {
      guard let c = catIndex[r.cat], let a0 = areaIndex[r.area] else { continue }
      let a = keep[a0]
      if a < 0 { continue }
      let d = r.day - firstDay
      if seen.insert("\(c)|\(a)|\(d)|\(r.caller)").inserted {
        hc.append(Int32(c))
        ha.append(a)
        hd.append(Int32(d))
      }
    }
    self.historyCategory = hc
    self.historyArea = ha
    self.historyDay = hd
    self.tickets = tk
    self.ticketsSkipped = skipped
  }

  /// A name with surrounding whitespace removed; nil when empty.
  static func trimmed(_ s: String?) -> String? {
    guard let s else { return nil }
    let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
    return t.isEmpty ? nil : t
  }

  /// The grid cell of a point: an equirectangular projection (km) around
  /// latitude 30°, cut in `km` squares.
  static func gridCell(_ c: Coordinate, km: Double) -> (Int, Int) {
    let x = c.lon * 111.32 * cos(30 * .pi / 180), y = c.lat * 110.57
    return (Int((x / km).rounded(.down)), Int((y / km).rounded(.down)))
  }

  static func gridCentre(_ ix: Int, _ iy: Int, km: Double) -> Coordinate {
    Coordinate(lon: (Double(ix) + 0.5) * km / (111.32 * cos(30 * .pi / 180)), lat: (Double(iy) + 0.5) * km / 110.57)
  }

  /// Case counts of one category, area-major [area × day].
  func counts(category c: Int) -> [Int32] {
    var m = [Int32](repeating: 0, count: areas.count * days)
    for i in caseCategory.indices where caseCategory[i] == Int32(c) {
      m[Int(caseArea[i]) * days + Int(caseDay[i])] += 1
    }
    return m
  }

  /// History case counts of one category, area-major [area × historyDays]
  /// (index 0: the first history day).
  func historyCounts(category c: Int) -> [Int32] {
    var m = [Int32](repeating: 0, count: areas.count * historyDays)
    for i in historyCategory.indices where historyCategory[i] == Int32(c) {
      let d = historyDays + Int(historyDay[i])
      if d >= 0 && d < historyDays { m[Int(historyArea[i]) * historyDays + d] += 1 }
    }
    return m
  }

  /// Number of cases per category.
  var casesPerCategory: [Int] {
    var n = [Int](repeating: 0, count: categories.count)
    for c in caseCategory { n[Int(c)] += 1 }
    return n
  }

  /// Each category's cases as the scan takes them (area, day), in case order.
  var scanCasesPerCategory: [[SpaceTimeScan.Case]] {
    var cases = [[SpaceTimeScan.Case]](repeating: [], count: categories.count)
    for i in caseCategory.indices {
      cases[Int(caseCategory[i])].append(.init(location: Int(caseArea[i]), day: Int(caseDay[i])))
    }
    return cases
  }

  /// Distance in km between two areas' centroids (haversine, R = 6371 km).
  func distanceKm(_ a: Int, _ b: Int) -> Double {
    Coordinate(lon: longitudes[a], lat: latitudes[a]).distance(to: Coordinate(lon: longitudes[b], lat: latitudes[b])) / 1000
  }
}
