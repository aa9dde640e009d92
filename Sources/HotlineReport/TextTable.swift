// `Language` (zh/en) now lives in HotlineCore; it is re-exported here so that
// code importing only HotlineReport keeps seeing it.
@_exported public import enum HotlineCore.Language

/// A plain-text table that aligns Chinese text (East Asian wide characters
/// take two terminal columns).
public struct TextTable: Sendable {
  public var headers: [String]
  public var rows: [[String]]
  /// Columns aligned right (numbers).
  public var rightAligned: Set<Int>

  public init(headers: [String], rows: [[String]] = [], rightAligned: Set<Int> = []) {
    self.headers = headers
    self.rows = rows
    self.rightAligned = rightAligned
  }

  /// The terminal width of a string.
  public static func displayWidth(_ s: String) -> Int {
    var w = 0
    for u in s.unicodeScalars { w += isWide(u) ? 2 : (u.properties.generalCategory == .nonspacingMark ? 0 : 1) }
    return w
  }

  static func isWide(_ u: Unicode.Scalar) -> Bool {
    switch u.value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
      true
    default: false
    }
  }

  public func render() -> String {
    let all = [headers] + rows
    let columns = all.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for r in all { for (i, c) in r.enumerated() { widths[i] = max(widths[i], Self.displayWidth(c)) } }
    func line(_ r: [String]) -> String {
      var parts: [String] = []
      for i in 0..<columns {
        let c = i < r.count ? r[i] : ""
        let pad = String(repeating: " ", count: widths[i] - Self.displayWidth(c))
        parts.append(rightAligned.contains(i) ? pad + c : c + pad)
      }
      var s = parts.joined(separator: "  ")
      while s.hasSuffix(" ") { s.removeLast() }
      return s
    }
    var out = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
    out += rows.map(line)
    return out.joined(separator: "\n")
  }
}
