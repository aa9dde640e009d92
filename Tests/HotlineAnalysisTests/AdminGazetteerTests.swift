import Foundation
import HotlineAnalysis
import HotlineCore
import Testing

/// The shipped gazetteer (datasets/gazetteer) with real names, and its use
/// for the centroids of areas whose tickets have no coordinates.
struct AdminGazetteerTests {
  static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("datasets/gazetteer/" + AdminGazetteer.fileName)

  func load() throws -> AdminGazetteer { try AdminGazetteer(contentsOf: Self.url) }

  @Test func findsTheCityAndCentresByRealNames() throws {
    let g = try load()
    #expect(g.cities.count > 300)
    // 鼓楼区 alone is in four cities (南京, 福州, 徐州, 开封): no city.
    #expect(g.city(forDistricts: ["鼓楼区"]) == nil)
    // With 玄武区 (written without its suffix) it is 南京市.
    let nj = try #require(g.city(forDistricts: ["鼓楼区", "玄武", "秦淮区"]))
    #expect(g.cities[nj].name == "南京市")
    #expect(g.city(forDistricts: ["鼓楼区"], cityHint: "南京") == nj)
    // 新街口街道 (玄武区): 118.78395, 32.05570 in every spelling.
    for street in ["新街口街道", "新街口街道办事处", "新街口", "玄武区新街口街道", "新街口街办"] {
      let c = try #require(g.centre(city: nj, district: "玄武区", street: street))
      #expect(abs(c.lon - 118.78395) < 1e-6 && abs(c.lat - 32.05570) < 1e-6)
    }
    let d = try #require(g.centre(city: nj, district: "玄武"))
    #expect(abs(d.lon - 118.79257) < 1e-6 && abs(d.lat - 32.05056) < 1e-6)
    #expect(g.centre(city: nj, district: "玄武区", street: "不存在街道") == nil)
    // Beijing's districts are under the province name.
    let bj = try #require(g.city(forDistricts: ["东城区", "西城区", "朝阳区"]))
    #expect(g.cities[bj].name == "北京市")
    #expect(g.centre(city: bj, district: "东城", street: "东华门街道") != nil)
  }

  @Test func hotspotInputUsesItWhenTicketsHaveNoCoordinates() throws {
    let g = try load()
    let clock = ZoneClock.shanghai
    let at = clock.epoch(CivilDateTime(year: 2025, month: 3, day: 3, hour: 10))
    // Spellings of two Nanjing streets; no ticket carries coordinates.
    let rows: [(String, String)] = [
      ("玄武区", "新街口街道"), ("玄武", "新街口街道办事处"), ("玄武区", "新街口"), ("玄武区", "玄武区新街口街道"),
      ("玄武区", "新街口街道"), ("鼓楼区", "宁海路街道"), ("鼓楼区", "宁海路街道办事处"), ("鼓楼", "宁海路"),
      ("秦淮区", "没有这个街道"),
    ]
    let tickets = rows.enumerated().map { i, r in
      Ticket(
        id: "T\(i)", receivedAt: at, callerKey: "c\(i)", category: ["公用事业", "停水"], district: r.0, street: r.1)
    }
    let input = HotspotInput(tickets: tickets, level: .street, gazetteer: g)
    #expect(input.areas.sorted() == ["玄武区/新街口街道", "鼓楼区/宁海路街道"])
    #expect(input.centroidFromGazetteer == [true, true])
    let i = try #require(input.areas.firstIndex(of: "鼓楼区/宁海路街道"))
    #expect(abs(input.longitudes[i] - 118.76444) < 1e-6 && abs(input.latitudes[i] - 32.06240) < 1e-6)
    #expect(input.caseCategory.count == 8)
    // Without a gazetteer these areas have no centroid and are left out.
    #expect(HotspotInput(tickets: tickets, level: .street).areas.isEmpty)
  }

  @Test func streetSpellingsAreOneAreaWithTheCommonName() {
    let clock = ZoneClock.shanghai
    let at = clock.epoch(CivilDateTime(year: 2025, month: 3, day: 3, hour: 10))
    let names: [(String, String)] = [
      ("泰丰区", "安河街道"), ("泰丰区", "安河街道"), ("泰丰区", "安河街道"), ("泰丰", "安河街道"),
      ("泰丰区", "安河街道办事处"), ("泰丰区", "安河"), ("泰丰区", "泰丰区安河街道"), ("泰丰区", "安河街道　"),
      ("泰丰区", "ＡＢ街道"), ("泰丰区", "AB街道"),
    ]
    let tickets = names.enumerated().map { i, r in
      Ticket(
        id: "T\(i)", receivedAt: at, callerKey: "c\(i)", category: ["公用事业", "停水"], district: r.0, street: r.1,
        location: Coordinate(lon: 118.8, lat: 32.0))
    }
    let input = HotspotInput(tickets: tickets, level: .street)
    #expect(input.areas.sorted() == ["泰丰区/AB街道", "泰丰区/安河街道"] || input.areas.sorted() == ["泰丰区/ＡＢ街道", "泰丰区/安河街道"])
    #expect(input.centroidFromGazetteer == [false, false])
  }
}
