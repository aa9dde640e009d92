import Foundation
import HotlineAnalysis
import HotlineCore
import Testing

/// The shipped gazetteer (datasets/gazetteer) with real names.
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
}
