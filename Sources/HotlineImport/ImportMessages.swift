public import HotlineCore

// Every rejection, warning and file-level error of the importer has a stable
// machine code (`code`, snake_case) with its arguments, and a text in Chinese
// or English (`text(_:)`). The English texts are the historical messages:
// `RowRejection.reason`, `ImportStats.warnings` keys and `ImportError.message`
// keep them word for word. The table is in README.md ("Rejections and warnings").

/// What is wrong with a JSON text (inside an `invalid_json` rejection or error).
public enum JSONProblem: Sendable, Hashable, Codable {
  case expectedObject
  case expectedKey
  case expectedColon
  case expectedCommaOrBrace
  case unterminatedObject
  case unterminatedContainer
  case unterminatedString
  case missingValue
  case badLiteral(String)
  case badUnicodeEscape
  case textAfterObject
  case other(String)

  public func text(_ lang: Language) -> String {
    switch self {
    case .expectedObject: lang.pick("应为 '{'", "expected '{'")
    case .expectedKey: lang.pick("应为键名", "expected a key")
    case .expectedColon: lang.pick("应为 ':'", "expected ':'")
    case .expectedCommaOrBrace: lang.pick("应为 ',' 或 '}'", "expected ',' or '}'")
    case .unterminatedObject: lang.pick("对象未结束", "unterminated object")
    case .unterminatedContainer: lang.pick("数组或对象未结束", "unterminated array or object")
    case .unterminatedString: lang.pick("字符串未结束", "unterminated string")
    case .missingValue: lang.pick("缺少值", "missing value")
    case .badLiteral(let t): lang.pick("无法识别的值 '\(t)'", "bad literal '\(t)'")
    case .badUnicodeEscape: lang.pick("错误的 \\u 转义", "bad \\u escape")
    case .textAfterObject: lang.pick("对象后还有多余内容", "text after the object")
    case .other(let s): s
    }
  }
}

/// Why a row was rejected.
public enum RejectionReason: Sendable, Hashable, Codable {
  /// The id column is empty.
  case missingId
  /// The received-time column is empty.
  case missingReceivedTime
  /// The received time cannot be read (`value` is masked).
  case unreadableDate(value: String, field: CanonicalField)
  /// A single-line CSV record with the wrong number of fields.
  case fieldCount(expected: Int, found: Int)
  /// An XLSX row with non-empty cells beyond the header width.
  case cellCount(expected: Int, found: Int)
  /// A quoted field runs past `maxLines` physical lines.
  case quotedFieldTooLong(maxLines: Int)
  /// A quoted field runs to the end of the file.
  case unterminatedQuote
  /// Text after a closing quote (`"a"b`).
  case textAfterQuote
  /// A multi-line record with the wrong number of fields.
  case strayQuote(lines: Int, fields: Int, expected: Int)
  /// A JSON Lines line that is not a JSON object.
  case invalidJSON(JSONProblem, byte: Int)

  /// The stable code (snake_case), as in `hotline import --json`.
  public var code: String {
    switch self {
    case .missingId: "missing_id"
    case .missingReceivedTime: "missing_received_time"
    case .unreadableDate: "unreadable_date"
    case .fieldCount: "field_count"
    case .cellCount: "cell_count"
    case .quotedFieldTooLong: "quoted_field_too_long"
    case .unterminatedQuote: "unterminated_quote"
    case .textAfterQuote: "text_after_quote"
    case .strayQuote: "stray_quote"
    case .invalidJSON: "invalid_json"
    }
  }

  public func text(_ lang: Language) -> String {
    switch self {
    case .missingId: return lang.pick("缺少工单编号", "missing ticket id")
    case .missingReceivedTime: return lang.pick("缺少受理时间", "missing received time")
    case .unreadableDate(let v, let f):
      return lang.pick("无法识别的\(f.chineseName) '\(v)'", "unreadable date '\(v)' in \(f.rawValue)")
    case .fieldCount(let e, let n): return lang.pick("应有 \(e) 个字段，实有 \(n) 个", "expected \(e) fields, found \(n)")
    case .cellCount(let e, let n): return lang.pick("应有 \(e) 个单元格，实有 \(n) 个", "expected \(e) cells, found \(n)")
    case .quotedFieldTooLong(let m):
      return lang.pick("引号内的字段超过 \(m) 行（引号未闭合？）", "quoted field runs past \(m) lines (unterminated quote?)")
    case .unterminatedQuote: return lang.pick("引号未闭合（直到文件末尾）", "unterminated quote (runs to end of file)")
    case .textAfterQuote: return lang.pick("右引号后有多余文字", "unexpected text after a closing quote")
    case .strayQuote(let l, let f, let e):
      return lang.pick(
        "记录跨 \(l) 行，有 \(f) 个字段，应有 \(e) 个（多余的引号？）",
        "record spans \(l) lines but has \(f) fields, expected \(e) (stray quote?)")
    case .invalidJSON(let p, let b):
      return lang.pick("JSON 格式错误：\(p.text(.zh))（第 \(b) 字节）", "invalid JSON: \(p.text(.en)) at byte \(b)")
    }
  }
}

/// Why a value of an optional field was dropped (the row is kept).
public enum WarningReason: String, Sendable, Hashable, Codable, CaseIterable {
  /// An unreadable dispatched/deadline/closed time.
  case unreadableDate = "unreadable_date"
  /// A non-numeric transfer count.
  case notANumber = "not_a_number"
  /// An unknown coordinate system (the default is used).
  case unknownCRS = "unknown_crs"
  /// Coordinates that cannot be read or lie outside the globe.
  case invalidCoordinate = "invalid_coordinate"

  /// The stable code (snake_case).
  public var code: String { rawValue }

  public func text(_ lang: Language) -> String {
    switch self {
    case .unreadableDate: lang.pick("无法识别的日期（已舍弃该值）", "unreadable date (value dropped)")
    case .notANumber: lang.pick("不是数字（已舍弃该值）", "not a number (value dropped)")
    case .unknownCRS: lang.pick("未知坐标系（改用默认坐标系）", "unknown coordinate system (default used)")
    case .invalidCoordinate: lang.pick("坐标无效（已舍弃该值）", "invalid coordinate (value dropped)")
    }
  }
}

/// One kind of dropped value: the source column and why.
public struct ImportWarning: Sendable, Hashable, Codable {
  /// The source column (the export's own header).
  public var column: String
  public var reason: WarningReason

  public init(column: String, reason: WarningReason) {
    self.column = column
    self.reason = reason
  }

  /// `"<column>: <reason>"`.
  public func text(_ lang: Language) -> String { "\(column): \(reason.text(lang))" }
}

/// What is wrong with a mapping file.
public enum MappingProblem: Sendable, Hashable {
  case invalidYAML(String)
  case notAMapping
  case notText(key: String)
  case unknownFormat(String)
  case unknownEncoding(String)
  case unknownTimeZone(String)
  case unknownCRS(String)
  case synonymsNotBool
  case fieldsNotMapping
  case unknownField(String)
  case unknownKey(String)

  public var code: String {
    switch self {
    case .invalidYAML: "invalid_yaml"
    case .notAMapping: "not_a_mapping"
    case .notText: "not_text"
    case .unknownFormat: "unknown_format"
    case .unknownEncoding: "unknown_encoding"
    case .unknownTimeZone: "unknown_time_zone"
    case .unknownCRS: "unknown_crs"
    case .synonymsNotBool: "synonyms_not_bool"
    case .fieldsNotMapping: "fields_not_mapping"
    case .unknownField: "unknown_field"
    case .unknownKey: "unknown_key"
    }
  }

  static let keys = "format, encoding, sheet, timezone, crs, text_separator, synonyms, fields, ignore"

  public func text(_ lang: Language) -> String {
    switch self {
    case .invalidYAML(let d): return lang.pick("不是有效的 YAML（\(d)）", "not valid YAML (\(d))")
    case .notAMapping: return lang.pick("顶层应为键值映射", "expected a mapping of keys at the top level")
    case .notText(let k): return lang.pick("'\(k)' 应为文本", "'\(k)' must be text")
    case .unknownFormat(let v):
      let all = ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")
      return lang.pick("未知格式 '\(v)'（可选：\(all)）", "unknown format '\(v)' (one of \(all))")
    case .unknownEncoding(let s):
      return lang.pick("未知编码 '\(s)'（可选：auto, utf-8, gb18030）", "unknown encoding '\(s)' (auto, utf-8, gb18030)")
    case .unknownTimeZone(let z): return lang.pick("未知时区 '\(z)'", "unknown time zone '\(z)'")
    case .unknownCRS(let s): return lang.pick("未知坐标系 '\(s)'", "unknown coordinate system '\(s)'")
    case .synonymsNotBool: return lang.pick("'synonyms' 应为 true 或 false", "'synonyms' must be true or false")
    case .fieldsNotMapping: return lang.pick("'fields' 应把字段名映射到列名", "'fields' must map field names to columns")
    case .unknownField(let f):
      let all = CanonicalField.allCases.map(\.rawValue).joined(separator: ", ")
      return lang.pick("未知字段 '\(f)'（可用字段：\(all)）", "unknown field '\(f)' (fields: \(all))")
    case .unknownKey(let k):
      return lang.pick("未知键 '\(k)'（可用键：\(MappingProblem.keys)）", "unknown key '\(k)' (\(MappingProblem.keys))")
    }
  }
}

/// Why a file cannot be imported at all.
public enum ImportFailure: Sendable, Hashable {
  case fileNotFound
  case isDirectory
  case permissionDenied
  /// `open(2)` failed (the system's reason).
  case cannotOpen(String)
  case cannotRead
  /// The charset converter could not be set up (its message).
  case charset(String)
  case emptyFile
  case noZipSignature
  case zipNotTable
  case binary
  case emptySheet(String)
  case noHeader
  case notJSONRecords
  case noJSONRecords
  /// The first JSON Lines record is unusable, so the columns are unknown.
  case badFirstRecord(line: Int, RejectionReason)
  case jsonNotRecords
  case jsonTruncated
  case jsonElementNotObject(line: Int)
  case invalidJSON(line: Int, JSONProblem)
  case xlsxNotZip
  case xlsxNoWorkbook
  case xlsxNoSheets
  case noSuchSheet(String, sheets: [String])
  case sheetMissing(String, path: String)
  case mappedColumnMissing(field: CanonicalField, column: String, columns: [String])
  case noIdColumn(columns: [String])
  case noReceivedColumn(columns: [String])
  case cannotReadMapping
  case mapping(MappingProblem)

  /// The stable code (snake_case).
  public var code: String {
    switch self {
    case .fileNotFound: "file_not_found"
    case .isDirectory: "is_directory"
    case .permissionDenied: "permission_denied"
    case .cannotOpen: "cannot_open"
    case .cannotRead: "cannot_read"
    case .charset: "charset"
    case .emptyFile: "empty_file"
    case .noZipSignature: "no_zip_signature"
    case .zipNotTable: "zip_not_table"
    case .binary: "binary_file"
    case .emptySheet: "empty_sheet"
    case .noHeader: "no_header"
    case .notJSONRecords: "not_json_records"
    case .noJSONRecords: "no_json_records"
    case .badFirstRecord: "bad_first_record"
    case .jsonNotRecords: "json_not_records"
    case .jsonTruncated: "json_truncated"
    case .jsonElementNotObject: "json_element_not_object"
    case .invalidJSON: "invalid_json"
    case .xlsxNotZip: "xlsx_not_zip"
    case .xlsxNoWorkbook: "xlsx_no_workbook"
    case .xlsxNoSheets: "xlsx_no_sheets"
    case .noSuchSheet: "no_such_sheet"
    case .sheetMissing: "sheet_missing"
    case .mappedColumnMissing: "mapped_column_missing"
    case .noIdColumn: "no_id_column"
    case .noReceivedColumn: "no_received_column"
    case .cannotReadMapping: "cannot_read_mapping"
    case .mapping(let m): "mapping_" + m.code
    }
  }

  public func text(_ lang: Language) -> String {
    func list(_ a: [String]) -> String { a.joined(separator: ", ") }
    switch self {
    case .fileNotFound: return lang.pick("文件不存在", "file not found")
    case .isDirectory: return lang.pick("是目录，不是文件", "is a directory, not a file")
    case .permissionDenied: return lang.pick("无法读取文件（没有权限？）", "cannot read file (permission denied?)")
    case .cannotOpen(let d): return lang.pick("无法打开文件（\(d)）", "cannot open file (\(d))")
    case .cannotRead: return lang.pick("无法读取文件", "cannot read file")
    case .charset(let d): return lang.pick("无法按该编码读取（\(d)）", d)
    case .emptyFile: return lang.pick("空文件：不是表格", "empty file: not a table")
    case .noZipSignature: return lang.pick("不是有效的 XLSX 文件（没有 zip 文件头）", "not a valid XLSX file (no zip signature)")
    case .zipNotTable:
      return lang.pick(
        "不是表格：像是 zip/XLSX 文件，请用 --format xlsx", "not a table: looks like a zip/XLSX file; use --format xlsx")
    case .binary:
      return lang.pick(
        "不是表格：二进制文件（含 NUL 字节；不支持 UTF-16）", "not a table: binary file (NUL bytes; UTF-16 is not supported)")
    case .emptySheet(let s): return lang.pick("XLSX 工作表 '\(s)' 是空的：不是表格", "XLSX sheet '\(s)' is empty: not a table")
    case .noHeader: return lang.pick("没有表头行：不是表格", "no header row: not a table")
    case .notJSONRecords:
      return lang.pick("不是 JSON 记录（开头应为 '[' 或 '{'）", "not JSON records (expected '[' or '{' at the start)")
    case .noJSONRecords: return lang.pick("JSON 中没有记录：不是表格", "JSON holds no records: not a table")
    case .badFirstRecord(let l, let r): return lang.pick("第 \(l) 行：\(r.text(.zh))", "line \(l): \(r.text(.en))")
    case .jsonNotRecords:
      return lang.pick(
        "JSON 不是记录（应为对象数组或 {\"service_requests\": [...]}）",
        "JSON is not records (expected an array of objects or {\"service_requests\": [...]})")
    case .jsonTruncated: return lang.pick("JSON 在记录数组中途结束", "JSON ends inside the array of records")
    case .jsonElementNotObject(let l):
      return lang.pick("第 \(l) 行：JSON 数组元素不是对象：不是记录", "line \(l): JSON array element is not an object: not records")
    case .invalidJSON(let l, let p):
      return lang.pick("第 \(l) 行：JSON 格式错误：\(p.text(.zh))", "line \(l): invalid JSON: \(p.text(.en))")
    case .xlsxNotZip:
      return lang.pick(
        "不是有效的 XLSX 文件（无法作为 zip 压缩包打开）", "not a valid XLSX file (cannot open it as a zip archive)")
    case .xlsxNoWorkbook:
      return lang.pick("不是 XLSX 工作簿（缺少 xl/workbook.xml）", "not an XLSX workbook (xl/workbook.xml missing)")
    case .xlsxNoSheets: return lang.pick("XLSX 工作簿中没有工作表", "XLSX workbook has no sheets")
    case .noSuchSheet(let w, let all):
      return lang.pick("没有名为 '\(w)' 的工作表（现有：\(list(all))）", "no sheet named '\(w)' (sheets: \(list(all)))")
    case .sheetMissing(let s, let p):
      return lang.pick("XLSX 工作表 '\(s)' 缺失（\(p)）", "XLSX sheet '\(s)' is missing (\(p))")
    case .mappedColumnMissing(let f, let c, let all):
      return lang.pick(
        "映射文件把 \(f.rawValue) 映射到列 '\(c)'，但文件中没有这一列（现有列：\(list(all))）",
        "mapping file maps \(f.rawValue) to column '\(c)', which the file does not have (columns: \(list(all)))")
    case .noIdColumn(let all):
      return lang.pick(
        "没有工单编号列（查找过 工单编号/单号/受理编号/留言编号/ticket_id/id …；现有列：\(list(all))）；请用映射文件指定（fields: {id: <列名>}）",
        "no ticket-id column (looked for 工单编号/单号/受理编号/留言编号/ticket_id/id …; columns: \(list(all))); map one with a mapping file (fields: {id: <column>})"
      )
    case .noReceivedColumn(let all):
      return lang.pick(
        "没有受理时间列（查找过 来电时间/受理时间/登记时间/留言时间/created_at …；现有列：\(list(all))）；请用映射文件指定（fields: {received_at: <列名>}）",
        "no received-time column (looked for 来电时间/受理时间/登记时间/留言时间/created_at …; columns: \(list(all))); map one with a mapping file (fields: {received_at: <column>})"
      )
    case .cannotReadMapping: return lang.pick("无法读取映射文件", "cannot read mapping file")
    case .mapping(let m): return lang.pick("映射文件：\(m.text(.zh))", "mapping file: \(m.text(.en))")
    }
  }
}

extension CanonicalField {
  /// The usual Chinese name of a time field (for messages).
  var chineseName: String {
    switch self {
    case .receivedAt: "受理时间"
    case .dispatchedAt: "派单时间"
    case .deadlineAt: "办理时限"
    case .closedAt: "办结时间"
    default: rawValue
    }
  }
}
