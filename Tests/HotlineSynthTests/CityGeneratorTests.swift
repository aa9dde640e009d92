import Foundation
import HotlineCore
import HotlineText
import Testing

import HotlineSynth

/// Minimal RFC 4180 reader (quoted fields may hold commas, quotes, newlines).
func parseCSV(_ text: String) -> [[String]] {
  var rows: [[String]] = []
  var row: [String] = []
  var field: [UInt8] = []
  var inQuotes = false
  let bytes = Array(text.utf8)
  var i = 0
  func endField() {
    row.append(String(decoding: field, as: UTF8.self))
    field.removeAll(keepingCapacity: true)
  }
  while i < bytes.count {
    let b = bytes[i]
    if inQuotes {
      if b == 0x22 {
        if i + 1 < bytes.count && bytes[i + 1] == 0x22 {
          field.append(0x22)
          i += 1
        } else {
          inQuotes = false
        }
      } else {
        field.append(b)
      }
    } else if b == 0x22 && field.isEmpty {
      inQuotes = true
    } else if b == 0x2C {
      endField()
    } else if b == 0x0D || b == 0x0A {
      if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
      endField()
      rows.append(row)
      row = []
    } else {
      field.append(b)
    }
    i += 1
  }
  if !field.isEmpty || !row.isEmpty {
    endField()
    rows.append(row)
  }
  return rows
}

/// One directory per test process for the generated cities, removed when the process exits.
let synthScratchRoot: URL = {
  let u = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-synth-tests-\(getpid())")
  try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
  atexit { try? FileManager.default.removeItem(at: synthScratchRoot) }
  return u
}()

func tempDir(_ name: String) -> URL {
  let u = synthScratchRoot.appendingPathComponent("\(name)-\(UInt32.random(in: 0...UInt32.max))")
  try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
  return u
}

/// Generated once per preset/seed/options and shared by the tests.
final class Generated: Sendable {
  let dir: URL
  let summary: SynthSummary
  let rows: [[String]]
  let truthText: String
  let truth: SynthTruth

  init(_ g: CityGenerator, _ name: String) throws {
    dir = tempDir(name)
    summary = try g.write(to: dir)
    let data = try Data(contentsOf: dir.appendingPathComponent("tickets.csv"))
    let text: String
    if g.encoding == .gb18030 {
      text = String(data: data, encoding: SynthEncoding.gb18030Foundation) ?? ""
    } else {
      text = String(decoding: data, as: UTF8.self)
    }
    rows = parseCSV(text)
    truthText = try String(contentsOf: dir.appendingPathComponent("truth.json"), encoding: .utf8)
    let dec = JSONDecoder()
    dec.keyDecodingStrategy = .convertFromSnakeCase
    truth = try dec.decode(SynthTruth.self, from: Data(truthText.utf8))
  }

  static let tiny = Result { try Generated(CityGenerator(preset: .tiny, seed: 42), "tiny") }
  static let small = Result { try Generated(CityGenerator(preset: .small, seed: 7), "small") }
}

let expectedHeader =
  "工单编号,来电时间,来电号码,诉求渠道,诉求类型,问题分类,工单标题,诉求内容,所属区县,街道,社区,详细地址,经度,纬度,坐标系,派单时间,办理时限,承办单位,转办次数,办结时间,办理状态,是否解决,满意度,关联工单"

@Suite struct CityGeneratorTests {
  @Test func sameSeedIsByteIdenticalDifferentSeedDiffers() throws {
    var g = CityGenerator(preset: .tiny, seed: 1)
    g.ticketTarget = 800
    g.days = 60
    let a = tempDir("a"), b = tempDir("b"), c = tempDir("c")
    try g.write(to: a)
    try g.write(to: b)
    var g2 = CityGenerator(preset: .tiny, seed: 2)
    g2.ticketTarget = 800
    g2.days = 60
    try g2.write(to: c)
    for f in ["tickets.csv", "truth.json", "city.json", "truth_categories.csv"] {
      let da = try Data(contentsOf: a.appendingPathComponent(f))
      let db = try Data(contentsOf: b.appendingPathComponent(f))
      let dc = try Data(contentsOf: c.appendingPathComponent(f))
      #expect(da == db, "\(f) differs for the same seed")
      #expect(da != dc, "\(f) equal for different seeds")
    }
  }

  @Test func headerRowCountsAndShape() throws {
    for gen in [try Generated.tiny.get(), try Generated.small.get()] {
      let header = gen.rows[0].joined(separator: ",")
      #expect(header == expectedHeader)
      let data = gen.rows.dropFirst()
      let target = gen.summary.preset == "tiny" ? 3_000 : 20_000
      #expect(data.count == gen.summary.tickets)
      #expect(Double(data.count) > Double(target) * 0.9 && Double(data.count) < Double(target) * 1.1)
      for r in data { #expect(r.count == 24, "row \(r.first ?? "?") has \(r.count) fields") }
      let ids = data.map { $0[0] }
      #expect(Set(ids).count == ids.count, "ticket ids are not unique")
      // Id shape: 15 digits, optional -01.
      for id in ids {
        let base = id.hasSuffix("-01") ? String(id.dropLast(3)) : id
        #expect(base.count == 15 && base.allSatisfy(\.isASCII) && base.allSatisfy(\.isNumber), "bad id \(id)")
      }
      // Texts exercise quoting: some contain commas, newlines or quotes.
      #expect(data.contains { $0[7].contains(",") })
      #expect(data.contains { $0[7].contains("\n") } || gen.summary.preset == "tiny")
    }
  }

  @Test func categoriesUsedAndTruthCategories() throws {
    let gen = try Generated.small.get()
    let cats = gen.rows.dropFirst().map { $0[5] }
    let l1 = Set(cats.compactMap { $0.components(separatedBy: "->").first })
    let l2 = Set(cats)
    #expect(l1.count >= 10)
    #expect(l2.count >= 30)
    let truthCats = parseCSV(
      try String(contentsOf: gen.dir.appendingPathComponent("truth_categories.csv"), encoding: .utf8))
    #expect(Array(truthCats[0].prefix(2)) == ["工单编号", "true_category"])
    #expect(truthCats.count == gen.rows.count)
    var wrong = 0
    for (a, b) in zip(truthCats.dropFirst(), gen.rows.dropFirst()) {
      #expect(a[0] == b[0])
      if a[1] != b[5] { wrong += 1 }
    }
    let rate = Double(wrong) / Double(gen.rows.count - 1)
    #expect(rate > 0.02 && rate < 0.07, "mislabel rate \(rate)")
    #expect(wrong == gen.truth.meta.mislabelled)
  }

  @Test func truthIdsExistAndPlantedItemsScale() throws {
    for gen in [try Generated.tiny.get(), try Generated.small.get()] {
      let ids = Set(gen.rows.dropFirst().map { $0[0] })
      let t = gen.truth
      var all: [String] = []
      for o in t.outbreaks { all += o.ticketIds; #expect(o.ticketIds.count == o.extraTickets || o.ticketIds.count > 0) }
      for r in t.recurringClasses { all += r.ticketIds; #expect(r.ticketIds.count >= 3) }
      for i in t.incidents { all += i.ticketIds; #expect(i.ticketIds.count >= 2) }
      for c in t.callers { all += c.ticketIds; #expect(c.ticketIds.count >= 3) }
      all += t.outOfScope.map(\.ticketId) + t.piiInText + t.hardNegatives.map(\.ticketId) + t.rehandled.map(\.ticketId)
      for id in all { #expect(ids.contains(id), "truth id \(id) not in tickets.csv") }
      #expect(t.callersTruth.count == t.callers.count)
      #expect(Set(t.callers.map(\.type)) == ["persistent", "burst", "scattershot", "petition", "organisation"])
      #expect(!t.seasonal.isEmpty)
      #expect(!t.outOfScope.isEmpty)
      #expect(Set(t.outOfScope.map(\.class)).count >= 8 || gen.summary.preset == "tiny")
    }
    let small = try Generated.small.get()
    #expect(small.truth.recurringClasses.count >= 5)
    #expect(small.truth.outbreaks.count >= 6)
  }

  @Test func plantedCallersShareOnePhoneAndTruthHasNoPhones() throws {
    let gen = try Generated.small.get()
    var phoneById: [String: String] = [:]
    for r in gen.rows.dropFirst() { phoneById[r[0]] = r[2] }
    for c in gen.truth.callers {
      let phones = Set(c.ticketIds.compactMap { PhoneNumber.normalize(phoneById[$0] ?? "") })
      #expect(phones.count == 1, "caller \(c.id) has \(phones.count) numbers")
      if let p = phones.first { #expect(!gen.truthText.contains(p)) }
      #expect(c.callerPhoneHint.contains("****"))
    }
    // No maximal run of exactly 11 digits starting with 1 (a mobile) in truth.json.
    var run = ""
    for ch in gen.truthText + " " {
      if ch.isASCII && ch.isNumber {
        run.append(ch)
      } else {
        #expect(!(run.count == 11 && run.hasPrefix("1")), "phone-like number \(run) in truth.json")
        run = ""
      }
    }
    // pii_in_text tickets do contain a long digit run or a plate.
    var textById: [String: String] = [:]
    for r in gen.rows.dropFirst() { textById[r[0]] = r[7] }
    let piiCount = gen.truth.piiInText.count
    let rate = Double(piiCount) / Double(gen.rows.count - 1)
    #expect(rate > 0.01 && rate < 0.035)
    for id in gen.truth.piiInText.prefix(50) {
      let t = textById[id] ?? ""
      #expect(PII.containsPII(t) || t.contains("车牌") || t.contains("肇事车辆"), "no PII in \(id)")
    }
  }

  @Test func blankCategoriesLeavesColumnEmpty() throws {
    var g = CityGenerator(preset: .tiny, seed: 42, blankCategories: true)
    g.ticketTarget = 500
    g.days = 40
    let gen = try Generated(g, "blank")
    #expect(gen.rows.dropFirst().allSatisfy { $0[5].isEmpty })
    #expect(gen.rows.count > 400)
  }

  @Test func gb18030DecodesToSameRows() throws {
    var u = CityGenerator(preset: .tiny, seed: 9)
    u.ticketTarget = 600
    u.days = 45
    var g = CityGenerator(preset: .tiny, seed: 9, encoding: .gb18030)
    g.ticketTarget = 600
    g.days = 45
    let a = try Generated(u, "u8"), b = try Generated(g, "gb")
    #expect(a.rows.count > 500)
    #expect(a.rows == b.rows)
    let raw = try Data(contentsOf: b.dir.appendingPathComponent("tickets.csv"))
    #expect(String(data: raw, encoding: .utf8) == nil)  // really not UTF-8
  }

  @Test func coordinatesInsideTheCityBox() throws {
    let gen = try Generated.tiny.get()
    var n = 0
    for r in gen.rows.dropFirst() where !r[12].isEmpty {
      guard let lon = Double(r[12]), let lat = Double(r[13]), let sys = CoordinateSystem(normalizing: r[14]) else {
        Issue.record("bad coordinate row \(r[0])")
        continue
      }
      let w = sys.toWGS84(Coordinate(lon: lon, lat: lat))
      #expect(abs(w.lon - 118.9) < 0.3 && abs(w.lat - 32.0) < 0.25)
      n += 1
    }
    #expect(n > 2_000)
  }
}
