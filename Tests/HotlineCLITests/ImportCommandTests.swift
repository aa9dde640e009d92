import Foundation
import Testing

/// A small Chinese export with planted personal numbers and bad rows.
enum Fixture {
  static let phones = ["13812345678", "15987654321", "18600001111"]
  static let idNumber = "110105199003071234"
  static let plate = "京B12345"

  static let header = "工单编号,来电时间,来电号码,诉求类型,问题分类,诉求内容,所属区县,街道,承办单位,办结时间,满意度"

  static var goodRows: [String] {
    [
      "A001,2025/3/1 8:05:09,13812345678,投诉,生态环境->施工噪声,小区门口夜间施工噪音扰民，请回电13812345678,青溪区,望江街道,区城管局,2025/3/2 9:00:00,满意",
      "A002,2025-03-01 09:15:00,+86 159-8765-4321,咨询,劳动和社会保障->社会保险,\"咨询社保卡办理，身份证\(idNumber)\n（多行内容）\",青溪区,望江街道,区人社局,,未评价",
      "A003,2025/3/2 10:00:00,18600001111,举报,交通运输->非法营运,车牌\(plate)的车辆非法营运,江北区,柳岸街道,区交通局,2025/3/5 17:00:00,不满意",
      "A004,2025/3/2 11:00:00,13812345678,投诉,生态环境->施工噪声,施工噪音又来了,青溪区,望江街道,区城管局;区住建局,,",
    ]
  }

  /// Two bad rows: a bad date (line 7) and a missing id (line 8).
  static var badRows: [String] {
    [
      "A005,2025-13-45 25:00:00,13812345678,投诉,城市管理->占道经营,占道经营,青溪区,望江街道,区城管局,,",
      ",2025/3/3 10:00:00,15987654321,咨询,城市管理->占道经营,缺少编号的行,青溪区,望江街道,区城管局,,",
    ]
  }

  static func write(to dir: URL, name: String = "export.csv", bad: Bool = true) throws -> URL {
    let url = dir.appendingPathComponent(name)
    let text = ([header] + goodRows + (bad ? badRows : [])).joined(separator: "\r\n") + "\r\n"
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }
}

struct ImportCommandTests {
  @Test func importReportsBadRowsAndKeepsGoodOnes() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = try Fixture.write(to: dir)
    let db = dir.appendingPathComponent("h.sqlite").path
    let r = try CLI.run(["import", file.path, "--db", db, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(r.json as? [String: Any])
    let f = try #require((json["files"] as? [[String: Any]])?.first)
    #expect(f.int("read") == 6)
    #expect(f.int("imported") == 4)
    #expect(f.int("rejected") == 2)
    // The summary adds up.
    #expect(
      f.int("read") == f.int("imported")! + f.int("updated")! + f.int("unchanged")! + f.int("rejected")!)
    // Errors name the line (physical, counting the multi-line field) and the field.
    let errors = try #require(f["errors"] as? [[String: Any]])
    #expect(errors.count == 2)
    #expect(errors[0].int("line") == 7)
    #expect((errors[0]["column"] as? String) == "来电时间")
    #expect(errors[1].int("line") == 8)
    #expect((errors[1]["column"] as? String) == "工单编号")
    // Rejected rows are kept, masked, in the rejects file.
    let rejectsPath = try #require(f["rejects_file"] as? String)
    let rejects = try String(contentsOfFile: rejectsPath, encoding: .utf8)
    #expect(rejects.contains("2025-13-45"))
    #expect(rejects.contains("缺少编号的行"))
    #expect(!rejects.contains("13812345678") && !rejects.contains("15987654321"))
  }

  @Test func reimportingAddsNothingAndUpdatesChangedRows() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = try Fixture.write(to: dir, bad: false)
    let db = dir.appendingPathComponent("h.sqlite").path
    #expect(try CLI.run(["import", file.path, "--db", db]).status == 0)
    let again = try #require(try CLI.run(["import", file.path, "--db", db, "--json"]).json as? [String: Any])
    let totals = try #require(again["totals"] as? [String: Any])
    #expect(totals.int("imported") == 0 && totals.int("unchanged") == 4 && totals.int("updated") == 0)
    // A later export with one changed row updates it.
    var rows = Fixture.goodRows
    rows[3] = rows[3].replacingOccurrences(of: "施工噪音又来了", with: "施工噪音又来了，已经第三次")
    try ([Fixture.header] + rows).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    let third = try #require(try CLI.run(["import", file.path, "--db", db, "--json"]).json as? [String: Any])
    let t3 = try #require(third["totals"] as? [String: Any])
    #expect(t3.int("updated") == 1 && t3.int("unchanged") == 3 && t3.int("imported") == 0)
    let stats = try #require(try CLI.run(["stats", "--db", db, "--json"]).json as? [String: Any])
    let summary = try #require(stats["summary"] as? [String: Any])
    #expect(summary.int("tickets") == 4)
  }

  @Test func notATableFailsWithOneClearMessage() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let bin = dir.appendingPathComponent("picture.csv")
    try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3])
      .write(to: bin)
    let r = try CLI.run(["import", bin.path, "--db", dir.appendingPathComponent("h.sqlite").path])
    #expect(r.status != 0)
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.count == 1)
    #expect(r.stderr.contains("picture.csv"))
    let missing = try CLI.run(["import", dir.appendingPathComponent("nope.csv").path, "--db", dir.appendingPathComponent("h.sqlite").path])
    #expect(missing.status != 0 && missing.stderr.contains("nope.csv"))
  }

  @Test func dryRunShowsMappingAndWritesNothing() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = try Fixture.write(to: dir)
    let db = dir.appendingPathComponent("h.sqlite").path
    let r = try CLI.run(["import", file.path, "--db", db, "--dry-run", "--json", "--rows", "3"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(r.json as? [String: Any])
    let mapping = try #require(json["mapping"] as? [[String: Any]])
    let fields = Dictionary(uniqueKeysWithValues: mapping.compactMap { m -> (String, String)? in
      guard let f = m["field"] as? String, let c = m["column"] as? String else { return nil }
      return (f, c)
    })
    #expect(fields["id"] == "工单编号")
    #expect(fields["received_at"] == "来电时间")
    #expect(fields["text"] == "诉求内容")
    #expect((json["rows"] as? [Any])?.count == 3)
    #expect(!FileManager.default.fileExists(atPath: db))
    #expect(!r.stdout.contains("13812345678"))
    let text = try CLI.run(["import", file.path, "--db", db, "--dry-run"])
    #expect(text.stdout.contains("工单编号") && text.stdout.contains("字段映射"))
  }

  @Test func englishOutputOnRequest() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = try Fixture.write(to: dir, bad: false)
    let db = dir.appendingPathComponent("h.sqlite").path
    let zh = try CLI.run(["import", file.path, "--db", db])
    #expect(zh.stdout.contains("读取 4 行"))
    let stats = try CLI.run(["stats", "--db", db, "--lang", "en"])
    #expect(stats.stdout.contains("Tickets: 4") && stats.stdout.contains("By district"))
    #expect(try CLI.run(["stats", "--db", db, "--top", "0"]).status == 64)
  }
}

struct PrivacyTests {
  /// Planted numbers never appear in the database file, its WAL, the key
  /// file, any JSON or text the tool prints, or the rejects file.
  @Test func plantedNumbersNeverLeak() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = try Fixture.write(to: dir)
    let db = dir.appendingPathComponent("h.sqlite").path
    var outputs: [String] = []
    for args in [
      ["import", file.path, "--db", db, "--json"],
      ["import", file.path, "--db", db],
      ["import", file.path, "--db", db, "--dry-run", "--json"],
      ["import", file.path, "--db", db, "--dry-run"],
      ["stats", "--db", db, "--json"],
      ["stats", "--db", db],
    ] {
      let r = try CLI.run(args)
      #expect(r.status == 0, "\(args): \(r.stderr)")
      outputs.append(r.stdout)
      outputs.append(r.stderr)
    }
    var files: [Data] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name != "export.csv" {
      files.append(try Data(contentsOf: dir.appendingPathComponent(name)))
    }
    #expect(files.count >= 3)  // database, key file, rejects file (WAL may be checkpointed)
    let needles = Fixture.phones + [Fixture.idNumber, Fixture.plate]
    for needle in needles {
      for o in outputs { #expect(!o.contains(needle), "\(needle) printed") }
      for d in files {
        #expect(d.range(of: Data(needle.utf8)) == nil, "\(needle) stored")
      }
    }
    // The masked forms are what a person sees.
    #expect(outputs.joined().contains("138****5678"))
  }

  /// `segment` prints its input's words: the numbers in it are masked even
  /// without --normalize (the bundled sample's texts hold planted ones).
  @Test func segmentMasksNumbersWithoutNormalize() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("input.txt")
    let lines = [
      "请回电\(Fixture.phones[0])，身份证\(Fixture.idNumber)。",
      "车牌\(Fixture.plate)的车辆非法营运，联系电话 +86 159-8765-4321",
    ]
    try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
    for extra in [[], ["--by-clause"], ["--words-only"], ["--no-lexicon"]] {
      let r = try CLI.run(["segment", input.path] + extra)
      #expect(r.status == 0, "\(extra): \(r.stderr)")
      #expect(r.stdout.split(separator: "\n").count == 2)
      let joined = r.stdout.replacingOccurrences(of: " ", with: "")
      for needle in Fixture.phones + [Fixture.idNumber, Fixture.plate] {
        #expect(!joined.contains(needle), "\(extra): \(needle) printed")
      }
      if extra != ["--words-only"] {  // --words-only drops the mask's asterisks
        #expect(joined.contains("138****5678"), "\(extra): \(r.stdout)")
      }
      #expect(joined.contains("车辆非法营运"))
    }
  }
}

/// A user's mistakes get one clear line in the chosen language, never a stack trace.
struct ErrorMessageTests {
  @Test func missingDatabaseIsOneLineInTheChosenLanguage() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = dir.appendingPathComponent("missing.sqlite").path
    let zh = try CLI.run(["stats", "--db", db])
    #expect(zh.status == 1)
    #expect(zh.stderr.split(separator: "\n").count == 1)
    #expect(zh.stderr.contains("找不到数据库 \(db)"), "\(zh.stderr)")
    let en = try CLI.run(["kpi", "--db", db, "--lang", "en"])
    #expect(en.status == 1)
    #expect(en.stderr == "hotline: error: no database at \(db) (import a file first, or pass --db)\n", "\(en.stderr)")
    let json = try CLI.run(["hotspots", "--db", db, "--json", "--lang", "en"])
    #expect(json.status == 1)
    let error = try #require((json.json as? [String: Any])?["error"] as? String)
    #expect(error.hasPrefix("no database at"))
    #expect(!FileManager.default.fileExists(atPath: db))  // a read never creates the file
    let period = try CLI.run(["kpi", "--db", db, "--period", "2025-13"])
    #expect(period.status == 1)
  }

  @Test func segmentScoreSpeaksTheChosenLanguage() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let gold = dir.appendingPathComponent("gold.txt")
    let input = dir.appendingPathComponent("input.txt")
    try "小区  门口  夜间施工  噪音  扰民\n".write(to: gold, atomically: true, encoding: .utf8)
    try "小区门口夜间施工噪音扰民\n".write(to: input, atomically: true, encoding: .utf8)
    let zh = try CLI.run(["segment", "--eval", gold.path, input.path])
    #expect(zh.status == 0, "\(zh.stderr)")
    #expect(zh.stdout.hasPrefix("准确率 P 1.0000  召回率 R 1.0000  F1 1.0000\n"), "\(zh.stdout)")
    let en = try CLI.run(["segment", "--eval", gold.path, input.path, "--lang", "en"])
    #expect(en.stdout.hasPrefix("P 1.0000  R 1.0000  F1 1.0000\n"), "\(en.stdout)")
    let missing = try CLI.run(["segment", "--eval", dir.appendingPathComponent("nope.txt").path, input.path])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("无法读取标准答案文件"), "\(missing.stderr)")
  }
}

struct AtomicImportTests {
  /// An import killed midway leaves whole batches only; running it again
  /// completes it without duplicates.
  @Test func killedImportResumesCleanly() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let city = dir.appendingPathComponent("city")
    let gen = try CLI.run(["generate", "--preset", "small", "--seed", "3", "--out", city.path, "--json"])
    #expect(gen.status == 0, "\(gen.stderr)")
    let csv = city.appendingPathComponent("tickets.csv").path
    let db = dir.appendingPathComponent("h.sqlite").path
    let batch = 500
    let p = try CLI.start(["import", csv, "--db", db, "--batch-size", "\(batch)"])
    // Wait for the first committed batch, then kill without warning.
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline, p.isRunning {
      if let n = try? countTickets(db), n > 0 { break }
      Thread.sleep(forTimeInterval: 0.01)
    }
    if p.isRunning { kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
    let partial = try countTickets(db)
    let again = try #require(try CLI.run(["import", csv, "--db", db, "--json"]).json as? [String: Any])
    let totals = try #require(again["totals"] as? [String: Any])
    let read = try #require(totals.int("read"))
    let rejected = try #require(totals.int("rejected"))
    let total = try countTickets(db)
    #expect(total == read - rejected)
    if partial < total {
      // Only whole batches had landed (the generator's rows are all valid).
      #expect(rejected == 0)
      #expect(partial % batch == 0)
    }
    #expect(totals.int("imported") == total - partial)
    #expect(totals.int("unchanged") == partial)
  }

  func countTickets(_ db: String) throws -> Int {
    let r = try CLI.run(["stats", "--db", db, "--json"])
    guard let s = (r.json as? [String: Any])?["summary"] as? [String: Any], let n = s.int("tickets") else {
      throw CocoaError(.fileReadCorruptFile)
    }
    return n
  }
}

struct DemoAndGenerateTests {
  /// Run from outside the project folder, the demo still finds the bundled
  /// sample (beside the executable, walking up) instead of generating a city.
  @Test func demoFindsTheBundledSampleFromAnyFolder() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try CLI.run(["demo", "--out", "demo"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("使用样例数据") && r.stdout.contains("datasets/sample/tickets.csv"), "\(r.stdout.prefix(300))")
    #expect(!r.stdout.contains("生成合成城市"))
    #expect(r.stdout.contains("读取 2989 行 = 新增 2989"))
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("demo/leadership.html").path))
  }

  @Test func demoGeneratesImportsAndSummarises() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("demo")
    let r = try CLI.run(["demo", "--generate", "--preset", "tiny", "--seed", "5", "--out", out.path], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("工单总量") && r.stdout.contains("按区县") && r.stdout.contains("拒收 0"))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("hotline.sqlite").path))
    // The analysis runs: its digest is printed, its files and the briefings are written.
    #expect(r.stdout.contains("发现（共") && r.stdout.contains("热点") && r.stdout.contains("类案"))
    for f in ["hotspots.json", "recurring.json", "callers.json", "scope.json", "kpi.json", "leadership.html", "monthly.html"] {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "\(f)")
    }
  }

  @Test func generateIsDeterministicAndSnakeCased() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
    let ra = try CLI.run(["generate", "--preset", "tiny", "--seed", "11", "--out", a.path, "--json"])
    _ = try CLI.run(["generate", "--preset", "tiny", "--seed", "11", "--out", b.path, "--json"])
    let summary = try #require(ra.json as? [String: Any])
    #expect(summary["recurring_classes"] != nil && summary["planted_callers"] != nil)
    #expect(summary["recurringClasses"] == nil)
    for f in ["tickets.csv", "truth.json", "city.json"] {
      #expect(try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)))
    }
  }
}

struct RealExportTests {
  @Test func nycExportCreatesANewYorkDatabase() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = dir.appendingPathComponent("nyc.csv")
    try """
      Unique Key,Created Date,Closed Date,Agency,Complaint Type,Descriptor,Borough,Latitude,Longitude
      64446107,03/24/2025 11:33:07 PM,03/25/2025 12:45:11 AM,NYPD,Noise - Residential,Banging/Pounding,BROOKLYN,40.625990681603746,-73.94188882855283
      """.write(to: csv, atomically: true, encoding: .utf8)
    let db = dir.appendingPathComponent("nyc.sqlite").path
    let r = try CLI.run(["import", csv.path, "--db", db, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let f = try #require((r.json as? [String: Any]).flatMap { ($0["files"] as? [[String: Any]])?.first })
    #expect(f["format"] as? String == "nyc311")
    let s = try #require((try CLI.run(["stats", "--db", db, "--json"]).json as? [String: Any])?["summary"] as? [String: Any])
    #expect(s["time_zone"] as? String == "America/New_York")
    #expect(s["first_received"] as? String == "2025-03-24T23:33:07-04:00")
  }

  /// The real samples beside the project import with no mapping file and no rejection.
  @Test func sharedSamplesImportCleanly() throws {
    guard let data = sharedData else {
      print("skipped: ../shared/data is absent")
      return
    }
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = [
      "us311/nyc_311_2011_tuplex_micro.csv", "us311/nyc_311_2016_sample.csv",
      "us311/nyc_311_2024_sample.csv", "us311/nyc_311_2025_sample.csv",
      "taidi2020-dev/attachment2_full_rows_subset_1842.clean.csv",
    ]
    let expected = [2000, 117, 1000, 235, 1842]
    for (file, n) in zip(files, expected) {
      let db = dir.appendingPathComponent(UUID().uuidString + ".sqlite").path
      let r = try CLI.run(["import", data.appendingPathComponent(file).path, "--db", db, "--json"])
      #expect(r.status == 0, "\(file): \(r.stderr)")
      let totals = try #require((r.json as? [String: Any])?["totals"] as? [String: Any])
      #expect(totals.int("imported") == n, "\(file)")
      #expect(totals.int("rejected") == 0, "\(file)")
    }
  }
}

struct EncodingEndToEndTests {
  /// The same city written in GB18030 and in UTF-8 imports to the same tickets.
  @Test func gb18030ExportImportsLikeUTF8() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    for enc in ["utf8", "gb18030"] {
      let r = try CLI.run([
        "generate", "--preset", "tiny", "--seed", "9", "--encoding", enc, "--out",
        dir.appendingPathComponent(enc).path,
      ])
      #expect(r.status == 0, "\(r.stderr)")
    }
    var digests: [String: Any] = [:]
    for enc in ["utf8", "gb18030"] {
      let db = dir.appendingPathComponent("\(enc).sqlite").path
      let csv = dir.appendingPathComponent(enc).appendingPathComponent("tickets.csv").path
      let r = try CLI.run(["import", csv, "--db", db, "--json"])
      let f = try #require((r.json as? [String: Any]).flatMap { ($0["files"] as? [[String: Any]])?.first })
      #expect(f.int("rejected") == 0)
      #expect(f["encoding"] as? String == (enc == "utf8" ? "UTF-8" : "GB18030"))
      let s = try #require((try CLI.run(["stats", "--db", db, "--json"]).json as? [String: Any])?["summary"] as? [String: Any])
      digests[enc] = [s["tickets"], s["by_district"], s["by_category"], s["by_month"]] as [Any?]
    }
    #expect(
      (try JSONSerialization.data(withJSONObject: digests["utf8"]!, options: [.sortedKeys]))
        == (try JSONSerialization.data(withJSONObject: digests["gb18030"]!, options: [.sortedKeys])))
  }
}

struct TopicsCommandTests {
  /// A generated tiny city (seed 4) imported into DIR/h.sqlite; returns the database path.
  static func tinyCity(in dir: URL) throws -> String {
    let city = dir.appendingPathComponent("city")
    #expect(try CLI.run(["generate", "--preset", "tiny", "--seed", "4", "--out", city.path]).status == 0)
    let db = dir.appendingPathComponent("h.sqlite").path
    #expect(try CLI.run(["import", city.appendingPathComponent("tickets.csv").path, "--db", db]).status == 0)
    return db
  }

  @Test func topicsPartitionTicketsDeterministicallyAndAreStored() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = try Self.tinyCity(in: dir)
    let first = try CLI.run(["topics", "--db", db, "--seed", "7", "--max-topics", "30", "--json"])
    #expect(first.status == 0, "\(first.stderr)")
    let json = try #require(first.json as? [String: Any])
    let topics = try #require(json["topics"] as? [[String: Any]])
    #expect(topics.count >= 5 && topics.count <= 30)
    var seen = Set<String>()
    var total = 0
    for t in topics {
      let ids = try #require(t["ticket_ids"] as? [String])
      #expect(t.int("size") == ids.count)
      #expect(!((t["label"] as? String) ?? "").isEmpty)
      #expect(((t["terms"] as? [[String: Any]]) ?? []).count > 0)
      #expect(((t["representative_ticket_ids"] as? [String]) ?? []).allSatisfy { ids.contains($0) })
      seen.formUnion(ids)
      total += ids.count
    }
    let outliers = try #require((json["outliers"] as? [String: Any])?["ticket_ids"] as? [String])
    seen.formUnion(outliers)
    total += outliers.count
    // Every ticket is in exactly one topic or among the outliers (under 10 %).
    #expect(total == json.int("tickets") && seen.count == total)
    #expect(Double(outliers.count) < 0.1 * Double(total))
    // The generator's categories are in the export, so a crosswalk exists.
    #expect(json["crosswalk"] != nil)
    // Same seed, same topics.
    let again = try CLI.run(["topics", "--db", db, "--seed", "7", "--max-topics", "30", "--json"])
    let againTopics = try #require((again.json as? [String: Any])?["topics"] as? [[String: Any]])
    #expect(topics.map { $0["ticket_ids"] as? [String] ?? [] } == againTopics.map { $0["ticket_ids"] as? [String] ?? [] })
    // A readable table without --json.
    let table = try CLI.run(["topics", "--db", db, "--seed", "7", "--max-topics", "30"])
    #expect(table.stdout.contains("主题") && table.stdout.contains("关键词"))
  }

  /// `hotline help topics` states the default bound the command then uses.
  @Test func defaultMaxTopicsIsTheOneTheHelpStates() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let db = try Self.tinyCity(in: dir)
    let help = try CLI.run(["help", "topics"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    let stated = try #require(help.firstMatch(of: /default: tickets \/ (\d+), (\d+) to (\d+)\)/), "\(help)")
    let (per, low, high) = (Int(stated.1)!, Int(stated.2)!, Int(stated.3)!)
    let run = try CLI.run(["topics", "--db", db, "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try #require(run.json as? [String: Any])
    let tickets = try #require(json.int("tickets"))
    #expect(tickets > 11 * 100)  // enough tickets that the divisor decides the bound
    #expect((json["config"] as? [String: Any])?.int("max_topics") == min(high, max(low, tickets / per)))
  }
}

/// Rejected rows, warnings and file errors of `hotline import` speak the
/// chosen language (Chinese by default); JSON keeps the English `reason` and
/// adds the stable `code` and the localised `message`.
struct ImportLanguageTests {
  @Test func rejectionsAreChineseByDefaultAndEnglishOnRequest() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = try Fixture.write(to: dir)
    let zh = try CLI.run(["import", file.path, "--db", dir.appendingPathComponent("zh.sqlite").path])
    #expect(zh.status == 0, "\(zh.stderr)")
    #expect(zh.stderr.contains("\(file.path):7 [来电时间]: 无法识别的受理时间 '2025-13-45 25:00:00'\n"), "\(zh.stderr)")
    #expect(zh.stderr.contains("\(file.path):8 [工单编号]: 缺少工单编号\n"), "\(zh.stderr)")
    #expect(!zh.stderr.contains("missing ticket id") && !zh.stderr.contains("unreadable date"))
    let en = try CLI.run(["import", file.path, "--db", dir.appendingPathComponent("en.sqlite").path, "--lang", "en"])
    #expect(en.status == 0, "\(en.stderr)")
    #expect(en.stderr.contains("\(file.path):7 [来电时间]: unreadable date '2025-13-45 25:00:00' in received_at\n"), "\(en.stderr)")
    #expect(en.stderr.contains("\(file.path):8 [工单编号]: missing ticket id\n"), "\(en.stderr)")
  }

  @Test func jsonKeepsReasonAndAddsCodeAndMessage() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = try Fixture.write(to: dir)
    for (lang, dateMessage, idMessage) in [
      ("zh", "无法识别的受理时间 '2025-13-45 25:00:00'", "缺少工单编号"),
      ("en", "unreadable date '2025-13-45 25:00:00' in received_at", "missing ticket id"),
    ] {
      let db = dir.appendingPathComponent("\(lang).sqlite").path
      let r = try CLI.run(["import", file.path, "--db", db, "--json", "--lang", lang])
      #expect(r.status == 0, "\(r.stderr)")
      let json = try #require(r.json as? [String: Any])
      let f = try #require((json["files"] as? [[String: Any]])?.first)
      let errors = try #require(f["errors"] as? [[String: Any]])
      #expect(errors.count == 2)
      #expect(errors[0]["reason"] as? String == "unreadable date '2025-13-45 25:00:00' in received_at")
      #expect(errors[0]["code"] as? String == "unreadable_date")
      #expect(errors[0]["message"] as? String == dateMessage)
      #expect(errors[1]["reason"] as? String == "missing ticket id")
      #expect(errors[1]["code"] as? String == "missing_id")
      #expect(errors[1]["message"] as? String == idMessage)
    }
  }

  @Test func rejectsFileReasonFollowsTheLanguage() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = try Fixture.write(to: dir)
    for (lang, reason) in [("zh", "缺少工单编号"), ("en", "missing ticket id")] {
      let out = dir.appendingPathComponent("rejects-\(lang)")
      try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
      let args = ["import", file.path, "--db", dir.appendingPathComponent("\(lang).sqlite").path, "--rejects-dir", out.path]
      let r = try CLI.run(args + (lang == "en" ? ["--lang", "en"] : []))
      #expect(r.status == 0, "\(r.stderr)")
      let rejects = try String(contentsOf: out.appendingPathComponent("export.csv.rejects.csv"), encoding: .utf8)
      let lines = rejects.split(separator: "\n").map(String.init)
      #expect(lines.first == "file,line,column,reason,record")
      #expect(lines.contains { $0.hasPrefix("\(file.path),8,工单编号,\(reason),") }, "\(rejects)")
    }
  }

  @Test func warningsAreSummarisedInTheChosenLanguage() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("w.csv")
    try "工单编号,来电时间,诉求内容,办结时间\nW1,2025-03-01 08:00,噪音,昨天\nW2,2025-03-01 09:00,噪音,前天\n"
      .write(to: file, atomically: true, encoding: .utf8)
    let zh = try CLI.run(["import", file.path, "--db", dir.appendingPathComponent("zh.sqlite").path])
    #expect(zh.status == 0, "\(zh.stderr)")
    #expect(zh.stdout.contains("办结时间: 无法识别的日期（已舍弃该值） × 2"), "\(zh.stdout)")
    let en = try CLI.run(["import", file.path, "--db", dir.appendingPathComponent("en.sqlite").path, "--lang", "en", "--json"])
    let f = try #require(((en.json as? [String: Any])?["files"] as? [[String: Any]])?.first)
    let warnings = try #require(f["warnings"] as? [[String: Any]])
    #expect(warnings.count == 1)
    #expect(warnings.first?["column"] as? String == "办结时间")
    #expect(warnings.first?["code"] as? String == "unreadable_date")
    #expect(warnings.first?["message"] as? String == "unreadable date (value dropped)")
    #expect(warnings.first?.int("count") == 2)
  }

  @Test func aFileWithoutIdColumnFailsInChineseByDefault() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("noid.csv")
    try "名称,备注\na,b\n".write(to: file, atomically: true, encoding: .utf8)
    let db = dir.appendingPathComponent("h.sqlite").path
    let zh = try CLI.run(["import", file.path, "--db", db])
    #expect(zh.status != 0)
    #expect(zh.stderr.split(separator: "\n").count == 1)
    #expect(zh.stderr.hasPrefix("hotline：错误：\(file.path): 没有工单编号列"), "\(zh.stderr)")
    let en = try CLI.run(["import", file.path, "--db", db, "--lang", "en"])
    #expect(en.stderr.hasPrefix("hotline: error: \(file.path): no ticket-id column (looked for"), "\(en.stderr)")
    let json = try CLI.run(["import", file.path, "--db", db, "--json"])
    let body = try #require(json.json as? [String: Any])
    #expect(body["code"] as? String == "no_id_column")
    #expect((body["error"] as? String)?.contains("没有工单编号列") == true)
  }
}
