import Foundation
import HotlineCore

/// The fictional city: districts, streets, communities and named entities.
/// Written to `city.json`.
public struct CityGazetteer: Sendable, Codable {
  public struct District: Sendable, Codable {
    public var name: String
    public var kind: String  // 区 or 县
    public var centroid: Coordinate
    public var streets: [Int]
  }
  public struct Street: Sendable, Codable {
    public var name: String
    public var district: Int
    public var centroid: Coordinate
    public var communities: [Int]
    public var roads: [String]
  }
  public struct Community: Sendable, Codable {
    public var name: String
    public var district: Int
    public var street: Int
    public var centroid: Coordinate
    public var population: Int
    public var rural: Bool
    public var estates: [String]
  }
  /// A named place or organisation with a home community.
  public struct Entity: Sendable, Codable {
    public var name: String
    public var type: String
    public var community: Int
    public var location: Coordinate
  }

  public var name: String
  public var centre: Coordinate
  public var areaCode: String
  public var platePrefix: String
  public var districts: [District]
  public var streets: [Street]
  public var communities: [Community]
  public var entities: [Entity]
  public var departments: [String]
  public var busLines: [String]

  // Name pools.
  static let first = Array("青玄秦栖雨江浦溧鼓钟白金锦桂望梅松兰龙凤云紫翠碧清明安宁泰和永福长新华丹文银玉春秋瑞祥东西南北横双石朝")
  static let second = Array("溪湖山江河桥塘林园城峰岭沙石泉港湾洲门阳华宁安平丰兴源台岗亭坊庄营圩集口埠墩浜")
  static let estatePrefixes = ["锦绣", "翡翠", "御景", "星河", "世纪", "滨江", "阳光", "丽水", "金桂", "碧水", "香榭", "紫荆", "枫林", "观澜", "雅居", "万象", "明珠", "东方", "天成", "嘉禾"]
  static let estateSuffixes = ["花园", "小区", "新村", "家园", "雅苑", "华庭", "名都", "公馆", "佳园", "嘉园", "府", "苑", "新城", "城", "里", "花苑", "山庄", "御府"]
  static let roadSuffixes = ["路", "路", "路", "大道", "街", "西路", "东路", "北路", "南路", "巷"]

  static func twoChar(_ rng: inout SplitMix64) -> String {
    String(first[rng.below(first.count)]) + String(second[rng.below(second.count)])
  }

  /// Builds the city deterministically from a generator.
  static func make(rng: inout SplitMix64, districts nd: Int, streetsPer: ClosedRange<Int>, communitiesPer: ClosedRange<Int>)
    -> CityGazetteer
  {
    let centre = Coordinate(lon: 118.9, lat: 32.0)
    // 40 km × 40 km: 1° lat ≈ 111 km, 1° lon ≈ 94 km at 32°N.
    let halfLat = 20.0 / 111.0, halfLon = 20.0 / 94.2
    var used = Set<String>()
    func unique(_ make: (inout SplitMix64) -> String) -> String {
      while true {
        let n = make(&rng)
        if used.insert(n).inserted { return n }
      }
    }
    var districts: [District] = []
    var streets: [Street] = []
    var communities: [Community] = []
    var entities: [Entity] = []
    for d in 0..<nd {
      let county = d >= nd - max(1, nd / 4)  // outer ones are 县
      let r = county ? 0.6 + 0.35 * rng.nextDouble() : 0.45 * rng.nextDouble().squareRoot()
      let angle = 2 * Double.pi * (Double(d) + rng.nextDouble() * 0.6) / Double(nd)
      let dc = Coordinate(
        lon: centre.lon + cos(angle) * r * halfLon * 0.9, lat: centre.lat + sin(angle) * r * halfLat * 0.9)
      let dname = unique { twoChar(&$0) } + (county ? "县" : "区")
      var dstreets: [Int] = []
      for _ in 0..<rng.int(streetsPer) {
        let sc = Coordinate(
          lon: dc.lon + (rng.nextDouble() - 0.5) * (county ? 0.1 : 0.07),
          lat: dc.lat + (rng.nextDouble() - 0.5) * (county ? 0.09 : 0.06))
        let town = county && rng.chance(0.7)
        let sname = unique { twoChar(&$0) } + (town ? "镇" : "街道")
        var roads: [String] = []
        for _ in 0..<rng.int(3...6) {
          roads.append(unique { twoChar(&$0) + roadSuffixes[$0.below(roadSuffixes.count)] })
        }
        let si = streets.count
        var scomms: [Int] = []
        for _ in 0..<rng.int(communitiesPer) {
          let rural = town && rng.chance(0.75)
          let cc = Coordinate(
            lon: sc.lon + (rng.nextDouble() - 0.5) * 0.025, lat: sc.lat + (rng.nextDouble() - 0.5) * 0.022)
          let cname = unique { twoChar(&$0) } + (rural ? "村" : "社区")
          var estates: [String] = []
          if !rural {
            for _ in 0..<rng.int(2...5) {
              estates.append(
                unique {
                  let p = $0.chance(0.45) ? estatePrefixes[$0.below(estatePrefixes.count)] : twoChar(&$0)
                  return p + estateSuffixes[$0.below(estateSuffixes.count)]
                })
            }
          } else {
            estates.append(cname.replacingOccurrences(of: "村", with: "") + ["组", "村民小组", "庄"][rng.below(3)])
          }
          let pop = rural ? rng.int(1500...6000) : rng.int(4000...22000)
          scomms.append(communities.count)
          communities.append(
            Community(
              name: cname, district: d, street: si, centroid: cc, population: pop, rural: rural, estates: estates))
        }
        dstreets.append(si)
        streets.append(Street(name: sname, district: d, centroid: sc, communities: scomms, roads: roads))
      }
      districts.append(District(name: dname, kind: county ? "县" : "区", centroid: dc, streets: dstreets))
    }
    // Entities in communities.
    func addEntities(_ type: String, _ count: Int, _ name: (inout SplitMix64) -> String) {
      for _ in 0..<count {
        let c = rng.below(communities.count)
        let cc = communities[c].centroid
        let loc = Coordinate(
          lon: cc.lon + (rng.nextDouble() - 0.5) * 0.01, lat: cc.lat + (rng.nextDouble() - 0.5) * 0.009)
        entities.append(Entity(name: unique(name), type: type, community: c, location: loc))
      }
    }
    let n = communities.count
    addEntities("school", n / 4) { twoChar(&$0) + ["小学", "中学", "实验小学", "初级中学", "幼儿园", "第二小学"][$0.below(6)] }
    addEntities("market", n / 8) { twoChar(&$0) + ["农贸市场", "菜市场", "综合市场"][$0.below(3)] }
    addEntities("hospital", max(6, n / 30)) { twoChar(&$0) + ["医院", "人民医院", "社区卫生服务中心", "中医院"][$0.below(4)] }
    addEntities("park", max(6, n / 20)) { twoChar(&$0) + ["公园", "湿地公园", "广场", "体育公园"][$0.below(4)] }
    addEntities("property_company", max(8, n / 15)) { twoChar(&$0) + ["物业管理有限公司", "物业服务有限公司", "物业"][$0.below(3)] }
    addEntities("developer", max(6, n / 25)) { twoChar(&$0) + ["置业有限公司", "房地产开发有限公司", "地产集团"][$0.below(3)] }
    addEntities("training", max(6, n / 25)) { twoChar(&$0) + ["教育培训中心", "艺术培训学校", "英语培训", "少儿编程"][$0.below(4)] }
    addEntities("gym", max(6, n / 25)) { twoChar(&$0) + ["健身会所", "游泳健身", "瑜伽馆", "美容会所"][$0.below(4)] }
    addEntities("restaurant", max(10, n / 8)) { twoChar(&$0) + ["饭店", "烧烤店", "火锅店", "小吃店", "酒楼", "大排档", "龙虾馆"][$0.below(7)] }
    addEntities("company", max(10, n / 10)) { twoChar(&$0) + ["建筑工程有限公司", "电子科技有限公司", "劳务有限公司", "商贸有限公司", "物流有限公司", "机械制造有限公司"][$0.below(6)] }
    addEntities("construction_site", max(8, n / 15)) {
      ["地铁\($0.int(1...9))号线" + twoChar(&$0) + "站工地", twoChar(&$0) + "项目工地", twoChar(&$0) + "安置房工地", twoChar(&$0) + "路改造工程"][$0.below(4)]
    }
    var deps = Set<String>()
    for l2 in Taxonomy.l2 {
      for p in l2.departments where !p.contains("#") { deps.insert(p) }
    }
    var departments = deps.sorted()
    for d in districts {
      for l2 in Taxonomy.l2 {
        for p in l2.departments where p.hasPrefix("#D") { departments.append(d.name + p.dropFirst(2)) }
      }
    }
    for s in streets { departments.append(s.name + (s.name.hasSuffix("镇") ? "人民政府" : "办事处")) }
    var seen = Set<String>()
    departments = departments.filter { seen.insert($0).inserted }
    var lines: [String] = []
    var lineNos = Set<Int>()
    while lines.count < max(20, n / 8) {
      let k = rng.int(1...199)
      if lineNos.insert(k).inserted { lines.append("\(k)路") }
    }
    lines.append(contentsOf: ["地铁1号线", "地铁2号线", "地铁3号线", "地铁5号线", "游2路", "夜班N1路"])
    return CityGazetteer(
      name: "澜江市", centre: centre, areaCode: "0519", platePrefix: "苏H", districts: districts, streets: streets,
      communities: communities, entities: entities, departments: departments, busLines: lines)
  }
}
