import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineStats
import Testing

/// A small made-up city: 36 streets on a 6 × 6 km grid, 120 days, two
/// categories with Poisson background; a local outbreak of 停水 at one street
/// for 3 days, and a city-wide seasonal rise of 供暖 (×3 for 30 days, every
/// street) that must not be reported as local.
private struct SmallCity {
  var tickets: [Ticket] = []
  let outbreakStreet = 14
  let outbreakDays = 60...62
  let firstDay = CivilDateTime.daysFromCivil(year: 2025, month: 3, day: 1)

  /// Streets whose 停水 calls rise fivefold over the last five weeks
  /// (with `rising`): an emerging hot spot of nine neighbouring streets.
  static let risingStreets: Set<Int> = [7, 8, 9, 13, 14, 15, 19, 20, 21]

  /// `lastDay`: the city's last day (119: 120 days); `surge`: days on which
  /// the rising streets get three more 停水 calls each.
  init(outbreak: Bool = true, rising: Bool = false, lastDay: Int = 119, surge: ClosedRange<Int>? = nil) {
    let clock = ZoneClock.shanghai
    let rng = GSLRandom(seed: 11)
    var n = 0
    func add(_ street: Int, _ day: Int, _ cat: [String], caller: String? = nil) {
      let (y, m, d) = CivilDateTime.civilFromDays(firstDay + day)
      let lon = 120.0 + Double(street % 6) * 0.0104 + (rng.uniform() - 0.5) * 0.004
      let lat = 30.0 + Double(street / 6) * 0.009 + (rng.uniform() - 0.5) * 0.004
      n += 1
      tickets.append(
        Ticket(
          id: String(format: "T%06d", n),
          receivedAt: clock.epoch(CivilDateTime(year: y, month: m, day: d, hour: 10)),
          callerKey: caller ?? "c\(n)", category: cat, text: "", district: "东区", street: "街道\(street)",
          community: "社区\(street)", location: Coordinate(lon: lon, lat: lat)))
    }
    let water = ["公用事业", "停水"], heat = ["公用事业", "供暖"]
    for day in 0...lastDay {
      for s in 0..<36 {
        if surge?.contains(day) == true && Self.risingStreets.contains(s) {
          for _ in 0..<3 { add(s, day, water) }
        }
        let up = rising && day >= 85 && Self.risingStreets.contains(s) ? 5.0 : 1.0
        for _ in 0..<rng.poisson(0.25 * up) { add(s, day, water) }
        let rise = (80..<110).contains(day) ? 3.0 : 1.0
        for _ in 0..<rng.poisson(0.25 * rise) { add(s, day, heat) }
      }
    }
    if outbreak {
      for day in outbreakDays {
        for _ in 0..<10 { add(outbreakStreet, day, water) }
      }
    }
    // One caller calling 8 times the same day about the same thing: one case.
    for _ in 0..<8 { add(30, 40, water, caller: "same-caller") }
  }
}

struct HotspotAnalysisTests {
  func config(_ methods: Set<HotspotMethod>) -> HotspotConfig {
    var c = HotspotConfig()
    c.methods = methods
    c.replicates = 999
    c.maxRadiusKm = 1.5
    c.maxDays = 7
    c.seed = 5
    return c
  }

  @Test func findsTheOutbreakOnceWithTheMethodsThatAgree() throws {
    let city = SmallCity()
    let input = HotspotInput(tickets: city.tickets, level: .street)
    #expect(input.areas.count == 36)
    #expect(input.categories.count == 2)
    // The repeat caller's 8 tickets are one case (but all 8 are evidence).
    let sameCaller = city.tickets.filter { $0.callerKey == "same-caller" }.map(\.id)
    #expect(input.caseCategory.count == city.tickets.count - 7)
    let r = try HotspotAnalysis.run(input, level: .street, config: config([.scan, .alerts, .gstar]))
    let water = r.hotspots.filter { $0.category == "公用事业->停水" }
    let hit = try #require(water.first { $0.areas.contains("东区/街道14") })
    #expect(hit.methods.contains("scan"))
    #expect(hit.methods.count >= 2)
    #expect(hit.method == "scan")
    #expect(hit.qValue <= 0.05 && hit.pValue <= 0.01)
    #expect(hit.observed >= 30 && hit.expected < Double(hit.observed) / 3)
    #expect(hit.start >= "2025-04-28" && hit.end <= "2025-05-03")
    // Evidence: the outbreak tickets are listed.
    let outbreakIds = Set(
      city.tickets.filter {
        $0.street == "街道14" && $0.category == ["公用事业", "停水"]
          && (60...62).contains(ZoneClock.shanghai.dayNumber($0.receivedAt) - city.firstDay)
      }.map(\.id))
    #expect(outbreakIds.isSubset(of: Set(hit.ticketIds)))
    // One finding for the episode, not one per method.
    #expect(water.filter { $0.areas.contains("东区/街道14") && $0.start <= "2025-05-02" && $0.end >= "2025-04-30" }.count == 1)
    // The city-wide rise of 供暖 is not local.
    #expect(!r.hotspots.contains { $0.category == "公用事业->供暖" })
    #expect(!r.hotspots.contains { Set($0.ticketIds) == Set(sameCaller) })
  }

  @Test func nullCityHasNoFindingAndAlarmsAtNominalRate() throws {
    let city = SmallCity(outbreak: false)
    let input = HotspotInput(tickets: city.tickets, level: .street)
    let r = try HotspotAnalysis.run(input, level: .street, config: config([.scan, .alerts]))
    #expect(r.hotspots.isEmpty)
    #expect(r.alertTests > 0)
    #expect(Double(r.alertRawAlarms) / Double(r.alertTests) <= 0.01)
  }

  @Test func sameSeedSameFindings() throws {
    let input = HotspotInput(tickets: SmallCity().tickets, level: .street)
    var c = config([.scan, .gstar])
    c.replicates = 199
    c.gstarPermutations = 99
    let a = try HotspotAnalysis.run(input, level: .street, config: c)
    let b = try HotspotAnalysis.run(input, level: .street, config: c)
    #expect(a.hotspots == b.hotspots)
    #expect(a.trends == b.trends)
  }

  @Test(arguments: [
    ([false, false, false, true], [false, false, false, false], "new"),
    ([false, false, true, true], [false, false, false, false], "consecutive"),
    ([true, false, true, true], [false, false, false, false], "sporadic"),
    ([true, false, true, true], [false, true, false, false], "oscillating"),
    ([true, true, true, true, true, true, true, true, true, true], [Bool](repeating: false, count: 10), "persistent"),
    ([true, true, true, true, true, true, true, true, true, true, false], [Bool](repeating: false, count: 11), "historical"),
  ])
  func emergingHotSpotLabels(hot: [Bool], cold: [Bool], label: String) {
    let z = hot.map { $0 ? 2.5 : 0.2 }
    #expect(HotspotAnalysis.emergingLabel(hot: hot, cold: cold, z: z, alpha: 0.1) == label)
  }

  @Test func intensifyingAndDiminishing() {
    let hot = [Bool](repeating: true, count: 12)
    let cold = [Bool](repeating: false, count: 12)
    let up = (0..<12).map { 2.0 + Double($0) * 0.3 }
    #expect(HotspotAnalysis.emergingLabel(hot: hot, cold: cold, z: up, alpha: 0.1) == "intensifying")
    #expect(HotspotAnalysis.emergingLabel(hot: hot, cold: cold, z: up.reversed(), alpha: 0.1) == "diminishing")
    #expect(HotspotAnalysis.emergingLabel(hot: [false, false], cold: cold, z: [0, 0], alpha: 0.1) == nil)
  }
}

extension HotspotAnalysisTests {
  /// Emerging Hot Spot labels with the false discovery rate over each
  /// category's cube: none on a city without local change, the rising
  /// streets (and only they or their neighbours) labelled when they rise.
  @Test func trendsNeedTheirCubesFalseDiscoveryRate() throws {
    var c = config([.gstar])
    c.gstarMaxPermutations = 99_999
    let quiet = try HotspotAnalysis.run(
      HotspotInput(tickets: SmallCity(outbreak: false).tickets, level: .street), level: .street, config: c)
    #expect(quiet.trends.isEmpty, "\(quiet.trends.map { "\($0.area) \($0.category) \($0.label)" })")
    let city = SmallCity(outbreak: false, rising: true)
    let input = HotspotInput(tickets: city.tickets, level: .street)
    let rising = try HotspotAnalysis.run(input, level: .street, config: c)
    let water = rising.trends.filter { $0.category.hasSuffix("停水") }
    #expect(!water.isEmpty)
    #expect(rising.trends.allSatisfy { $0.category.hasSuffix("停水") })
    // Labelled streets are the rising ones or their neighbours (1 km apart on the grid).
    let near = Set((0..<36).filter { s in (0...4).contains(s % 6) && (0...4).contains(s / 6) })
    for t in water {
      let street = Int(t.area.split(separator: "街道").last.map(String.init) ?? "") ?? -1
      #expect(near.contains(street), "\(t.area) \(t.label)")
      #expect(["new", "consecutive", "sporadic", "oscillating", "intensifying"].contains(t.label))
    }
    #expect(water.contains { SmallCity.risingStreets.contains(Int($0.area.split(separator: "街道").last.map(String.init) ?? "") ?? -1) })
    // Each period tested on its own at 10 %, the quiet city gets labels.
    c.trendFDR = false
    let raw = try HotspotAnalysis.run(
      HotspotInput(tickets: SmallCity(outbreak: false).tickets, level: .street), level: .street, config: c)
    #expect(!raw.trends.isEmpty)
  }

  /// The weeks of Gi* end on the last day: a surge in the last six days of a
  /// 118-day window (16 whole weeks and six days) is in the newest week, not
  /// in a partial week left out at the end.
  @Test func trendsSeeTheLastDays() throws {
    var c = config([.gstar])
    c.gstarMaxPermutations = 99_999
    let city = SmallCity(outbreak: false, lastDay: 117, surge: 112...117)
    let input = HotspotInput(tickets: city.tickets, level: .street)
    #expect(input.days == 118)
    let r = try HotspotAnalysis.run(input, level: .street, config: c)
    let water = r.trends.filter { $0.category.hasSuffix("停水") }
    #expect(water.contains { SmallCity.risingStreets.contains(Int($0.area.split(separator: "街道").last.map(String.init) ?? "") ?? -1) })
    #expect(water.allSatisfy { $0.label == "new" && $0.periods == 16 }, "\(water.map { "\($0.area) \($0.label) \($0.periods)" })")
    // The Gi* findings of the surge end on the last day.
    let last = r.hotspots.filter { $0.category.hasSuffix("停水") }.map(\.end)
    #expect(!last.isEmpty && last.allSatisfy { $0 == "2025-06-26" }, "\(last)")
  }

  /// A prospective scan reports the outbreak while it is going on, with a
  /// recurrence interval, and not once it has ended; a retrospective run
  /// has no recurrence interval.
  @Test func prospectiveScanSeesOnlyWhatGoesOn() throws {
    var c = config([.scan])
    c.scanAnalysis = .prospective
    let during = SmallCity(lastDay: 62)
    let now = try HotspotAnalysis.run(HotspotInput(tickets: during.tickets, level: .street), level: .street, config: c)
    let water = now.hotspots.filter { $0.category.hasSuffix("停水") }
    #expect(water.count == 1)
    if let h = water.first {
      #expect(h.area.hasSuffix("街道\(during.outbreakStreet)"))
      #expect(h.end == "2025-05-02" && h.start >= "2025-04-30", "\(h.start) \(h.end)")
      #expect((h.recurrenceIntervalDays ?? 0) >= 1 / h.pValue - 1e-9 && (h.recurrenceIntervalDays ?? 0) > 365)
    }
    let after = SmallCity(lastDay: 75)
    let later = try HotspotAnalysis.run(HotspotInput(tickets: after.tickets, level: .street), level: .street, config: c)
    #expect(!later.hotspots.contains { $0.category.hasSuffix("停水") && $0.area.hasSuffix("街道\(after.outbreakStreet)") })
    c.scanAnalysis = .retrospective
    let whole = try HotspotAnalysis.run(HotspotInput(tickets: after.tickets, level: .street), level: .street, config: c)
    let found = whole.hotspots.filter { $0.category.hasSuffix("停水") && $0.area.hasSuffix("街道\(after.outbreakStreet)") }
    #expect(found.count == 1 && found.allSatisfy { $0.recurrenceIntervalDays == nil })
  }

  /// With populations the scan uses the Poisson model: a street with four times the
  /// people and four times the calls all along is no hotspot, the outbreak still is; told
  /// every street has the same population, the model flags that street.
  @Test func poissonModelWeighsAreasByPopulation() throws {
    var c = config([.scan])
    c.maxDays = 60
    c.replicates = 199
    var tickets = SmallCity().tickets
    let clock = ZoneClock.shanghai
    let rng = GSLRandom(seed: 3)
    let first = CivilDateTime.daysFromCivil(year: 2025, month: 3, day: 1)
    for day in 0..<120 {
      for _ in 0..<rng.poisson(0.75) {
        let (y, m, d) = CivilDateTime.civilFromDays(first + day)
        tickets.append(
          Ticket(
            id: "P\(tickets.count)", receivedAt: clock.epoch(CivilDateTime(year: y, month: m, day: d, hour: 11)),
            callerKey: "p\(tickets.count)", category: ["公用事业", "停水"], text: "", district: "东区", street: "街道0",
            community: "社区0", location: Coordinate(lon: 120.0 + (rng.uniform() - 0.5) * 0.004, lat: 30.0)))
      }
    }
    let input = HotspotInput(tickets: tickets, level: .street)
    let pop = input.population(input.areas.map { ($0, $0.hasSuffix("街道0") ? 4.0 : 1.0) })
    #expect(pop.missing.isEmpty && pop.values.count == input.areas.count)
    c.population = pop.values
    let r = try HotspotAnalysis.run(input, level: .street, config: c)
    let water = r.hotspots.filter { $0.category.hasSuffix("停水") }
    #expect(water.contains { $0.area.hasSuffix("街道14") && $0.start <= "2025-05-01" && $0.end >= "2025-05-01" }, "\(water.map(\.area))")
    #expect(!water.contains { $0.areas.contains { $0.hasSuffix("街道0") } }, "\(water.map(\.areas))")
    c.population = [Double](repeating: 1, count: input.areas.count)
    let flat = try HotspotAnalysis.run(input, level: .street, config: c)
    #expect(flat.hotspots.contains { $0.category.hasSuffix("停水") && $0.area.hasSuffix("街道0") }, "\(flat.hotspots.map(\.area))")
    // An area the population rows lack is named.
    #expect(input.population([("东区/街道1", 5)]).missing.count == input.areas.count - 1)
  }
}
