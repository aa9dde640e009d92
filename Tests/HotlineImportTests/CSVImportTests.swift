import Foundation
import HotlineCore
import HotlineImport
import Testing

struct CSVImportTests {
  @Test func generatorHeaderMapsEveryField() throws {
    let csv = TestFiles.generatorHeader + "\n" + TestFiles.generatorRow(id: "GD0001") + "\n"
    let (reader, tickets, rejects, _) = try TestFiles.read(TestFiles.write(csv))
    #expect(rejects.isEmpty)
    #expect(reader.format == .csv)
    #expect(reader.encoding == "UTF-8")
    let mapped = Dictionary(reader.resolvedMapping.map { ($0.field, $0.column) }, uniquingKeysWith: { a, _ in a })
    #expect(mapped["id"] == "工单编号")
    #expect(mapped["received_at"] == "来电时间")
    #expect(mapped["caller_phone"] == "来电号码")
    #expect(mapped["parent_id"] == "关联工单")
    #expect(mapped["(unmapped)"] == nil)
    let t = try #require(tickets.first)
    #expect(t.id == "GD0001")
    // 2024-03-01 08:15:00 +08:00
    #expect(t.receivedAt == 1_709_252_100)
    #expect(t.dispatchedAt == 1_709_254_800)
    #expect(t.closedAt != nil && t.deadlineAt != nil)
    #expect(t.callerKey == TestFiles.keyer.key("13812345678"))
    #expect(t.callerKey?.count == 32)
    #expect(t.callerMask == "138****5678")
    #expect(t.channel == "电话")
    #expect(t.kind == .complaint)
    #expect(t.category == ["生态环境", "噪声"])
    #expect(t.title == "夜间施工噪音")
    #expect(t.text == "小区门口夜间施工噪音扰民，请尽快处理")
    #expect(t.district == "朝阳区" && t.street == "望京街道" && t.community == "花家地社区")
    #expect(t.departments == ["区住建委", "区城管委"])
    #expect(t.transferCount == 2)
    #expect(t.status == "已办结")
    #expect(t.resolution == .resolved)
    #expect(t.satisfaction == "满意")
    #expect(t.parentId == nil)
    #expect(t.sourceCRS == .gcj02)
    let loc = try #require(t.location)
    // GCJ-02 → WGS-84 moves a Beijing point by a few hundred metres.
    let d = loc.distance(to: Coordinate(lon: 116.47, lat: 39.996))
    #expect(d > 100 && d < 1000)
    #expect(t.raw["来电号码"] == "138****5678")
    #expect(t.raw["工单编号"] == "GD0001")
  }

  @Test func multiLineFieldsCRLFAndBOMKeepLineNumbers() throws {
    let h = "\u{FEFF}工单编号,来电时间,诉求内容\r\n"
    let body =
      "A1,2019/2/28 11:25:05,\"第一行\r\n第二行，含\"\"引号\"\"\r\n第三行\"\r\n"
      + "A2,2019/2/28 11:25,普通\r\n" + "\r\n" + "A3,2019-02-28T11:25:05+08:00,\"a,b\"\r\n"
    let (_, tickets, rejects, lines) = try TestFiles.read(TestFiles.write(h + body))
    #expect(rejects.isEmpty)
    #expect(tickets.map(\.id) == ["A1", "A2", "A3"])
    #expect(lines == [2, 5, 7])
    #expect(tickets[0].text == "第一行\r\n第二行，含\"引号\"\r\n第三行")
    #expect(tickets[2].text == "a,b")
    #expect(tickets[0].receivedAt == tickets[2].receivedAt)
    #expect(tickets[1].receivedAt == tickets[0].receivedAt - 5)
  }

  @Test func lfWithoutTrailingNewlineAndTSV() throws {
    let csv = "id\tcreated_at\tdescription\nX1\t2020-01-01\thello\nX2\t2020-01-02\tworld"
    let (_, tickets, rejects, lines) = try TestFiles.read(TestFiles.write(csv, name: "t.tsv"))
    #expect(rejects.isEmpty)
    #expect(tickets.map(\.text) == ["hello", "world"])
    #expect(lines == [2, 3])
  }

  @Test func brokenQuotingDoesNotSwallowTheFile() throws {
    var csv = "工单编号,来电时间,诉求内容\n"
    csv += "B1,2020-01-01 10:00:00,正常\n"
    csv += "B2,2020-01-01 10:00:00,\"没有结束的引号\n"
    for i in 3...10 { csv += "B\(i),2020-01-01 10:00:00,正常\(i)\n" }
    let (_, tickets, rejects, _) = try TestFiles.read(TestFiles.write(csv)) { $0.maxLinesPerField = 5 }
    #expect(tickets.map(\.id) == ["B1"] + (3...10).map { "B\($0)" })
    #expect(rejects.count == 1)
    #expect(rejects[0].line == 3)
    #expect(rejects[0].column == "诉求内容")
    #expect(rejects[0].reason.contains("quot"))
  }

  @Test func strayQuoteClosingLaterIsRecovered() throws {
    var csv = "工单编号,来电时间,诉求内容\n"
    csv += "C1,2020-01-01 10:00:00,\"开始\n"
    csv += "C2,2020-01-01 10:00:00,\"有引号\"\n"
    csv += "C3,2020-01-01 10:00:00,好\n"
    let (_, tickets, rejects, _) = try TestFiles.read(TestFiles.write(csv))
    #expect(tickets.map(\.id).contains("C3"))
    #expect(rejects.first?.line == 2)
    #expect(!tickets.map(\.id).contains("C1"))
  }

  @Test func wrongColumnCountIsRejectedWithLine() throws {
    let csv = "工单编号,来电时间,诉求内容\nD1,2020-01-01,ok\nD2,2020-01-01\nD3,2020-01-01,ok,extra\nD4,2020-01-01,ok,,\n"
    let (_, tickets, rejects, _) = try TestFiles.read(TestFiles.write(csv))
    #expect(tickets.map(\.id) == ["D1", "D4"])
    #expect(rejects.map(\.line) == [3, 4])
    #expect(rejects[0].reason.contains("expected 3 fields, found 2"))
  }

  @Test func badDatesRejectOnlyReceivedTime() throws {
    let csv = TestFiles.generatorHeader + "\n"
      + TestFiles.generatorRow(id: "E1", time: "2024-13-45 99:00") + "\n"
      + TestFiles.generatorRow(id: "E2").replacingOccurrences(of: "2024-03-05 17:30:00", with: "昨天") + "\n"
      + TestFiles.generatorRow(id: "", time: "2024-01-01") + "\n"
    let (reader, tickets, rejects, _) = try TestFiles.read(TestFiles.write(csv))
    #expect(tickets.map(\.id) == ["E2"])
    #expect(tickets[0].closedAt == nil)
    #expect(reader.stats.warnings["办结时间: unreadable date (value dropped)"] == 1)
    #expect(rejects.count == 2)
    #expect(rejects[0].line == 2 && rejects[0].column == "来电时间")
    #expect(rejects[0].reason.contains("2024-13-45"))
    #expect(rejects[1].line == 4 && rejects[1].column == "工单编号")
    #expect(reader.stats.tickets == 1 && reader.stats.rejected == 2 && reader.stats.records == 3)
  }

  @Test func excelSerialInTimeColumn() throws {
    let csv = "工单编号,来电时间,办结时间\nS1,43524.4757,43525\n"
    let (_, tickets, _, _) = try TestFiles.read(TestFiles.write(csv))
    let t = try #require(tickets.first)
    // 43524 = 2019-02-28; .4757 of a day = 11:25:00.5 → 11:25:00 or 11:25:01
    let c = ZoneClock.shanghai.civil(t.receivedAt)
    #expect(c.year == 2019 && c.month == 2 && c.day == 28 && c.hour == 11 && c.minute == 25)
    #expect(ZoneClock.shanghai.civil(t.closedAt!).day == 1)
  }

  @Test func gb18030IsDetected() throws {
    let csv = TestFiles.generatorHeader + "\n" + TestFiles.generatorRow(id: "G1", text: "供暖不热，𠀀字€符") + "\n"
    let gb = String.Encoding(rawValue: 0x8000_0632)
    let data = try #require(csv.data(using: gb))
    #expect(data.count < csv.utf8.count)
    let path = TestFiles.write([UInt8](data), name: "gb.csv")
    let (reader, tickets, rejects, _) = try TestFiles.read(path)
    #expect(reader.encoding == "GB18030")
    #expect(rejects.isEmpty)
    #expect(tickets.first?.text == "供暖不热，𠀀字€符")
    #expect(tickets.first?.district == "朝阳区")
    // Forcing UTF-8 on GB bytes cannot find the header.
    #expect(throws: ImportError.self) { try TestFiles.read(path) { $0.encoding = .utf8 } }
  }

  @Test func coordinateSystemsAreConverted() throws {
    let csv = TestFiles.generatorHeader + "\n"
      + TestFiles.generatorRow(id: "W", crs: "WGS-84") + "\n"
      + TestFiles.generatorRow(id: "B", crs: "BD-09") + "\n"
    let (_, tickets, _, _) = try TestFiles.read(TestFiles.write(csv))
    #expect(tickets[0].sourceCRS == .wgs84)
    #expect(tickets[0].location == Coordinate(lon: 116.47, lat: 39.996))
    #expect(tickets[1].sourceCRS == .bd09)
    #expect(tickets[1].location!.distance(to: Coordinate(lon: 116.47, lat: 39.996)) > 500)
    // Without a 坐标系 column: GCJ-02 inside China.
    let (_, t2, _, _) = try TestFiles.read(TestFiles.write("单号,受理时间,经度,纬度\n1,2020-01-01,116.47,39.996\n"))
    #expect(t2[0].sourceCRS == .gcj02)
  }

  @Test func contactPhoneAndAccountIds() throws {
    let csv = "留言编号,留言用户,留言时间,留言详情,联系电话\n7,U0008488,2019/11/10 18:59:24,请联系我 13912345678,139-1234-5678\n"
    let (_, tickets, _, _) = try TestFiles.read(TestFiles.write(csv))
    let t = try #require(tickets.first)
    #expect(t.callerKey == TestFiles.keyer.key("u0008488"))
    #expect(t.contactKey == TestFiles.keyer.key("13912345678"))
    #expect(t.text == "请联系我 139****5678")
    // Alone, 联系电话 is the caller.
    let (_, t2, _, _) = try TestFiles.read(TestFiles.write("工单号,创建时间,联系电话\n1,2020-01-01,13912345678\n"))
    #expect(t2[0].callerKey == TestFiles.keyer.key("13912345678"))
  }

  @Test func plantedPhoneNeverLeaks() throws {
    let phone = "13987654321"
    let csv = TestFiles.generatorHeader + "\n"
      + TestFiles.generatorRow(id: "P1", phone: phone, text: "回电\(phone)或+86 139 8765 4321") + "\n"
      + TestFiles.generatorRow(id: "P2", time: "bad", phone: phone, text: "号码\(phone)") + "\n"
      + "P3,2020-01-01,\(phone),短行\n"
    let (_, tickets, rejects, _) = try TestFiles.read(TestFiles.write(csv))
    #expect(tickets.count == 1 && rejects.count == 2)
    let dump = try String(decoding: JSONEncoder().encode(tickets), as: UTF8.self)
      + String(decoding: JSONEncoder().encode(rejects), as: UTF8.self)
    #expect(!dump.contains(phone))
    #expect(!dump.contains("8765 4321"))
    #expect(dump.contains("139****4321"))
  }

  @Test func notATableErrors() throws {
    let empty = TestFiles.write("", name: "empty.csv")
    #expect(throws: ImportError.self) { try TestFiles.read(empty) }
    let binary = TestFiles.write([0x00, 0x01, 0x02, 0xFF, 0x00, 0x10], name: "x.bin")
    let e = #expect(throws: ImportError.self) { try TestFiles.read(binary) }
    #expect(e?.description.contains("x.bin") == true)
    let noId = TestFiles.write("名称,备注\na,b\n")
    let e2 = #expect(throws: ImportError.self) { try TestFiles.read(noId) }
    #expect(e2?.message.contains("no ticket-id column") == true)
    let noTime = TestFiles.write("工单编号,备注\na,b\n")
    let e3 = #expect(throws: ImportError.self) { try TestFiles.read(noTime) }
    #expect(e3?.message.contains("received-time") == true)
    let json = TestFiles.write("{\"a\": 1,\n \"b\": 2}", name: "x.json")
    let e4 = #expect(throws: ImportError.self) { try TestFiles.read(json) }
    #expect(e4?.message.contains("not records") == true)
    let numbers = TestFiles.write("[1, 2, 3]", name: "n.json")
    #expect(throws: ImportError.self) { try TestFiles.read(numbers) }
    let fakeXlsx = TestFiles.write("hello", name: "x.xlsx")
    #expect(throws: ImportError.self) { try TestFiles.read(fakeXlsx) }
    #expect(throws: ImportError.self) { try TestFiles.read("/nonexistent/file.csv") }
  }

  @Test func headerMatchingIsTolerant() throws {
    let csv = "\u{FEFF} 工单编号 ,ＣＲＥＡＴＥＤ＿ＡＴ,STATUS,详细 地址\nZ1,2021-05-06 07:08:09,open,某路1号\n"
    let (r, tickets, _, _) = try TestFiles.read(TestFiles.write(csv))
    #expect(tickets.first?.status == "open")
    #expect(tickets.first?.address == "某路1号")
    #expect(r.resolvedMapping.contains { $0.field == "received_at" && $0.column == "ＣＲＥＡＴＥＤ＿ＡＴ" })
  }
}
