import Foundation
public import HotlineCore
import Yams

/// A YAML column mapping. Every key is optional; see README.md for the schema:
///
/// ```yaml
/// format: csv              # auto | csv | jsonl | xlsx | open311 | nyc311
/// encoding: gb18030        # auto | utf-8 | gb18030
/// sheet: 工单明细           # XLSX sheet name
/// timezone: Asia/Shanghai  # zone of naive times
/// crs: GCJ-02              # coordinate system when there is no 坐标系 column
/// text_separator: "\n"     # joins several text columns
/// synonyms: true           # false = use only the fields listed here
/// fields:                  # canonical field → column name or list of names
///   id: 受理单号
///   received_at: 受理日期
///   text: [诉求描述, 补充说明]
///   category: [大类, 中类, 小类]
/// ignore: [备注]            # columns never matched by synonyms
/// ```
public struct MappingFile: Sendable {
  public var format: ImportFormat?
  public var encoding: EncodingChoice?
  public var sheet: String?
  public var timezone: String?
  public var crs: CoordinateSystem?
  public var textSeparator: String?
  /// Whether built-in synonyms fill the fields not listed in `fields`.
  public var useSynonyms: Bool
  public var fields: [CanonicalField: [String]]
  public var ignore: [String]

  public init(
    fields: [CanonicalField: [String]] = [:], ignore: [String] = [], useSynonyms: Bool = true,
    format: ImportFormat? = nil, encoding: EncodingChoice? = nil, sheet: String? = nil,
    timezone: String? = nil, crs: CoordinateSystem? = nil, textSeparator: String? = nil
  ) {
    self.fields = fields
    self.ignore = ignore
    self.useSynonyms = useSynonyms
    self.format = format
    self.encoding = encoding
    self.sheet = sheet
    self.timezone = timezone
    self.crs = crs
    self.textSeparator = textSeparator
  }

  /// Reads a mapping file; errors name the file and the bad key.
  public static func load(path: String) throws -> MappingFile {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ImportError(file: path, .cannotReadMapping)
    }
    return try parse(yaml: String(decoding: data, as: UTF8.self), file: path)
  }

  /// Parses mapping YAML text.
  public static func parse(yaml: String, file: String = "<mapping>") throws -> MappingFile {
    func bad(_ m: MappingProblem) -> ImportError { ImportError(file: file, .mapping(m)) }
    let doc: Any?
    do { doc = try Yams.load(yaml: yaml) } catch { throw bad(.invalidYAML("\(error)")) }
    guard let top = doc as? [String: Any] else { throw bad(.notAMapping) }
    var m = MappingFile()
    func string(_ v: Any, _ key: String) throws -> String {
      if let s = v as? String { return s }
      if let i = v as? Int { return String(i) }
      throw bad(.notText(key: key))
    }
    for (key, value) in top {
      switch key {
      case "format":
        guard let f = ImportFormat(rawValue: try string(value, key).lowercased()) else {
          throw bad(.unknownFormat("\(value)"))
        }
        m.format = f
      case "encoding":
        let s = try string(value, key).lowercased()
        guard let e = EncodingChoice(rawValue: s == "utf8" ? "utf-8" : (s == "gbk" || s == "gb2312" ? "gb18030" : s))
        else { throw bad(.unknownEncoding(s)) }
        m.encoding = e
      case "sheet": m.sheet = try string(value, key)
      case "timezone":
        let z = try string(value, key)
        guard ZoneClock(identifier: z) != nil else { throw bad(.unknownTimeZone(z)) }
        m.timezone = z
      case "crs":
        let s = try string(value, key)
        guard let c = CoordinateSystem(normalizing: s) else { throw bad(.unknownCRS(s)) }
        m.crs = c
      case "text_separator": m.textSeparator = try string(value, key)
      case "synonyms":
        guard let b = value as? Bool else { throw bad(.synonymsNotBool) }
        m.useSynonyms = b
      case "ignore":
        if let list = value as? [Any] { m.ignore = try list.map { try string($0, key) } } else {
          m.ignore = [try string(value, key)]
        }
      case "fields":
        guard let dict = value as? [String: Any] else { throw bad(.fieldsNotMapping) }
        for (fk, fv) in dict {
          guard let f = CanonicalField(rawValue: fk) else {
            throw bad(.unknownField(fk))
          }
          if let list = fv as? [Any] {
            m.fields[f] = try list.map { try string($0, fk) }
          } else {
            m.fields[f] = [try string(fv, fk)]
          }
        }
      default:
        throw bad(.unknownKey(key))
      }
    }
    return m
  }
}
