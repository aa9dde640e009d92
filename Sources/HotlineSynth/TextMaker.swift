import HotlineCore

/// Fills template slots from the gazetteer (read-only; randomness passed in).
struct TextMaker {
  let city: CityGazetteer
  let names: [String: [String]]

  init(city: CityGazetteer) {
    self.city = city
    var n: [String: [String]] = [:]
    for e in city.entities { n[e.type, default: []].append(e.name) }
    names = n
  }

  static let shopSuffixes = ["超市", "便利店", "药店", "家电城", "手机店", "五金店", "水果店", "母婴店", "建材店", "眼镜店"]
  static let restaurantSuffixes = ["饭店", "烧烤", "火锅店", "小吃店", "面馆", "快餐店", "酒楼"]
  static let companySuffixes = ["建筑工程有限公司", "科技有限公司", "劳务有限公司", "商贸有限公司", "物流有限公司", "餐饮管理有限公司", "制衣厂", "包装厂"]
  static let clocks = ["晚上10点", "晚上11点", "凌晨1点", "凌晨2点", "早上6点", "晚上9点半", "夜里12点", "早上5点多", "22点", "23点"]
  static let fullWidthDigits: [Character] = ["０", "１", "２", "３", "４", "５", "６", "７", "８", "９"]

  @inline(__always) func any(_ type: String, _ rng: inout SplitMix64) -> String {
    let a = names[type]!
    return a[rng.below(a.count)]
  }

  func fill(_ slot: Slot, community c: Int, fixed: [Slot: String], rng: inout SplitMix64) -> String {
    if let v = fixed[slot] { return v }
    let cm = city.communities[c]
    switch slot {
    case .place:
      if let e = fixed[.estate] { return e + (fixed[.bld] ?? "") }
      return rng.chance(0.6)
        ? cm.estates[rng.below(cm.estates.count)] + fill(.bld, community: c, fixed: fixed, rng: &rng)
        : fill(.road, community: c, fixed: fixed, rng: &rng) + fill(.roadNo, community: c, fixed: fixed, rng: &rng)
    case .estate: return cm.estates[rng.below(cm.estates.count)]
    case .bld:
      let n = rng.int(1...36)
      let num = rng.chance(0.05) ? TextMaker.fullWidth(String(n)) : String(n)
      return num + ["栋", "幢", "号楼", "栋", "栋"][rng.below(5)]
    case .unit: return "\(rng.int(1...6))单元"
    case .room: return "\(rng.int(1...30))0\(rng.int(1...4))室"
    case .road:
      let roads = city.streets[cm.street].roads
      return roads[rng.below(roads.count)]
    case .roadNo: return "\(rng.int(1...600))号"
    case .community: return cm.name
    case .street: return city.streets[cm.street].name
    case .district: return city.districts[cm.district].name
    case .shop: return CityGazetteer.twoChar(&rng) + TextMaker.shopSuffixes[rng.below(TextMaker.shopSuffixes.count)]
    case .restaurant:
      return rng.chance(0.3)
        ? any("restaurant", &rng)
        : CityGazetteer.twoChar(&rng) + TextMaker.restaurantSuffixes[rng.below(TextMaker.restaurantSuffixes.count)]
    case .property: return any("property_company", &rng)
    case .developer: return any("developer", &rng)
    case .company:
      return rng.chance(0.3)
        ? any("company", &rng)
        : CityGazetteer.twoChar(&rng) + TextMaker.companySuffixes[rng.below(TextMaker.companySuffixes.count)]
    case .school: return any("school", &rng)
    case .training: return any("training", &rng)
    case .gym: return any("gym", &rng)
    case .market: return any("market", &rng)
    case .site: return any("construction_site", &rng)
    case .line: return city.busLines[rng.below(city.busLines.count)]
    case .hospital: return any("hospital", &rng)
    case .park: return any("park", &rng)
    case .amount:
      let r = rng.nextDouble()
      if r < 0.5 { return "\(rng.int(2...99) * 100)元" }
      if r < 0.8 { return "\(rng.int(1...60) * 1000)元" }
      if r < 0.9 { return "\(rng.int(1...30)).\(rng.int(0...9))万元" }
      return "\(rng.int(10...999))块"
    case .months: return ["\(rng.int(2...12))个月", "半年", "两个月", "三个多月"][rng.below(4)]
    case .days: return ["\(rng.int(2...15))天", "一个星期", "好几天", "半个月"][rng.below(4)]
    case .num: return String(rng.int(2...30))
    case .clock: return TextMaker.clocks[rng.below(TextMaker.clocks.count)]
    case .date: return "\(rng.int(1...12))月\(rng.int(1...28))日"
    case .person:
      return String(TextBits.surnames[rng.below(TextBits.surnames.count)]) + ["某", "先生", "女士", "师傅", "某某"][rng.below(5)]
    case .times: return "第\(["三", "四", "五", "六", "七", "八", "十几", "二十多"][rng.below(8)])次"
    case .year: return String(rng.int(2015...2024))
    case .plate:
      let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
      return city.platePrefix + String(letters[rng.below(letters.count)]) + String(rng.int(1000...9999))
    }
  }

  /// Renders a template; slot values are memoised in `memo` so a title and
  /// its body (rendered with the same memo) name the same places.
  func render(_ t: Template, community c: Int, fixed memo: inout [Slot: String], rng: inout SplitMix64) -> String {
    var out = ""
    t.render(into: &out, rng: &rng) { s, r in
      if let v = memo[s] { return v }
      let v = fill(s, community: c, fixed: memo, rng: &r)
      memo[s] = v
      return v
    }
    return out
  }

  static func fullWidth(_ s: String) -> String {
    var o = ""
    for ch in s {
      if let v = ch.asciiValue, v >= 48 && v <= 57 { o.append(fullWidthDigits[Int(v - 48)]) } else { o.append(ch) }
    }
    return o
  }

  /// 详细地址 in one of several real-world shapes.
  func address(community c: Int, fixed: [Slot: String], rng: inout SplitMix64) -> String {
    let cm = city.communities[c]
    let d = city.districts[cm.district].name, s = city.streets[cm.street].name
    let estate = fixed[.estate] ?? cm.estates[rng.below(cm.estates.count)]
    let road = fill(.road, community: c, fixed: fixed, rng: &rng)
    let no = fill(.roadNo, community: c, fixed: fixed, rng: &rng)
    let b = fixed[.bld] ?? fill(.bld, community: c, fixed: [:], rng: &rng)
    switch rng.below(8) {
    case 0: return d + s + cm.name + estate + b
    case 1: return road + no
    case 2: return estate + b + fill(.unit, community: c, fixed: fixed, rng: &rng)
    case 3: return "澜江市" + d + road + no + estate
    case 4:
      let roads = city.streets[cm.street].roads
      return road + "与" + roads[rng.below(roads.count)] + "交叉口"
    case 5: return s + cm.name + estate
    case 6: return estate
    default: return d + road + no + "附近"
    }
  }
}
