import Foundation
import HotlineCore
import HotlineImport
import Testing
import ZIPFoundation

struct FormatTests {
  static let nycTitle =
    "Unique Key,Created Date,Closed Date,Agency,Agency Name,Complaint Type,Descriptor,Incident Zip,Incident Address,Status,Due Date,Resolution Description,Community Board,Borough,Open Data Channel Type,Latitude,Longitude,Location\n"
    + "19937901,03/01/2011 10:41:13 AM,03/15/2011 04:14:19 PM,DOT,Department of Transportation,Street Sign - Dangling,Street Cleaning - ASP,11232,186 25 STREET,Closed,03/15/2011 05:32:23 PM,Done.,07 BROOKLYN,BROOKLYN,PHONE,40.660811976282695,-73.99859430999363,\"(40.660811976282695, -73.99859430999363)\"\n"

  static let nycSnake =
    "\"unique_key\",\"created_date\",\"closed_date\",\"agency\",\"complaint_type\",\"descriptor\",\"incident_zip\",\"status\",\"borough\",\"latitude\",\"longitude\",\"location\"\n"
    + "\"60879417\",\"2024-04-16T03:03:15.000\",,\"DOT\",\"Street Condition\",\"Pothole\",\"11413\",\"Open\",\"QUEENS\",,,\"\n,  \n(40.67679280229251, -73.7379342313789)\"\n"

  @Test func nycTitleCase() throws {
    let (r, tickets, rejects, _) = try TestFiles.read(TestFiles.write(Self.nycTitle))
    #expect(r.format == .nyc311)
    #expect(rejects.isEmpty)
    let t = try #require(tickets.first)
    #expect(t.id == "19937901")
    // 10:41:13 EST = 15:41:13 UTC
    #expect(t.receivedAt == 1_298_994_073)
    #expect(t.category == ["Street Sign - Dangling", "Street Cleaning - ASP"])
    #expect(t.text == "Street Sign - Dangling: Street Cleaning - ASP")
    #expect(t.departments == ["DOT"])
    #expect(t.district == "BROOKLYN" && t.street == "07 BROOKLYN" && t.community == "11232")
    #expect(t.channel == "PHONE" && t.status == "Closed")
    #expect(t.sourceCRS == .wgs84)
    #expect(abs(t.location!.lat - 40.6608119) < 1e-6)
    #expect(t.deadlineAt != nil && t.closedAt != nil)
    #expect(t.raw["Resolution Description"] == "Done.")
  }

  @Test func nycSnakeCaseUsesLocationText() throws {
    let (r, tickets, rejects, lines) = try TestFiles.read(TestFiles.write(Self.nycSnake))
    #expect(r.format == .nyc311)
    #expect(rejects.isEmpty)
    let t = try #require(tickets.first)
    #expect(lines == [2])
    // 2024-04-16 03:03:15 EDT = 07:03:15 UTC
    #expect(t.receivedAt == 1_713_250_995)
    #expect(abs(t.location!.lon + 73.7379342313789) < 1e-9)
    #expect(t.closedAt == nil)
  }

  @Test func nycSharedSamples() throws {
    for name in [
      "nyc_311_2011_tuplex_micro.csv", "nyc_311_2016_sample.csv", "nyc_311_2024_sample.csv",
      "nyc_311_2025_sample.csv",
    ] {
      guard let path = TestFiles.shared("us311/\(name)") else {
        print("SKIP nycSharedSamples: \(name) not found under <package>/../shared/data/us311")
        continue
      }
      let (r, tickets, rejects, _) = try TestFiles.read(path)
      print("us311/\(name): \(tickets.count) tickets, \(rejects.count) rejected, warnings \(r.stats.warnings)")
      #expect(r.format == .nyc311)
      #expect(tickets.count > 100)
      #expect(rejects.count * 100 <= tickets.count)
      #expect(tickets.allSatisfy { $0.receivedAt > 1_262_304_000 })
    }
  }

  @Test func taidiSharedSamples() throws {
    for name in [
      "attachment2_full_rows_subset_1842.clean.csv", "sample_data/sample_attachment2_495.csv",
      "sample_data/sample_attachment3_30.csv", "sample_data/sample_attachment4_120.csv",
    ] {
      guard let path = TestFiles.shared("taidi2020-dev/\(name)") else {
        print("SKIP taidiSharedSamples: \(name) not found under <package>/../shared/data/taidi2020-dev")
        continue
      }
      let (r, tickets, rejects, _) = try TestFiles.read(path)
      print("taidi2020-dev/\(name): \(tickets.count) tickets, \(rejects.count) rejected, warnings \(r.stats.warnings)")
      #expect(rejects.isEmpty)
      #expect(tickets.count >= 30)
      #expect(tickets.allSatisfy { $0.callerKey != nil && !$0.text.isEmpty && $0.title != nil })
      if name.hasPrefix("attachment2") {
        #expect(tickets.count == 1842)
        #expect(tickets.allSatisfy { $0.category.count == 1 })
      }
    }
    if let label = TestFiles.shared("taidi2020-dev/attachment1_label_system.csv") {
      #expect(throws: ImportError.self) { try TestFiles.read(label) }
    }
  }

  @Test func open311Document() throws {
    let json = """
      {"service_requests": [
        {"service_request_id": "638344", "status": "closed", "service_name": "Sidewalk and Curb Issues",
         "service_code": "006", "description": "Call 555-123-4567 or 13812345678", "agency_responsible": "DPW",
         "requested_datetime": "2010-04-14T06:37:38-08:00", "updated_datetime": "2010-04-16T06:37:38-08:00",
         "expected_datetime": null, "address": "8TH AVE and JUDAH ST", "zipcode": 94122,
         "lat": 37.762221815, "long": -122.4651145, "media_url": "http://x/y.jpg"},
        {"service_request_id": "638349", "status": "open", "service_name": "Pothole",
         "requested_datetime": "2010-04-19T06:37:38-08:00", "updated_datetime": "2010-04-19T07:00:00-08:00",
         "lat": 37.76, "long": -122.46}
      ]}
      """
    let (r, tickets, rejects, lines) = try TestFiles.read(TestFiles.write(json, name: "requests.json"))
    #expect(r.format == .open311)
    #expect(rejects.isEmpty)
    #expect(tickets.count == 2)
    #expect(lines == [2, 7])
    let t = tickets[0]
    #expect(t.id == "638344")
    #expect(t.receivedAt == 1_271_255_858)
    #expect(t.closedAt == 1_271_428_658)
    #expect(t.category == ["Sidewalk and Curb Issues"])
    #expect(t.text == "Call 555-123-4567 or 138****5678")
    #expect(t.departments == ["DPW"])
    #expect(t.community == "94122")
    #expect(t.sourceCRS == .wgs84 && t.location?.lon == -122.4651145)
    #expect(tickets[1].closedAt == nil)
    #expect(tickets[1].text == "Pothole")
    // A bare array works too.
    let arr = "[{\"service_request_id\": \"1\", \"requested_datetime\": \"2012-01-01T00:00:00Z\"}]"
    let (_, t2, _, _) = try TestFiles.read(TestFiles.write(arr, name: "a.json"))
    #expect(t2.first?.receivedAt == 1_325_376_000)
  }

  @Test func jsonLines() throws {
    let jsonl = """
      {"工单编号": "J1", "来电时间": "2019年2月28日 11时25分", "诉求内容": "路灯不亮\\n第二行", "转办次数": 3}
      {"工单编号": "J2", "来电时间": "2019年2月28日 11:25", "来电号码": "13812345678", "extra": true}

      {"工单编号": "J3", broken
      {"工单编号": "J4", "来电时间": "1551324305"}
      """
    let (r, tickets, rejects, lines) = try TestFiles.read(TestFiles.write(jsonl, name: "x.jsonl"))
    #expect(r.format == .jsonl)
    #expect(tickets.map(\.id) == ["J1", "J2", "J4"])
    #expect(lines == [1, 2, 5])
    #expect(tickets[0].receivedAt == tickets[1].receivedAt)
    #expect(tickets[0].text == "路灯不亮\n第二行")
    #expect(tickets[0].transferCount == 3)
    #expect(tickets[1].callerMask == "138****5678")
    #expect(tickets[1].raw["extra"] == "true")
    #expect(tickets[2].receivedAt == 1_551_324_305)
    #expect(rejects.count == 1 && rejects[0].line == 4)
  }

  @Test func mappingFileOverridesSynonyms() throws {
    let yaml = """
      timezone: UTC
      crs: WGS-84
      text_separator: " | "
      fields:
        id: 受理号
        received_at: 登记日期
        text: [描述, 补充]
        category: [大类, 小类]
        title: 内容
      ignore: [区]
      """
    let dir = TestFiles.tempDir()
    let mpath = dir.appendingPathComponent("map.yaml").path
    #expect(FileManager.default.createFile(atPath: mpath, contents: Data(yaml.utf8)))
    let mapping = try MappingFile.load(path: mpath)
    let csv = "受理号,工单编号,登记日期,描述,补充,大类,小类,内容,区,经度,纬度\nM1,IGNORED,2020-01-01 00:00:00,甲,乙,城建,道路,标题文字,东区,116.4,39.9\n"
    let (r, tickets, _, _) = try TestFiles.read(TestFiles.write(csv)) { $0.mapping = mapping }
    let t = try #require(tickets.first)
    #expect(t.id == "M1")
    #expect(t.receivedAt == 1_577_836_800)
    #expect(t.text == "甲 | 乙")
    #expect(t.category == ["城建", "道路"])
    #expect(t.title == "标题文字")
    #expect(t.district == nil)
    #expect(t.sourceCRS == .wgs84)
    #expect(r.resolvedMapping.contains { $0.field == "text" && $0.column == "描述 + 补充" })
    #expect(r.resolvedMapping.contains { $0.field == "(unmapped)" && $0.column == "区" })
    // Errors name the problem.
    #expect(throws: ImportError.self) { try MappingFile.parse(yaml: "fields: {nope: x}") }
    #expect(throws: ImportError.self) {
      try TestFiles.read(TestFiles.write(csv)) { $0.mapping = try! MappingFile.parse(yaml: "fields: {id: 不存在}") }
    }
  }

  // MARK: - XLSX

  static func makeXLSX(rows: [[String]], path: String, sheetName: String = "工单") throws {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    func add(_ name: String, _ text: String) throws {
      let data = Data(text.utf8)
      try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
        position, size in data.subdata(in: Int(position)..<Int(position) + size)
      }
    }
    var shared: [String] = []
    var sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    func esc(_ s: String) -> String {
      s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
    for (ri, row) in rows.enumerated() {
      sheet += "<row r=\"\(ri + 1)\">"
      for (ci, v) in row.enumerated() where !v.isEmpty {
        let ref = String(UnicodeScalar(UInt8(65 + ci))) + "\(ri + 1)"
        if v.hasPrefix("=n:") {
          sheet += "<c r=\"\(ref)\" s=\"1\"><v>\(v.dropFirst(3))</v></c>"
        } else if v.hasPrefix("=b:") {
          sheet += "<c r=\"\(ref)\" t=\"b\"><v>\(v.dropFirst(3))</v></c>"
        } else if v.hasPrefix("=i:") {
          sheet += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(esc(String(v.dropFirst(3))))</t></is></c>"
        } else {
          shared.append(v)
          sheet += "<c r=\"\(ref)\" t=\"s\"><v>\(shared.count - 1)</v></c>"
        }
      }
      sheet += "</row>"
    }
    sheet += "</sheetData></worksheet>"
    let sst =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"\(shared.count)\">"
      + shared.map { "<si><t xml:space=\"preserve\">\(esc($0))</t></si>" }.joined() + "</sst>"
    try add("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")
    try add(
      "xl/workbook.xml",
      "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"说明\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"\(sheetName)\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>"
    )
    try add(
      "xl/_rels/workbook.xml.rels",
      "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"x\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"x\" Target=\"worksheets/sheet2.xml\"/></Relationships>"
    )
    try add(
      "xl/worksheets/sheet1.xml",
      "<?xml version=\"1.0\"?><worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>说明</t></is></c></row></sheetData></worksheet>"
    )
    try add("xl/worksheets/sheet2.xml", sheet)
    try add("xl/sharedStrings.xml", sst)
  }

  @Test func xlsxRoundTrip() throws {
    let path = TestFiles.tempDir().appendingPathComponent("export.xlsx").path
    try Self.makeXLSX(
      rows: [
        ["工单编号", "来电时间", "来电号码", "诉求内容", "转办次数", "是否解决", "办结时间"],
        ["X1", "=n:43524.4757", "=n:13812345678", "井盖 <破损> & 缺失", "=n:2", "=b:1", "2019-03-01 10:00:00"],
        [],
        ["X2", "2019/2/28 11:25:00", "", "=i:内联文本", "", "", ""],
      ], path: path)
    let (r, tickets, rejects, lines) = try TestFiles.read(path) { $0.sheet = "工单" }
    #expect(r.format == .xlsx)
    #expect(r.sheet == "工单")
    #expect(rejects.isEmpty)
    #expect(tickets.map(\.id) == ["X1", "X2"])
    #expect(lines == [2, 4])
    #expect(tickets[0].text == "井盖 <破损> & 缺失")
    #expect(tickets[0].callerMask == "138****5678")
    #expect(tickets[0].transferCount == 2)
    #expect(tickets[1].text == "内联文本")
    #expect(abs(tickets[0].receivedAt - tickets[1].receivedAt) <= 1)
    #expect(tickets[0].raw["来电号码"] == "138****5678")
    // The first sheet has no ticket columns; a missing sheet name is an error.
    #expect(throws: ImportError.self) { try TestFiles.read(path) }
    #expect(throws: ImportError.self) { try TestFiles.read(path) { $0.sheet = "无此表" } }
  }
}
