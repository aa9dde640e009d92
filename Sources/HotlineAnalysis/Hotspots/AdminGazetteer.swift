import Foundation
import HotlineCore

/// Centres of China's county-level areas (区/县/县级市) and town-level areas
/// (街道/镇/乡), for exports whose tickets carry no coordinates.
///
/// Read from `datasets/gazetteer/china_county_town_centres.tsv` (from
/// Vonng/adcode, CC BY 4.0): lines `P province`, `C city`, `D adcode county
/// lon lat`, `T town lon lat` (tab-separated, WGS-84, towns after their
/// county). Names are matched by `AreaName` keys, so 泰丰 finds 泰丰区 and
/// 安河街道 finds 安河街道办事处.
public struct AdminGazetteer: Sendable {
  public struct Town: Sendable {
    public var name: String
    public var centre: Coordinate
  }

  public struct County: Sendable {
    public var adcode: String
    public var name: String
    public var centre: Coordinate?
    public var towns: [Town]
    /// Town index by `AreaName` key.
    var townIndex: [String: Int]
  }

  public struct City: Sendable {
    public var province: String
    public var name: String
    public var counties: [County]
    /// County index by `AreaName` key.
    var countyIndex: [String: Int]
  }

  public var cities: [City]

  /// The default file name inside `datasets/gazetteer/`.
  public static let fileName = "china_county_town_centres.tsv"

  public init(contentsOf url: URL) throws {
    try self.init(text: String(contentsOf: url, encoding: .utf8))
  }

  public init(text: String) {
    var cities: [City] = []
    var province = ""
    func coord(_ lon: Substring, _ lat: Substring) -> Coordinate? {
      guard let x = Double(lon), let y = Double(lat) else { return nil }
      return Coordinate(lon: x, lat: y)
    }
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
      if line.hasPrefix("#") { continue }
      let f = line.split(separator: "\t", omittingEmptySubsequences: false)
      switch f.first {
      case "P" where f.count >= 2:
        province = String(f[1])
      case "C" where f.count >= 2:
        cities.append(City(province: province, name: String(f[1]), counties: [], countyIndex: [:]))
      case "D" where f.count >= 5 && !cities.isEmpty:
        let name = String(f[2])
        let c = cities.count - 1
        let key = AreaName.key(name, level: .district)
        if cities[c].countyIndex[key] == nil { cities[c].countyIndex[key] = cities[c].counties.count }
        cities[c].counties.append(
          County(adcode: String(f[1]), name: name, centre: coord(f[3], f[4]), towns: [], townIndex: [:]))
      case "T" where f.count >= 4 && !cities.isEmpty && !cities[cities.count - 1].counties.isEmpty:
        guard let at = coord(f[2], f[3]) else { continue }
        let c = cities.count - 1, d = cities[c].counties.count - 1
        let name = String(f[1])
        let key = AreaName.key(name, level: .street)
        if cities[c].counties[d].townIndex[key] == nil {
          cities[c].counties[d].townIndex[key] = cities[c].counties[d].towns.count
        }
        cities[c].counties[d].towns.append(Town(name: name, centre: at))
      default:
        continue
      }
    }
    self.cities = cities
  }

  /// The file in `datasets/gazetteer/` found from the working directory or
  /// the executable's directory (walking up), or `HOTLINE_GAZETTEER`.
  public static func defaultURL() -> URL? {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["HOTLINE_GAZETTEER"], !env.isEmpty {
      return fm.fileExists(atPath: env) ? URL(fileURLWithPath: env) : nil
    }
    var starts = [URL(fileURLWithPath: fm.currentDirectoryPath)]
    if let exe = Bundle.main.executableURL { starts.append(exe.deletingLastPathComponent()) }
    for start in starts {
      var dir = start
      for _ in 0..<6 {
        let u = dir.appendingPathComponent("datasets/gazetteer/" + fileName)
        if fm.fileExists(atPath: u.path) { return u }
        dir = dir.deletingLastPathComponent()
      }
    }
    return nil
  }

  /// The city whose county names match the most of `districts` (at least
  /// half of them and two, or the only one given, and more than any other
  /// city); nil if none or a tie. `cityHint` (a city name such as 南京 or
  /// 南京市) decides first.
  public func city(forDistricts districts: some Sequence<String>, cityHint: String? = nil) -> Int? {
    if let hint = cityHint.map({ AreaName.key($0, level: .city) }), !hint.isEmpty {
      let hits = cities.indices.filter { AreaName.key(cities[$0].name, level: .city) == hint }
      if hits.count == 1 { return hits[0] }
    }
    let keys = Set(districts.map { AreaName.key($0, level: .district) }.filter { !$0.isEmpty })
    guard !keys.isEmpty else { return nil }
    var best = -1, bestN = 0, tie = false
    for (i, c) in cities.enumerated() {
      let n = keys.filter { c.countyIndex[$0] != nil }.count
      if n > bestN {
        best = i
        bestN = n
        tie = false
      } else if n == bestN && n > 0 {
        tie = true
      }
    }
    guard best >= 0, !tie, bestN >= min(2, keys.count), 2 * bestN >= keys.count else { return nil }
    return best
  }

  /// The centre of a district, or of a street (town) in it, in city `city`.
  public func centre(city: Int, district: String, street: String? = nil) -> Coordinate? {
    let c = cities[city]
    guard let d = c.countyIndex[AreaName.key(district, level: .district)] else { return nil }
    let county = c.counties[d]
    guard let street, !street.isEmpty else { return county.centre }
    let key = AreaName.key(street, level: .street, parents: [c.name, county.name, district])
    guard let t = county.townIndex[key] else { return nil }
    return county.towns[t].centre
  }
}
