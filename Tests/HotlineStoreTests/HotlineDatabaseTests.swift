import Foundation
import HotlineCore
import HotlineStore
import Testing

func sampleTicket(_ id: String, at t: Int64 = 1_551_324_305, text: String = "小区门口夜间施工噪音扰民")
  -> Ticket
{
  Ticket(
    id: id, receivedAt: t, closedAt: t + 86_400, callerKey: "k1", callerMask: "138****5678",
    channel: "电话", kind: .complaint, category: ["生态环境", "施工噪声"], title: "施工扰民",
    text: text, district: "青溪区", street: "望江街道", community: "桂园社区",
    location: Coordinate(lon: 118.9, lat: 32.0), sourceCRS: .gcj02, departments: ["区城管局", "区住建局"],
    transferCount: 2, status: "已办结", resolution: .partial, satisfaction: "基本满意",
    parentId: nil, raw: ["工单编号": id, "诉求内容": text])
}

func temporaryDirectory() throws -> URL {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
    "hotline-test-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir
}

struct HotlineDatabaseTests {
  @Test func emptyDatabaseSummarisesToZero() throws {
    let db = try HotlineDatabase.inMemory()
    let s = try db.summary()
    #expect(s.tickets == 0)
    #expect(s.byMonth.isEmpty)
    #expect(s.timeZone == "Asia/Shanghai")
  }

  @Test func ticketsRoundTripThroughTheStore() throws {
    let db = try HotlineDatabase.inMemory()
    var t = sampleTicket("250101000770102")
    t.raw["备注"] = "含\"引号\"\n和换行\t与控制符\u{01}及反斜杠\\"
    t.departments = ["区城管局", "带\"引号\"的单位"]
    try db.upsert([SourcedTicket(ticket: t, file: "a.csv", line: 2)])
    let back = try #require(try db.ticket(id: "250101000770102"))
    #expect(back == t)
  }

  @Test func reimportIsIdempotentAndLaterExportWins() throws {
    let db = try HotlineDatabase.inMemory()
    let batch = (0..<100).map {
      SourcedTicket(ticket: sampleTicket("T\($0)", at: 1_551_324_305 + Int64($0)), file: "a", line: $0 + 2)
    }
    #expect(try db.upsert(batch) == UpsertCounts(imported: 100))
    #expect(try db.upsert(batch) == UpsertCounts(unchanged: 100))
    var changed = batch
    changed[5].ticket.status = "已回访"
    changed[7].ticket.raw["备注"] = "补充"
    #expect(try db.upsert(changed) == UpsertCounts(updated: 2, unchanged: 98))
    #expect(try db.ticketCount() == 100)
    #expect(try db.ticket(id: "T5")?.status == "已回访")
  }

  @Test func duplicatesInsideOneBatchCountOnce() throws {
    let db = try HotlineDatabase.inMemory()
    let a = SourcedTicket(ticket: sampleTicket("X"), file: "a", line: 2)
    var b = a
    b.ticket.text = "改过的内容"
    #expect(try db.upsert([a, a, b]) == UpsertCounts(imported: 1, updated: 1, unchanged: 1))
    #expect(try db.ticket(id: "X")?.text == "改过的内容")
  }

  @Test func summaryCountsByLocalMonth() throws {
    let db = try HotlineDatabase.inMemory()
    let clock = ZoneClock.shanghai
    // 2019-01-31 23:30 local is still January in Shanghai (15:30 UTC).
    let jan = clock.epoch(CivilDateTime(year: 2019, month: 1, day: 31, hour: 23, minute: 30))
    let feb = clock.epoch(CivilDateTime(year: 2019, month: 2, day: 1, hour: 0, minute: 30))
    try db.upsert([
      SourcedTicket(ticket: sampleTicket("a", at: jan), file: "f", line: 2),
      SourcedTicket(ticket: sampleTicket("b", at: feb), file: "f", line: 3),
      SourcedTicket(ticket: sampleTicket("c", at: feb + 10), file: "f", line: 4),
    ])
    let s = try db.summary()
    #expect(s.byMonth == [LabelCount(key: "2019-01", count: 1), LabelCount(key: "2019-02", count: 2)])
    #expect(s.byDistrict == [LabelCount(key: "青溪区", count: 3)])
    #expect(s.byKind == [LabelCount(key: "投诉", count: 3)])
    #expect(s.callers == 1)
    #expect(s.firstReceived == "2019-01-31T23:30:00+08:00")
  }

  @Test func summaryCountsSpellingsOfADistrictAsOne() throws {
    let db = try HotlineDatabase.inMemory()
    var rows: [SourcedTicket] = []
    for (i, d) in ["青溪区", "青溪区", "青溪", "  青溪区 ", "白沙县", "白沙县", "白沙县", "", "白沙"].enumerated() {
      var t = sampleTicket("t\(i)")
      t.district = d
      rows.append(SourcedTicket(ticket: t, file: "f", line: i + 2))
    }
    try db.upsert(rows)
    #expect(
      try db.summary().byDistrict == [
        LabelCount(key: "白沙县", count: 4), LabelCount(key: "青溪区", count: 4), LabelCount(key: "(空)", count: 1),
      ])
  }

  @Test func callerSecretLivesInAPrivateKeyFile() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("h.sqlite").path
    let db = try HotlineDatabase.open(path: path)
    let s1 = try db.callerSecret()
    #expect(s1.count == 32)
    let attrs = try FileManager.default.attributesOfItem(atPath: path + ".key")
    #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    // Reopening reads the same secret.
    #expect(try HotlineDatabase.open(path: path).callerSecret() == s1)
    // The secret is not inside the database file.
    try db.upsert([SourcedTicket(ticket: sampleTicket("a"), file: "f", line: 2)])
    let hex = s1.map { String(format: "%02x", $0) }.joined()
    #expect(!(try db.allStoredText()).contains(hex))
    // Once keys exist, a lost key file is an error, not a silent new secret.
    try FileManager.default.removeItem(atPath: path + ".key")
    #expect(throws: StoreError.missingKeyFile(path + ".key")) {
      try HotlineDatabase.open(path: path).callerSecret()
    }
  }

  @Test func timeZoneIsRecordedAtCreation() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("ny.sqlite").path
    _ = try HotlineDatabase.open(path: path, timeZone: "America/New_York")
    #expect(try HotlineDatabase.open(path: path, timeZone: "UTC").timeZoneIdentifier == "America/New_York")
    #expect(throws: StoreError.self) { try HotlineDatabase.inMemory(timeZone: "Mars/Olympus") }
  }

  @Test func importRunsAreRecorded() throws {
    let db = try HotlineDatabase.inMemory()
    let run = try db.beginImportRun(file: "a.csv", fileSize: 10, format: "csv", encoding: "utf-8")
    try db.finishImportRun(run, read: 5, counts: UpsertCounts(imported: 3, updated: 1), rejected: 1)
    let runs = try db.importRuns()
    #expect(runs.count == 1)
    #expect(runs[0].read == 5 && runs[0].imported == 3 && runs[0].rejected == 1 && runs[0].status == "done")
  }
}

struct TopicStoreTests {
  @Test func topicRunsAreStoredAndTheLatestAssignmentsWin() throws {
    let db = try HotlineDatabase.inMemory()
    #expect(try db.latestTopicRun() == nil)
    let topics = [
      StoredTopic(id: 0, label: "噪音·扰民", size: 2, terms: [TermWeight(term: "噪音", weight: 0.4)], detail: "{}"),
      StoredTopic(id: 1, label: "停水", size: 1, terms: [], detail: "{}"),
    ]
    let run1 = try db.saveTopicRun(
      method: "gsdmm", seed: 1, config: "{}", topics: topics,
      assignments: [("a", 0), ("b", 0), ("c", 1), ("d", -1)])
    #expect(try db.ticketTopics() == ["a": 0, "b": 0, "c": 1, "d": -1])
    let info = try #require(try db.latestTopicRun())
    #expect(info.id == run1 && info.topics == 2 && info.outliers == 1 && info.tickets == 4)
    #expect(try db.topics(run: run1) == topics)
    let run2 = try db.saveTopicRun(
      method: "gsdmm", seed: 2, config: "{}", topics: [topics[1]], assignments: [("a", 1)])
    #expect(run2 > run1)
    #expect(try db.ticketTopics() == ["a": 1])
    #expect(try db.topics(run: run1).count == 2)
  }
}
