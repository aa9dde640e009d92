import Foundation
import HotlineCore
import HotlineImport
import Testing

/// Rejections, warnings and file errors carry a stable code and read in
/// Chinese or English; the English text is the historical one, word for word.
struct ImportMessageTests {
  /// True when the text holds at least one CJK ideograph.
  func hasChinese(_ s: String) -> Bool {
    s.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }
  }

  @Test func englishRejectionTextsAreTheHistoricalOnes() {
    let cases: [(RejectionReason, String, String)] = [
      (.missingId, "missing_id", "missing ticket id"),
      (.missingReceivedTime, "missing_received_time", "missing received time"),
      (.unreadableDate(value: "2024-13-45", field: .receivedAt), "unreadable_date", "unreadable date '2024-13-45' in received_at"),
      (.fieldCount(expected: 3, found: 2), "field_count", "expected 3 fields, found 2"),
      (.cellCount(expected: 4, found: 6), "cell_count", "expected 4 cells, found 6"),
      (.quotedFieldTooLong(maxLines: 200), "quoted_field_too_long", "quoted field runs past 200 lines (unterminated quote?)"),
      (.unterminatedQuote, "unterminated_quote", "unterminated quote (runs to end of file)"),
      (.textAfterQuote, "text_after_quote", "unexpected text after a closing quote"),
      (.strayQuote(lines: 3, fields: 5, expected: 4), "stray_quote", "record spans 3 lines but has 5 fields, expected 4 (stray quote?)"),
      (.invalidJSON(.expectedKey, byte: 9), "invalid_json", "invalid JSON: expected a key at byte 9"),
    ]
    for (reason, code, en) in cases {
      #expect(reason.code == code)
      #expect(reason.text(.en) == en)
      let zh = reason.text(.zh)
      #expect(zh != en && hasChinese(zh), "\(code): \(zh)")
    }
    #expect(Set(cases.map(\.1)).count == cases.count)
  }

  @Test func warningAndFailureCodesAreUniqueAndTranslated() {
    let warnings = WarningReason.allCases
    #expect(Set(warnings.map(\.code)).count == warnings.count)
    #expect(WarningReason.unreadableDate.text(.en) == "unreadable date (value dropped)")
    #expect(WarningReason.notANumber.text(.en) == "not a number (value dropped)")
    #expect(WarningReason.unknownCRS.text(.en) == "unknown coordinate system (default used)")
    #expect(WarningReason.invalidCoordinate.text(.en) == "invalid coordinate (value dropped)")
    for w in warnings { #expect(hasChinese(w.text(.zh)) && w.text(.zh) != w.text(.en)) }

    let failures: [ImportFailure] = [
      .fileNotFound, .isDirectory, .permissionDenied, .cannotOpen("No such file"), .cannotRead, .emptyFile,
      .noZipSignature, .zipNotTable, .binary, .emptySheet("S"), .noHeader, .notJSONRecords, .noJSONRecords,
      .badFirstRecord(line: 1, .invalidJSON(.missingValue, byte: 3)), .jsonNotRecords, .jsonTruncated,
      .jsonElementNotObject(line: 2), .invalidJSON(line: 2, .unterminatedString), .xlsxNotZip, .xlsxNoWorkbook,
      .xlsxNoSheets, .noSuchSheet("x", sheets: ["a"]), .sheetMissing("a", path: "xl/a.xml"),
      .mappedColumnMissing(field: .id, column: "c", columns: ["a"]), .noIdColumn(columns: ["a"]),
      .noReceivedColumn(columns: ["a"]), .cannotReadMapping, .mapping(.unknownKey("k")),
      .mapping(.unknownFormat("zip")), .mapping(.unknownEncoding("latin1")), .mapping(.notAMapping),
    ]
    #expect(Set(failures.map(\.code)).count == failures.count)
    for f in failures {
      #expect(f.code.allSatisfy { $0.isLowercase || $0 == "_" }, "\(f.code)")
      #expect(hasChinese(f.text(.zh)) && f.text(.zh) != f.text(.en), "\(f.code)")
    }
    #expect(ImportFailure.mapping(.unknownEncoding("latin1")).text(.en)
      == "mapping file: unknown encoding 'latin1' (auto, utf-8, gb18030)")
  }

  @Test func rowRejectionsReadInEitherLanguage() throws {
    let csv = "工单编号,来电时间,诉求内容,办结时间\nA1,2024-13-45 99:00,噪音,\n,2024-01-01,缺编号,\nA3,2024-01-02,ok,昨天\nA4,2024-01-02\n"
    let path = TestFiles.write(csv)
    let (reader, tickets, rejects, _) = try TestFiles.read(path)
    #expect(tickets.map(\.id) == ["A3"])
    #expect(rejects.map(\.problem.code) == ["unreadable_date", "missing_id", "field_count"])
    #expect(rejects[0].problem == .unreadableDate(value: "2024-13-45 99:00", field: .receivedAt))
    #expect(rejects[0].text(.zh) == "\(path):2 [来电时间]: 无法识别的受理时间 '2024-13-45 99:00'")
    #expect(rejects[0].text(.en) == "\(path):2 [来电时间]: unreadable date '2024-13-45 99:00' in received_at")
    #expect(rejects[0].description == rejects[0].text(.en))
    #expect(rejects[1].text(.zh) == "\(path):3 [工单编号]: 缺少工单编号")
    #expect(rejects[1].reason == "missing ticket id")
    #expect(rejects[2].text(.zh) == "\(path):5: 应有 4 个字段，实有 2 个")
    #expect(reader.stats.warnings == ["办结时间: unreadable date (value dropped)": 1])
    #expect(reader.stats.warnings(.zh) == ["办结时间: 无法识别的日期（已舍弃该值）": 1])
    #expect(reader.stats.warningCounts == [ImportWarning(column: "办结时间", reason: .unreadableDate): 1])
  }

  @Test func scannerAndJSONRejectionsCarryCodes() throws {
    let csv = "工单编号,来电时间,诉求内容\nB1,2024-01-01,\"a\"b\nB2,2024-01-01,ok\n"
    let (_, tickets, rejects, _) = try TestFiles.read(TestFiles.write(csv))
    #expect(tickets.map(\.id) == ["B2"])
    #expect(rejects.map(\.problem) == [.textAfterQuote])
    #expect(rejects[0].column == "诉求内容")
    let jsonl = "{\"id\":\"1\",\"created_at\":\"2025-01-01\"}\n{\"id\":2,,}\n"
    let (_, _, jrejects, _) = try TestFiles.read(TestFiles.write(jsonl, name: "t.jsonl"))
    #expect(jrejects.map(\.problem) == [.invalidJSON(.expectedKey, byte: 9)])
    #expect(jrejects[0].reason == "invalid JSON: expected a key at byte 9")
    #expect(jrejects[0].problem.text(.zh) == "JSON 格式错误：应为键名（第 9 字节）")
  }

  @Test func fileErrorsCarryCodesAndChineseText() throws {
    let noId = TestFiles.write("名称,备注\na,b\n", name: "noid.csv")
    let e = try #require(#expect(throws: ImportError.self) { try TestFiles.read(noId) })
    #expect(e.failure == .noIdColumn(columns: ["名称", "备注"]))
    #expect(e.failure.code == "no_id_column")
    #expect(e.message.hasPrefix("no ticket-id column (looked for"))
    #expect(e.text(.zh).hasPrefix("\(noId): 没有工单编号列"))
    #expect(e.text(.zh).contains("名称, 备注"))
    #expect(e.description == "\(noId): \(e.message)")
    let mapping = #expect(throws: ImportError.self) { try MappingFile.parse(yaml: "encoding: latin1", file: "m.yaml") }
    #expect(mapping?.failure.code == "mapping_unknown_encoding")
    #expect(mapping?.text(.zh) == "m.yaml: 映射文件：未知编码 'latin1'（可选：auto, utf-8, gb18030）")
    let missing = #expect(throws: ImportError.self) { try TestFiles.read("/nonexistent/file.csv") }
    #expect(missing?.failure == .fileNotFound)
    #expect(missing?.text(.zh) == "/nonexistent/file.csv: 文件不存在")
  }
}
