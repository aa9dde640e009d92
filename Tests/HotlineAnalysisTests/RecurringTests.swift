import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineSynth
import Testing

struct RecurringEntityTests {
  /// Tickets that name the same things in different surroundings.
  static func corpus() -> [Ticket] {
    let texts = [
      "丹湖路210号桂庄饭店每天晚上油烟很大，熏到楼上住户。",
      "桂庄饭店烧烤烟雾弥漫，影响周边居民生活。",
      "来电反映丹湖路210号桂庄饭店油烟扰民。",
      "锦林地产集团开发的鼓圩嘉园至今未交付。",
      "鼓圩嘉园购房者反映，锦林地产集团延期交房。",
      "网友留言：锦林地产集团交房标准与宣传不符。",
      "89路高峰期要等20分钟，上班经常迟到。",
      "市民来电称，89路末班车太早，建议调整。",
      "建议89路增设站点，在明丰南路站等车很久。",
      "白沙东路225号附近有一个窨井盖缺失。",
      "白沙东路225号门口窨井盖松动。",
      "白沙东路从225号往东的路灯不亮。",
      "凤墩实验小学门口上下学时段交通拥堵。",
      "凤墩实验小学门口没有人行横道。",
      "凤墩实验小学门口小商贩卖三无食品。",
    ]
    return texts.enumerated().map { i, t in
      Ticket(id: "T\(i)", receivedAt: Int64(1_735_700_000 + i * 3600), text: t)
    }
  }

  @Test func namesAreCutWhereTheCorpusSaysTheyStart() {
    let x = EntityExtractor(tickets: Self.corpus())
    let e = x.extract("丹湖路210号桂庄饭店每天晚上油烟很大")
    #expect(e.contains(Entity(name: "桂庄饭店", kind: .shop)))
    #expect(!e.contains { $0.name == "号桂庄饭店" })
    // A company's full name and its short name are one entity (简称).
    #expect(x.extract("鼓圩嘉园购房者反映，锦林地产集团延期交房").contains(Entity(name: "锦林地产", kind: .developer)))
    #expect(EntityExtractor.shortCompanyName("双泉物业管理有限公司") == "双泉物业")
    #expect(EntityExtractor.shortCompanyName("北兴置业有限公司") == "北兴置业")
    #expect(x.extract("89路末班车太早").contains(Entity(name: "89路", kind: .busLine)))
    #expect(x.extract("凤墩实验小学门口没有人行横道").contains(Entity(name: "凤墩实验小学", kind: .school)))
    let road = x.extract("白沙东路225号门口窨井盖松动")
    #expect(road.contains(Entity(name: "白沙东路", kind: .road)))
    #expect(road.contains(Entity(name: "白沙东路225号", kind: .roadPoint)))
  }

  @Test func fullWidthDigitsAreTheSameName() {
    let x = EntityExtractor(tickets: Self.corpus())
    #expect(x.extract("白沙东路２２５号路面出现塌陷").contains(Entity(name: "白沙东路225号", kind: .roadPoint)))
  }

  @Test func rareAndGenericNamesAreNotEntities() {
    let x = EntityExtractor(tickets: Self.corpus())
    // Seen once: below minSupport.
    #expect(x.extract("明丰南路站等车很久").allSatisfy { $0.kind != .road || $0.name != "明丰南路" })
    #expect(x.vocabulary["小区"] == nil)
    #expect(x.extract("锦林地产集团延期交房").count == 1)
  }
}

struct IncidentMergingTests {
  @Test func nearDuplicatesAndParaphrasesAtOnePlaceMerge() {
    let base: Int64 = 1_750_000_000
    var tickets: [Ticket] = []
    func add(_ id: String, _ h: Double, _ text: String, _ community: String, _ cat: [String]) {
      tickets.append(
        Ticket(
          id: id, receivedAt: base + Int64(h * 3600), callerKey: id, category: cat, text: text, district: "南沙区",
          street: "玄园街道", community: community))
    }
    let muck = ["城市管理", "渣土与工程车"]
    add("A1", 0, "凌晨2点左右南宁西路有渣土车不盖篷布，噪音扰民，希望查处。", "云湾社区", muck)
    add("A2", 1, "每天夜里南宁西路有渣土车不盖篷布，噪音扰民，希望查处。", "云湾社区", muck)
    add("A3", 5, "再次来电催促，南宁西路有渣土车不盖篷布，噪音扰民，希望查处。", "云湾社区", muck)
    // The same road a month later: not the same incident.
    add("B1", 24 * 30, "南宁西路有渣土车不盖篷布，噪音扰民，希望查处。", "云湾社区", muck)
    // Same hours, other place and problem.
    add("C1", 2, "秦河美容会所办了会员卡，拒绝退费，希望帮助追回。", "白洲社区", ["市场监管与消费维权", "预付卡"])
    add("C2", 3, "梅塘新城自来水发黄，不敢饮用。", "玉湖社区", ["公用事业", "供水"])
    // Filler so that boilerplate detection has a corpus.
    for k in 0..<40 { add("F\(k)", Double(100 + k * 30), "第\(k)件：路灯不亮，希望处理。", "社区\(k)", ["城市管理", "路灯"]) }
    let r = RecurringAnalysis.run(tickets: tickets, config: .init())
    let ids = r.incidents.map { Set($0.ticketIndices.map { tickets[$0].id }) }
    #expect(ids.contains(["A1", "A2", "A3"]), "\(ids)")
    #expect(!ids.contains { $0.contains("B1") || $0.contains("C1") || $0.contains("C2") })
    let a = r.incidents.first { $0.ticketIndices.contains(0) }
    #expect((a?.confidence ?? 0) >= 0.5)
    #expect(r.incidentOfTicket[0] != nil && r.incidentOfTicket[0] == r.incidentOfTicket[1])
  }

  @Test func confidenceFallsWithTimeAndRisesWithSimilarity() {
    func f(_ s: Double, _ h: Double, sameL1: Bool = true) -> Double {
      IncidentMerging.pairConfidence(
        .init(
          similarity: s, sharedEntity: true, sameCommunity: true, sameStreet: true, distanceMetres: nil,
          sameL2: sameL1, sameL1: sameL1, differentL1: !sameL1, hours: h))
    }
    #expect(f(0.8, 2) > f(0.2, 2))
    #expect(f(0.5, 2) > f(0.5, 60))
    #expect(f(0.5, 2, sameL1: false) < f(0.5, 2))
  }
}

/// Reads a synthetic city's tickets.csv into tickets (test helper; the product uses HotlineImport).
enum SynthTickets {
  static func parseCSV(_ text: String) -> [[String]] { MiniCSV.rows(text) }

  static func epoch(_ s: String) -> Int64 {
    let parts = s.split(whereSeparator: { "/- :".contains($0) }).compactMap { Int($0) }
    guard parts.count >= 6 else { return 0 }
    return ZoneClock.shanghai.epoch(
      CivilDateTime(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5]))
  }

  static func load(_ dir: URL) throws -> [Ticket] {
    let rows = parseCSV(try String(contentsOf: dir.appendingPathComponent("tickets.csv"), encoding: .utf8))
    let head = rows[0]
    func col(_ name: String) -> Int { head.firstIndex(of: name)! }
    let (id, time, phone, cat, title, text) = (col("工单编号"), col("来电时间"), col("来电号码"), col("问题分类"), col("工单标题"), col("诉求内容"))
    let (dis, str, com, addr, dept, tr, res, sat) = (
      col("所属区县"), col("街道"), col("社区"), col("详细地址"), col("承办单位"), col("转办次数"), col("是否解决"), col("满意度")
    )
    return rows.dropFirst().filter { $0.count == head.count }.map { r in
      let digits = r[phone].filter(\.isNumber)
      return Ticket(
        id: r[id], receivedAt: epoch(r[time]), callerKey: digits.isEmpty ? nil : String(digits.suffix(11)),
        category: r[cat].isEmpty ? [] : r[cat].components(separatedBy: "->"), title: r[title], text: r[text],
        district: r[dis].isEmpty ? nil : r[dis], street: r[str].isEmpty ? nil : r[str],
        community: r[com].isEmpty ? nil : r[com], address: r[addr].isEmpty ? nil : r[addr],
        departments: r[dept].isEmpty ? [] : r[dept].components(separatedBy: ";"), transferCount: Int(r[tr]),
        resolution: Resolution(rawValue: r[res]), satisfaction: r[sat].isEmpty ? nil : r[sat])
    }
  }
}

struct RecurringClassTests {
  struct Planted: Decodable {
    var id: String
    var ticket_ids: [String]
  }
  struct Truth: Decodable {
    var recurring_classes: [Planted]
    var incidents: [Planted]
  }

  @Test func plantedClassesAreFoundOnTheTinyCity() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-recurring-\(getpid())")
    defer { try? FileManager.default.removeItem(at: dir) }
    try CityGenerator(preset: .tiny, seed: 20_251_122).write(to: dir)
    let tickets = try SynthTickets.load(dir)
    let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: dir.appendingPathComponent("truth.json")))
    #expect(tickets.count > 2000)
    // The tiny city plants classes of 7–30 tickets: thresholds for small counts.
    var config = RecurringAnalysis.Config()
    config.classes.minTickets = 6
    config.classes.minLLR = 15
    config.classes.minConditionalLLR = 4
    config.classes.minRatio = 4
    config.classes.minActiveWeeks = 3
    let r = RecurringAnalysis.run(tickets: tickets, config: config)
    let reported = r.classes.map { Set($0.ticketIds) }
    var f1s: [Double] = []
    for p in truth.recurring_classes {
      let a = Set(p.ticket_ids)
      f1s.append(reported.map { 2 * Double(a.intersection($0).count) / Double(a.count + $0.count) }.max() ?? 0)
    }
    let meanF1 = f1s.reduce(0, +) / Double(max(1, f1s.count))
    #expect(meanF1 >= 0.6, "mean best F1 \(meanF1) per class \(f1s)")
    // Purity: every reported class is mostly one planted class.
    var owner: [String: String] = [:]
    for p in truth.recurring_classes { for t in p.ticket_ids { owner[t] = p.id } }
    var real = 0
    for c in r.classes {
      var counts: [String: Int] = [:]
      for t in c.ticketIds { if let o = owner[t] { counts[o, default: 0] += 1 } }
      if 2 * (counts.values.max() ?? 0) > c.count { real += 1 }
    }
    #expect(Double(real) >= 0.7 * Double(r.classes.count), "\(real) of \(r.classes.count) classes are planted")
    // Every class carries its evidence and a ranking.
    for c in r.classes {
      #expect(c.ticketIds.count == c.count && c.count >= 6)
      #expect(c.observed >= c.count / 2 && c.expected < Double(c.observed))
      #expect(c.pValue < 1e-3)
      #expect(!c.reasonsZh.isEmpty && !c.title.isEmpty)
      #expect(c.firstDate <= c.lastDate)
    }
    #expect(zip(r.classes, r.classes.dropFirst()).allSatisfy { $0.score >= $1.score })
    for (i, k) in r.classOfTicket.enumerated() where k != nil { #expect(r.classes[k!].ticketIndices.contains(i)) }
    // Incidents: most planted groups are recovered.
    let inc = r.incidents.map { Set($0.ticketIndices.map { tickets[$0].id }) }
    var incF1: [Double] = []
    for p in truth.incidents {
      let a = Set(p.ticket_ids)
      incF1.append(inc.map { 2 * Double(a.intersection($0).count) / Double(a.count + $0.count) }.max() ?? 0)
    }
    let meanInc = incF1.reduce(0, +) / Double(max(1, incF1.count))
    #expect(meanInc >= 0.6, "incident mean best F1 \(meanInc)")
  }
}

struct RecurringHandMadeTests {
  /// One shop's fumes, raised 16 times over 10 weeks by 10 callers and passed between two
  /// bureaus both ways, among 600 other tickets spread over a year.
  static func city() -> [Ticket] {
    let day: Int64 = 86_400
    let start: Int64 = 1_735_660_800  // 2025-01-01 00:00 +08:00
    var out: [Ticket] = []
    // Fumes elsewhere too, all year: the class stands out in time and place, not by its category.
    let cats = [["城市管理", "占道经营"], ["公用事业", "供水"], ["城市管理", "餐饮油烟"], ["物业管理", "物业服务"]]
    for k in 0..<600 {
      out.append(
        Ticket(
          id: "B\(k)", receivedAt: start + Int64(k) * day * 365 / 600 + 3600, callerKey: "bg\(k)",
          category: cats[k % cats.count], title: "第\(k)号问题", text: "社区\(k % 40)第\(k)件事情需要处理。",
          district: "丹安区", street: "街道\(k % 8)", community: "社区\(k % 40)", departments: ["丹安区城管局"]))
    }
    for k in 0..<16 {
      let pingPong = k % 2 == 0 ? ["丹安区城管局", "丹安区生态环境局"] : ["丹安区生态环境局", "丹安区城管局"]
      out.append(
        Ticket(
          id: "F\(k)", receivedAt: start + (100 + Int64(k) * 70 / 16) * day + 7200, callerKey: "c\(k % 10)",
          category: ["城市管理", "餐饮油烟"], title: "桂庄饭店油烟扰民",
          text: ["丹湖路210号桂庄饭店每天晚上油烟很大。", "桂庄饭店烧烤烟雾弥漫，影响居民。", "投诉桂庄饭店油烟扰民。"][k % 3],
          district: "丹安区", street: "祥洲街道", community: "春营社区", departments: pingPong, transferCount: 2,
          resolution: k % 4 == 0 ? .partial : .unresolved, satisfaction: "不满意"))
    }
    return out
  }

  @Test func aClassCarriesItsEvidenceDepartmentsAndRanking() throws {
    let tickets = Self.city()
    let r = RecurringAnalysis.run(tickets: tickets, config: .init())
    try #require(r.classes.count == 1, "\(r.classes.map(\.title))")
    let c = r.classes[0]
    #expect(c.entity == "桂庄饭店" && c.entityKind == .shop)
    #expect(Set(c.ticketIds) == Set((0..<16).map { "F\($0)" }))
    #expect(c.callers == 10 && c.count == 16)
    #expect(c.category == "城市管理->餐饮油烟")
    #expect(c.unresolvedShare == 0.75 && c.dissatisfiedShare == 1)
    #expect(c.transfers == 32 && c.transferredShare == 1)
    #expect(c.pingPong.map { [$0.a, $0.b, "\($0.count)"] } == [["丹安区城管局", "丹安区生态环境局", "16"]])
    #expect(c.leadDepartment == "丹安区城管局" && c.assistingDepartments == ["丹安区生态环境局"])
    #expect(c.title == "桂庄饭店油烟扰民" && c.area == "丹安区 祥洲街道 春营社区")
    #expect(c.expected < 1 && c.pValue < 1e-10 && c.llr >= 40)
    #expect(c.score > 0 && c.score <= 100 && c.reasonsZh.count == 3 && c.reasonsEn.count == 3)
    #expect(abs(c.scoreParts.map(\.weight).reduce(0, +) - 1) < 1e-9)
    for i in tickets.indices { #expect((r.classOfTicket[i] != nil) == tickets[i].id.hasPrefix("F")) }
  }

  @Test func aOneCallerMatterIsNotAClass() {
    var tickets = Self.city()
    for k in tickets.indices where tickets[k].id.hasPrefix("F") { tickets[k].callerKey = "same" }
    var config = RecurringAnalysis.Config()
    config.classes.minCallers = 1
    #expect(RecurringAnalysis.run(tickets: tickets, config: config).classes.isEmpty)
  }
}
