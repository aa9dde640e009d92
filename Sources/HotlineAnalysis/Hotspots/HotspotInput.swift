import Foundation
import HotlineCore

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
  /// Area names ("district/street/community", or a grid cell "E12N7").
  public var areas: [String]
  /// Area centroids: the mean WGS-84 location of the area's tickets (a grid
  /// cell's centre for the grid).
  public var latitudes: [Double]
  public var longitudes: [Double]
  /// Category keys (the first `categoryDepth` levels joined with "->").
  public var categories: [String]
  /// Day number (days since 1970-01-01, local) of day index 0, and the days.
  public var firstDay: Int
  public var days: Int
  /// Cases: category, area, day index.
  public var caseCategory: [Int32]
  public var caseArea: [Int32]
  public var caseDay: [Int32]
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
  public init(
    tickets: some Sequence<Ticket>, level: HotspotLevel, categoryDepth: Int = 2, from: Int? = nil,
    to: Int? = nil, gridKm: Double = 1, clock: ZoneClock = .shanghai
  ) {
    self.init(level: level, categoryDepth: categoryDepth, from: from, to: to, gridKm: gridKm, clock: clock) { add in
      for t in tickets { add(t) }
    }
  }

  /// Builds the cases from tickets handed to `add` one at a time by `feed`
  /// (a database cursor, say), without holding them all.
  public init(
    level: HotspotLevel, categoryDepth: Int = 2, from: Int? = nil, to: Int? = nil, gridKm: Double = 1,
    clock: ZoneClock = .shanghai, feed: ((Ticket) -> Void) throws -> Void
  ) rethrows {
    var areaIndex: [String: Int] = [:]
    var areas: [String] = []
    var sumLat: [Double] = [], sumLon: [Double] = [], nLoc: [Int] = []
    var catIndex: [String: Int] = [:]
    var cats: [String] = []
    var rows: [(c: Int32, a: Int32, day: Int, caller: String, id: String)] = []
    var read = 0, skipped = 0
    var minDay = Int.max, maxDay = Int.min
    func add(_ t: Ticket) {
      read += 1
      let day = clock.dayNumber(t.receivedAt)
      if let from, day < from { skipped += 1; return }
      if let to, day > to { skipped += 1; return }
      guard !t.category.isEmpty else { skipped += 1; return }
      let cat = t.category.prefix(categoryDepth).joined(separator: Ticket.categorySeparator)
      let loc = t.location.flatMap { $0.isValid ? $0 : nil }
      var name: String
      switch level {
      case .district:
        guard let d = t.district, !d.isEmpty else { skipped += 1; return }
        name = d
      case .street:
        guard let d = t.district, let s = t.street, !s.isEmpty else { skipped += 1; return }
        name = d + "/" + s
      case .community:
        guard let d = t.district, let s = t.street, let c = t.community, !c.isEmpty else { skipped += 1; return }
        name = d + "/" + s + "/" + c
      case .grid:
        guard let loc else { skipped += 1; return }
        let (ix, iy) = Self.gridCell(loc, km: gridKm)
        name = "E\(ix)N\(iy)"
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
    // Areas without any located ticket have no centroid: their cases are left out.
    var keep = [Int32](repeating: -1, count: areas.count)
    var keptAreas: [String] = [], lat: [Double] = [], lon: [Double] = []
    for a in areas.indices where nLoc[a] > 0 {
      keep[a] = Int32(keptAreas.count)
      keptAreas.append(areas[a])
      if level == .grid {
        let parts = areas[a].dropFirst().split(separator: "N").compactMap { Int($0) }
        let c = Self.gridCentre(parts[0], parts[1], km: gridKm)
        lat.append(c.lat)
        lon.append(c.lon)
      } else {
        lat.append(sumLat[a] / Double(nLoc[a]))
        lon.append(sumLon[a] / Double(nLoc[a]))
      }
    }
    self.areas = keptAreas
    self.latitudes = lat
    self.longitudes = lon
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
    self.tickets = tk
    self.ticketsSkipped = skipped
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

  /// Number of cases per category.
  var casesPerCategory: [Int] {
    var n = [Int](repeating: 0, count: categories.count)
    for c in caseCategory { n[Int(c)] += 1 }
    return n
  }

  /// Distance in km between two areas' centroids (haversine, R = 6371 km).
  func distanceKm(_ a: Int, _ b: Int) -> Double {
    Coordinate(lon: longitudes[a], lat: latitudes[a]).distance(to: Coordinate(lon: longitudes[b], lat: latitudes[b])) / 1000
  }
}
