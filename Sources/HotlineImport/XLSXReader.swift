import Foundation
import ZIPFoundation

/// Reads one worksheet of an .xlsx workbook with a minimal XML scanner
/// (shared strings, inline strings, numbers, booleans, formula strings).
/// Numbers are returned as written in the file (date cells are Excel serials;
/// the mapper converts serials found in time columns).
final class XLSXReader {
  let sheetNames: [String]
  let sheetName: String
  private let sheet: [UInt8]
  private let shared: [String]
  private var pos = 0

  init(path: String, sheet wanted: String?) throws {
    let url = URL(fileURLWithPath: path)
    let archive: Archive
    do { archive = try Archive(url: url, accessMode: .read) } catch {
      throw ImportError(file: path, .xlsxNotZip)
    }
    func read(_ name: String) throws -> [UInt8]? {
      guard let entry = archive[name] else { return nil }
      var data = [UInt8]()
      data.reserveCapacity(Int(entry.uncompressedSize))
      _ = try archive.extract(entry, skipCRC32: true) { chunk in data.append(contentsOf: chunk) }
      return data
    }
    guard let workbook = try read("xl/workbook.xml") else {
      throw ImportError(file: path, .xlsxNoWorkbook)
    }
    // Sheets in order: name and relationship id.
    var sheets: [(name: String, rid: String)] = []
    XMLScan.forEachTag(workbook) { name, attrs, _ in
      if name == "sheet" {
        let rid = attrs.first { $0.0 == "r:id" || $0.0.hasSuffix(":id") }?.1 ?? ""
        sheets.append((attrs.first { $0.0 == "name" }?.1 ?? "", rid))
      }
    }
    sheetNames = sheets.map(\.name)
    guard !sheets.isEmpty else { throw ImportError(file: path, .xlsxNoSheets) }
    let chosen: (name: String, rid: String)
    if let wanted {
      guard let s = sheets.first(where: { $0.name == wanted }) else {
        throw ImportError(
          file: path, .noSuchSheet(wanted, sheets: sheetNames))
      }
      chosen = s
    } else {
      chosen = sheets[0]
    }
    sheetName = chosen.name
    var target = "worksheets/sheet1.xml"
    if let rels = try read("xl/_rels/workbook.xml.rels") {
      XMLScan.forEachTag(rels) { name, attrs, _ in
        if name == "Relationship", attrs.first(where: { $0.0 == "Id" })?.1 == chosen.rid,
          let t = attrs.first(where: { $0.0 == "Target" })?.1
        {
          target = t
        }
      }
    }
    let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    guard let sheetBytes = try read(sheetPath) else {
      throw ImportError(file: path, .sheetMissing(chosen.name, path: sheetPath))
    }
    sheet = sheetBytes
    var strings: [String] = []
    if let sst = try read("xl/sharedStrings.xml") {
      var current: [UInt8] = []
      var inSI = false
      var inPhonetic = false
      XMLScan.forEachTag(sst) { name, _, kind in
        switch (name, kind) {
        case ("si", .open):
          inSI = true
          current.removeAll(keepingCapacity: true)
        case ("si", .close):
          inSI = false
          strings.append(String(decoding: current, as: UTF8.self))
        case ("si", .selfClosing): strings.append("")
        case ("rPh", .open): inPhonetic = true
        case ("rPh", .close): inPhonetic = false
        default: break
        }
      } text: { name, bytes in
        if inSI && !inPhonetic && name == "t" { current.append(contentsOf: XMLScan.unescape(bytes)) }
      }
    }
    shared = strings
  }

  /// The next non-empty row: its 1-based row number and cell texts.
  func nextRow() -> (row: Int, cells: [String])? {
    sheet.withUnsafeBufferPointer { p -> (Int, [String])? in
      var s = XMLScan.Cursor(p: p, i: pos)
      var cells: [String] = []
      var rowNumber = 0
      var inRow = false
      var cellCol = 0
      var cellType = ""
      var value: [UInt8] = []
      var inV = false
      var inT = false
      var inCell = false
      defer { pos = s.i }
      while let tag = s.nextTag(onText: { bytes in
        if inV || inT { value.append(contentsOf: bytes) }
      }) {
        switch (tag.name, tag.kind) {
        case ("row", .open):
          inRow = true
          cells.removeAll()
          rowNumber = Int(tag.attr("r") ?? "") ?? (rowNumber + 1)
        case ("row", .selfClosing):
          continue
        case ("row", .close):
          inRow = false
          if cells.contains(where: { !$0.isEmpty }) { return (rowNumber, cells) }
        case ("c", .open), ("c", .selfClosing):
          guard inRow else { continue }
          cellCol = tag.attr("r").map(XMLScan.columnIndex) ?? cells.count
          cellType = tag.attr("t") ?? ""
          value.removeAll(keepingCapacity: true)
          inCell = tag.kind == .open
          if !inCell { continue }
        case ("c", .close):
          inCell = false
          let raw = String(decoding: XMLScan.unescape(value[...]), as: UTF8.self)
          var text: String
          switch cellType {
          case "s": text = Int(raw).flatMap { $0 < shared.count ? shared[$0] : nil } ?? ""
          case "b": text = raw == "1" ? "TRUE" : "FALSE"
          default: text = raw
          }
          text = text.replacingOccurrences(of: "_x000D_", with: "")
          while cells.count < cellCol { cells.append("") }
          if cells.count == cellCol { cells.append(text) } else { cells[cellCol] = text }
        case ("v", .open): inV = inCell
        case ("v", .close): inV = false
        case ("t", .open): inT = inCell
        case ("t", .close): inT = false
        case ("rPh", .open): inT = false
        default: break
        }
      }
      return nil
    }
  }
}

enum XMLScan {
  enum Kind { case open, close, selfClosing }

  struct Tag {
    var name: String
    var attrs: [(String, String)]
    var kind: Kind
    func attr(_ n: String) -> String? { attrs.first { $0.0 == n }?.1 }
  }

  struct Cursor {
    let p: UnsafeBufferPointer<UInt8>
    var i: Int

    /// Advances to the next tag (skipping `<?…?>`, comments), reporting text before it.
    mutating func nextTag(onText: (ArraySlice<UInt8>) -> Void) -> Tag? {
      while i < p.count {
        let start = i
        while i < p.count, p[i] != 0x3C { i += 1 }
        if i > start { onText(ArraySlice(UnsafeBufferPointer(rebasing: p[start..<i]))) }
        if i >= p.count { return nil }
        i += 1
        guard i < p.count else { return nil }
        if p[i] == 0x3F || p[i] == 0x21 {  // <? or <!
          while i < p.count, p[i] != 0x3E { i += 1 }
          i += 1
          continue
        }
        var kind = Kind.open
        if p[i] == 0x2F {
          kind = .close
          i += 1
        }
        let ns = i
        while i < p.count, p[i] != 0x20, p[i] != 0x3E, p[i] != 0x2F, p[i] != 0x0A, p[i] != 0x0D, p[i] != 0x09 {
          i += 1
        }
        var name = String(decoding: UnsafeBufferPointer(rebasing: p[ns..<i]), as: UTF8.self)
        if let colon = name.lastIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
        var attrs: [(String, String)] = []
        while i < p.count, p[i] != 0x3E {
          let b = p[i]
          if b == 0x2F {
            kind = .selfClosing
            i += 1
            continue
          }
          if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
            i += 1
            continue
          }
          let ks = i
          while i < p.count, p[i] != 0x3D, p[i] != 0x3E, p[i] != 0x20 { i += 1 }
          let key = String(decoding: UnsafeBufferPointer(rebasing: p[ks..<i]), as: UTF8.self)
          guard i < p.count, p[i] == 0x3D else { continue }
          i += 1
          guard i < p.count else { break }
          let q = p[i]
          i += 1
          let vs = i
          while i < p.count, p[i] != q { i += 1 }
          let val = String(decoding: unescape(ArraySlice(UnsafeBufferPointer(rebasing: p[vs..<i]))), as: UTF8.self)
          i += 1
          attrs.append((key, val))
        }
        i += 1
        return Tag(name: name, attrs: attrs, kind: kind)
      }
      return nil
    }
  }

  static func forEachTag(
    _ bytes: [UInt8], _ body: (String, [(String, String)], Kind) -> Void,
    text: ((String, ArraySlice<UInt8>) -> Void)? = nil
  ) {
    bytes.withUnsafeBufferPointer { p in
      var c = Cursor(p: p, i: 0)
      var open: [String] = []
      while let tag = c.nextTag(onText: { t in
        if let text, let top = open.last { text(top, t) }
      }) {
        switch tag.kind {
        case .open: open.append(tag.name)
        case .close: if !open.isEmpty { open.removeLast() }
        case .selfClosing: break
        }
        body(tag.name, tag.attrs, tag.kind)
      }
    }
  }

  static func unescape(_ b: ArraySlice<UInt8>) -> [UInt8] {
    guard b.contains(0x26) else { return Array(b) }
    var out: [UInt8] = []
    out.reserveCapacity(b.count)
    var i = b.startIndex
    while i < b.endIndex {
      if b[i] == 0x26, let semi = b[i...].prefix(12).firstIndex(of: 0x3B) {
        let ent = String(decoding: b[(i + 1)..<semi], as: UTF8.self)
        var rep: String? = nil
        switch ent {
        case "amp": rep = "&"
        case "lt": rep = "<"
        case "gt": rep = ">"
        case "quot": rep = "\""
        case "apos": rep = "'"
        default:
          if ent.hasPrefix("#x") || ent.hasPrefix("#X") {
            rep = UInt32(ent.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
          } else if ent.hasPrefix("#") {
            rep = UInt32(ent.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
          }
        }
        if let rep {
          out.append(contentsOf: rep.utf8)
          i = semi + 1
          continue
        }
      }
      out.append(b[i])
      i += 1
    }
    return out
  }

  /// "B12" → 1.
  static func columnIndex(_ ref: String) -> Int {
    var v = 0
    for u in ref.utf8 {
      guard u >= 0x41 && u <= 0x5A else { break }
      v = v * 26 + Int(u - 0x40)
    }
    return max(0, v - 1)
  }
}
