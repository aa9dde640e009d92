import Foundation

/// A longitude/latitude pair in degrees.
public struct Coordinate: Sendable, Hashable, Codable {
  public var lon: Double
  public var lat: Double
  public init(lon: Double, lat: Double) {
    self.lon = lon
    self.lat = lat
  }

  /// Whether the values are finite and inside the valid ranges.
  public var isValid: Bool {
    lon.isFinite && lat.isFinite && abs(lon) <= 180 && abs(lat) <= 90 && !(lon == 0 && lat == 0)
  }

  /// Great-circle distance in metres (haversine, mean Earth radius).
  public func distance(to other: Coordinate) -> Double {
    let r = 6_371_008.8
    let p1 = lat * .pi / 180, p2 = other.lat * .pi / 180
    let dp = p2 - p1, dl = (other.lon - lon) * .pi / 180
    let a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
    return 2 * r * asin(min(1, sqrt(a)))
  }
}

/// The coordinate systems seen in Chinese exports.
///
/// GCJ-02 is the obfuscated system mandated for maps published in China
/// (Gaode/Amap, Tencent); BD-09 is Baidu's further offset of GCJ-02. Both are
/// 300–700 m off WGS-84 inside China. Analyses always use WGS-84.
public enum CoordinateSystem: String, Sendable, Hashable, Codable, CaseIterable {
  case wgs84 = "WGS-84"
  case gcj02 = "GCJ-02"
  case bd09 = "BD-09"

  /// Reads the names seen in exports (wgs84, WGS84, CGCS2000, gcj02, 火星, bd09, 百度 ...).
  public init?(normalizing value: String) {
    let v = value.lowercased().replacingOccurrences(of: "-", with: "")
      .replacingOccurrences(of: "_", with: "").replacingOccurrences(of: " ", with: "")
    switch v {
    case "wgs84", "wgs", "cgcs2000", "gps", "epsg4326", "4326": self = .wgs84
    case "gcj02", "gcj", "火星", "火星坐标", "高德", "amap", "tencent", "腾讯": self = .gcj02
    case "bd09", "bd09ll", "baidu", "百度", "bd": self = .bd09
    default: return nil
    }
  }

  /// Converts a coordinate given in this system to WGS-84.
  public func toWGS84(_ c: Coordinate) -> Coordinate {
    switch self {
    case .wgs84: c
    case .gcj02: ChinaOffset.gcj02ToWGS84(c)
    case .bd09: ChinaOffset.gcj02ToWGS84(ChinaOffset.bd09ToGCJ02(c))
    }
  }

  /// Converts a WGS-84 coordinate into this system (used by the generator).
  public func fromWGS84(_ c: Coordinate) -> Coordinate {
    switch self {
    case .wgs84: c
    case .gcj02: ChinaOffset.wgs84ToGCJ02(c)
    case .bd09: ChinaOffset.gcj02ToBD09(ChinaOffset.wgs84ToGCJ02(c))
    }
  }
}

/// The published GCJ-02 and BD-09 transforms (Krasovsky 1940 ellipsoid).
///
/// The forward GCJ-02 formula is the widely reproduced one (eviltransform,
/// coordtransform); the inverse is computed by fixed-point iteration, which is
/// accurate to well under a centimetre after a few steps.
enum ChinaOffset {
  static let a = 6_378_245.0
  static let ee = 0.006_693_421_622_965_943_23
  static let xPi = Double.pi * 3000.0 / 180.0

  static func outOfChina(_ c: Coordinate) -> Bool {
    !(c.lon > 73.66 && c.lon < 135.05 && c.lat > 3.86 && c.lat < 53.55)
  }

  private static func transformLat(_ x: Double, _ y: Double) -> Double {
    var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
    r += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
    r += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
    r += (160.0 * sin(y / 12.0 * .pi) + 320 * sin(y * .pi / 30.0)) * 2.0 / 3.0
    return r
  }

  private static func transformLon(_ x: Double, _ y: Double) -> Double {
    var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
    r += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
    r += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
    r += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
    return r
  }

  static func wgs84ToGCJ02(_ c: Coordinate) -> Coordinate {
    if outOfChina(c) { return c }
    var dLat = transformLat(c.lon - 105.0, c.lat - 35.0)
    var dLon = transformLon(c.lon - 105.0, c.lat - 35.0)
    let radLat = c.lat / 180.0 * .pi
    var magic = sin(radLat)
    magic = 1 - ee * magic * magic
    let sqrtMagic = sqrt(magic)
    dLat = (dLat * 180.0) / ((a * (1 - ee)) / (magic * sqrtMagic) * .pi)
    dLon = (dLon * 180.0) / (a / sqrtMagic * cos(radLat) * .pi)
    return Coordinate(lon: c.lon + dLon, lat: c.lat + dLat)
  }

  static func gcj02ToWGS84(_ c: Coordinate) -> Coordinate {
    if outOfChina(c) { return c }
    var w = c
    for _ in 0..<8 {
      let g = wgs84ToGCJ02(w)
      let dLon = g.lon - c.lon, dLat = g.lat - c.lat
      w = Coordinate(lon: w.lon - dLon, lat: w.lat - dLat)
      if abs(dLon) < 1e-10 && abs(dLat) < 1e-10 { break }
    }
    return w
  }

  static func gcj02ToBD09(_ c: Coordinate) -> Coordinate {
    let z = sqrt(c.lon * c.lon + c.lat * c.lat) + 0.00002 * sin(c.lat * xPi)
    let theta = atan2(c.lat, c.lon) + 0.000003 * cos(c.lon * xPi)
    return Coordinate(lon: z * cos(theta) + 0.0065, lat: z * sin(theta) + 0.006)
  }

  static func bd09ToGCJ02(_ c: Coordinate) -> Coordinate {
    let x = c.lon - 0.0065, y = c.lat - 0.006
    let z = sqrt(x * x + y * y) - 0.00002 * sin(y * xPi)
    let theta = atan2(y, x) - 0.000003 * cos(x * xPi)
    // The closed form is accurate to ~0.1 m; a few fixed-point steps on the
    // forward transform make it exact.
    var g = Coordinate(lon: z * cos(theta), lat: z * sin(theta))
    for _ in 0..<4 {
      let b = gcj02ToBD09(g)
      g = Coordinate(lon: g.lon - (b.lon - c.lon), lat: g.lat - (b.lat - c.lat))
    }
    return g
  }
}
