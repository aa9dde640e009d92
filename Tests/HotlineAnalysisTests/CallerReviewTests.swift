import HotlineAnalysis
import HotlineCore
import HotlineStats
import Testing

/// A small population with one caller of each kind, built with a seeded
/// generator: background callers with 1–4 tickets on random matters, and
/// planted callers whose type the review must find from the evidence.
struct CallerReviewTests {
  static let day: Int64 = 86_400
  static let start: Int64 = 1_735_689_600  // 2025-01-01 00:00 UTC
  static let titles = ["小区噪音扰民", "路灯不亮", "垃圾清运不及时", "道路破损", "占道经营", "电梯故障", "楼道堆物", "绿化带被毁",
                       "违章搭建", "公交站台破损", "下水道堵塞", "油烟扰民"]
  static let categories = ["城市管理->市容", "城市管理->路灯", "城市管理->环卫", "交通运输->道路", "城市管理->占道",
                           "物业管理->电梯", "物业管理->公共部位", "城市管理->绿化", "城市管理->违建", "交通运输->公交",
                           "物业管理->管道", "生态环境->油烟"]

  struct Planted {
    var items: [(CallerTicket, String)] = []
    var id = 0
    mutating func add(_ key: String, at t: Int64, title: String, category: String, resolution: Resolution,
                      dissatisfied: Bool = false, scope: String? = nil, org: Bool = false, place: String = "P1") {
      id += 1
      items.append((CallerTicket(id: "T\(id)", receivedAt: t, category: category, title: title, place: place,
                                 resolution: resolution, dissatisfied: dissatisfied, scope: scope, organisational: org), key))
    }
  }

  static func population() -> Planted {
    var p = Planted()
    let rng = GSLRandom(seed: 42)
    for c in 0..<3000 {
      let n = 1 + (rng.uniform() < 0.3 ? rng.uniformInt(4) : 0)
      for _ in 0..<n {
        let m = rng.uniformInt(titles.count)
        let u = rng.uniform()
        p.add("bg\(c)", at: start + Int64(rng.uniform() * 360 * Double(day)), title: titles[m], category: categories[m],
              resolution: u < 0.7 ? .resolved : (u < 0.85 ? .partial : .unresolved),
              scope: rng.uniform() < 0.02 ? "U12" : nil, place: "P\(rng.uniformInt(40))")
      }
    }
    // Persistent: 30 calls over five months on one unresolved leak.
    for i in 0..<30 {
      p.add("persistent", at: start + Int64(i) * 5 * day + 3600, title: "瑞坊小区10栋楼上漏水",
            category: "纠纷调解->邻里纠纷", resolution: i % 5 == 0 ? .partial : .unresolved, dissatisfied: i % 2 == 0)
    }
    // Burst: 12 calls in two days about a water cut, mostly settled.
    for i in 0..<12 {
      p.add("burst", at: start + 200 * day + Int64(i) * 4 * 3600, title: i % 2 == 0 ? "石阳家园停水" : "石阳家园突然停水",
            category: "公用事业->供水", resolution: .resolved)
    }
    // Petition: 10 calls, the matter already in petition or court.
    for i in 0..<10 {
      p.add("petition", at: start + Int64(i) * 20 * day + 7200, title: "讨薪求助", category: "劳动和社会保障->欠薪",
            resolution: .unresolved, scope: i % 2 == 0 ? "U03" : "U02")
    }
    // Scattershot: 30 calls on everything, 12 of them out of scope.
    let classes = ["U01", "U04", "U09", "U12"]
    for i in 0..<30 {
      let m = i % titles.count
      p.add("scatter", at: start + Int64(i) * 11 * day + 5000, title: titles[m] + "\(i)", category: categories[m],
            resolution: .resolved, scope: i % 5 < 2 ? classes[i % 4] : nil, place: "P\(i % 9)")
    }
    // Organisation: 60 calls by a community worker on varied, resolved problems.
    for i in 0..<60 {
      let m = (i * 7) % titles.count
      p.add("org", at: start + Int64(i) * 6 * day + 9 * 3600, title: titles[m] + "（\(i)号楼）", category: categories[m],
            resolution: .resolved, org: true, place: "P\(i % 2)")
    }
    return p
  }

  static func review() -> CallerReviewResult {
    var b = CallerReview.Builder()
    for (item, key) in population().items { b.add(item, callerKey: key, mask: "138****\(key.count)000") }
    return b.review()
  }

  @Test func findsEachPlantedTypeAndRanksThemFirst() throws {
    let r = Self.review()
    let byKey = Dictionary(uniqueKeysWithValues: r.callers.map { ($0.key, $0) })
    #expect(try #require(byKey["persistent"]).type == .persistent)
    #expect(try #require(byKey["burst"]).type == .burst)
    #expect(try #require(byKey["petition"]).type == .petition)
    #expect(try #require(byKey["scatter"]).type == .scattershot)
    for k in ["persistent", "burst", "petition", "scatter"] { #expect(byKey[k]?.flagged == true, "\(k)") }
    // The four planted callers are the top four; nobody from the background is flagged.
    #expect(Set(r.callers.prefix(4).map(\.key)) == ["persistent", "burst", "petition", "scatter"])
    #expect(r.callers.filter(\.flagged).count == 4)
  }

  @Test func parallelReviewEqualsSerial() {
    var b = CallerReview.Builder()
    for (item, key) in Self.population().items { b.add(item, callerKey: key, mask: nil) }
    var serial = CallerReview.Config()
    serial.threads = 1
    var parallel = CallerReview.Config()
    parallel.threads = 4
    let one = b.review(config: serial)
    let four = b.review(config: parallel)
    #expect(one.population.tested >= 256)  // enough callers for the parallel path
    #expect(one.callers.count > 4)
    #expect(one.callers == four.callers)
  }

  @Test func heavyOrganisationIsListedButNeverFlagged() throws {
    let r = Self.review()
    let org = try #require(r.callers.first { $0.key == "org" })
    #expect(org.type == .organisation)
    #expect(!org.flagged)
    #expect(org.route == .regularLiaison)
    // Its volume is abnormal, which alone decides nothing.
    #expect(org.features.log10PVolume < -6)
    #expect(org.score < r.callers.first { $0.key == "petition" }!.score)
  }

  @Test func routesAndReasonsCarryTheEvidence() throws {
    let r = Self.review()
    let p = try #require(r.callers.first { $0.key == "persistent" })
    #expect(p.route == .jointHandling)
    #expect(p.features.matterCalls == 30)
    #expect(p.features.matterTicketIds.count == 30)
    #expect(p.reasons.contains { $0.code == "matter" && $0.zh.contains("瑞坊小区10栋楼上漏水") })
    let b = try #require(r.callers.first { $0.key == "burst" })
    #expect(b.route == .urgentCoordination)
    #expect(b.features.maxBurstCalls == 12)
    #expect(b.reasons.contains { $0.code == "burst" })
    let pet = try #require(r.callers.first { $0.key == "petition" })
    #expect(pet.route == .petitionChannel)
    #expect(pet.features.petitionCalls == 10)
    #expect(r.callers.allSatisfy { !$0.reasons.isEmpty && $0.ticketIds.count == $0.features.calls })
  }

  @Test func concentrationComesWithTheReview() {
    let r = Self.review()
    #expect(r.concentration.callers == r.population.callers)
    #expect(r.concentration.tickets == r.population.tickets)
    #expect(r.concentration.gini > 0)
  }

  @Test func sameMatterUsesCategoryAndTitle() {
    let g = TitleSimilarityMatter()
    let t = [
      CallerTicket(id: "a", receivedAt: 0, category: "x", title: "石阳家园停水"),
      CallerTicket(id: "b", receivedAt: 1, category: "x", title: "石阳家园突然停水"),
      CallerTicket(id: "c", receivedAt: 2, category: "y", title: "石阳家园停水"),
      CallerTicket(id: "d", receivedAt: 3, category: "x", title: "路灯不亮"),
      CallerTicket(id: "e", receivedAt: 4, category: "z", title: "别的", parentId: "d"),
    ]
    #expect(g.groups(t) == [[0, 1], [2], [3, 4]])
    // Thousands of tickets of one account stay linear and still chain up.
    let many = (0..<5_000).map { CallerTicket(id: "m\($0)", receivedAt: Int64($0), category: "x", title: "东塘苑垃圾堆积\($0 % 7)号楼") }
    #expect(g.groups(many).count == 1)
    // A known class (e.g. a recurring class) overrides the titles.
    let k = KnownClassMatter(classOf: ["a": "R1", "d": "R1"])
    #expect(k.groups(t).contains([0, 3]))
  }
}
