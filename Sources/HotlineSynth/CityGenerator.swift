import Foundation
import HotlineCore

/// Size presets of the synthetic city.
public enum SynthPreset: String, CaseIterable, Sendable, Codable {
  case tiny, small, medium, large

  /// Approximate number of tickets.
  public var tickets: Int {
    switch self {
    case .tiny: 3_000
    case .small: 20_000
    case .medium: 300_000
    case .large: 3_000_000
    }
  }

  /// Days covered.
  public var days: Int { self == .large ? 730 : 365 }

  var districts: Int { self == .tiny ? 8 : (self == .small ? 9 : (self == .medium ? 11 : 12)) }
  var streetsPer: ClosedRange<Int> { self == .tiny ? 6...8 : (self == .small ? 6...10 : 7...12) }
  var communitiesPer: ClosedRange<Int> { self == .tiny ? 5...6 : (self == .small ? 5...8 : 6...10) }

  /// Planted item counts: outbreaks, recurring, incidents, and callers per type
  /// (persistent, burst, scattershot, petition, organisation).
  var outbreaks: Int { [4, 8, 30, 60][ordinal] }
  var recurring: Int { [3, 6, 18, 36][ordinal] }
  var incidents: Int { [8, 30, 300, 2000][ordinal] }
  var callersPerType: [Int] { [[1, 1, 1, 1, 1], [2, 2, 2, 2, 2], [8, 6, 6, 6, 6], [20, 15, 15, 15, 15]][ordinal] }
  /// Size multiplier for outbreaks and classes (bigger cities, bigger clusters).
  var sizeScale: Double { [0.45, 0.75, 1.5, 2.2][ordinal] }
  var ordinal: Int { SynthPreset.allCases.firstIndex(of: self)! }
}

/// Text encoding of `tickets.csv`.
public enum SynthEncoding: String, Sendable, Codable {
  case utf8, gb18030

  /// Foundation's GB 18030-2000 encoding (kCFStringEncodingGB_18030_2000).
  public static let gb18030Foundation = String.Encoding(rawValue: 0x8000_0632)
}

/// The column names of `tickets.csv`, in order.
public let synthColumns = [
  "工单编号", "来电时间", "来电号码", "诉求渠道", "诉求类型", "问题分类", "工单标题", "诉求内容", "所属区县", "街道", "社区", "详细地址",
  "经度", "纬度", "坐标系", "派单时间", "办理时限", "承办单位", "转办次数", "办结时间", "办理状态", "是否解决", "满意度", "关联工单",
]

public enum SynthError: Error, CustomStringConvertible {
  case encoding(String)
  public var description: String {
    switch self {
    case .encoding(let m): "encoding failed: \(m)"
    }
  }
}

/// Deterministic generator of a realistic 12345 export of a fictional city,
/// with `truth.json` listing the planted items. See datasets/README-synth.md.
public struct CityGenerator: Sendable {
  public let preset: SynthPreset
  public let seed: UInt64
  public let encoding: SynthEncoding
  public let blankCategories: Bool
  public let startDate: CivilDateTime
  /// Overrides the preset's ticket count (tests, benchmarks).
  public var ticketTarget: Int
  /// Overrides the preset's number of days.
  public var days: Int
  /// A null city for false-alarm measurements: no planted local clusters
  /// (outbreaks, recurring classes, same-incident groups); the background
  /// (weekday, holiday and seasonal effects) and planted callers stay.
  /// Off by default (the output is then unchanged).
  public var nullCity: Bool = false

  public init(
    preset: SynthPreset, seed: UInt64, encoding: SynthEncoding = .utf8, blankCategories: Bool = false,
    startDate: CivilDateTime? = nil
  ) {
    self.preset = preset
    self.seed = seed
    self.encoding = encoding
    self.blankCategories = blankCategories
    self.startDate = startDate ?? CivilDateTime(year: 2025, month: 1, day: 1)
    self.ticketTarget = preset.tickets
    self.days = preset.days
  }

  /// The city this generator writes (deterministic in the seed and preset).
  public func city() -> CityGazetteer {
    var rng = SplitMix64(seed: seed ^ 0xC17C_17C1_7C17_C17C)
    return CityGazetteer.make(
      rng: &rng, districts: preset.districts, streetsPer: preset.streetsPer, communitiesPer: preset.communitiesPer)
  }

  /// Writes tickets.csv, truth.json, truth_categories.csv and city.json.
  @discardableResult
  public func write(to directory: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> SynthSummary {
    let t0 = Date()
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var engine = Engine(config: self, city: city())
    engine.plan()
    let summary = try engine.run(directory: directory, progress: progress)
    var s = summary
    s.seconds = Date().timeIntervalSince(t0)
    return s
  }
}
