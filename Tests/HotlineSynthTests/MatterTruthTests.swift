import Foundation
import Testing

@testable import HotlineSynth

/// The matter columns of truth_categories.csv: the theme and the title and body
/// templates each ticket's text was written from.
@Suite struct MatterTruthTests {
  /// A template as a pattern: its literal text (as the export's noise leaves it comparable),
  /// any text for a slot, one of the options for an alternation.
  static func pattern(_ segs: [Template.Segment]) -> String {
    segs.map { seg -> String in
      switch seg {
      case .literal(let s): return NSRegularExpression.escapedPattern(for: normalise(s))
      case .slot: return ".*?"
      case .alternation(let options): return "(?:" + options.map { pattern($0) }.joined(separator: "|") + ")"
      }
    }.joined()
  }

  final class Patterns: @unchecked Sendable {
    private var cache: [String: NSRegularExpression] = [:]
    func of(_ key: String, _ t: Template) -> NSRegularExpression {
      if let r = cache[key] { return r }
      let r = try! NSRegularExpression(pattern: MatterTruthTests.pattern(t.segments), options: [.dotMatchesLineSeparators])
      cache[key] = r
      return r
    }
  }

  /// Full-width commas as ASCII ones, full-width digits and ＡＰＰ as ASCII.
  static func normalise(_ s: String) -> String {
    var o = ""
    for ch in s.replacingOccurrences(of: "ＡＰＰ", with: "APP") {
      if ch == "，" {
        o.append(",")
      } else if let d = TextMaker.fullWidthDigits.firstIndex(of: ch) {
        o.append(Character(String(d)))
      } else {
        o.append(ch)
      }
    }
    return o
  }

  /// Whether the text holds a rendering of the template, allowing the one typo the
  /// generator may put into a body.
  static func shows(_ r: NSRegularExpression, in text: String) -> Bool {
    func has(_ s: String) -> Bool { r.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
    if has(text) { return true }
    for (a, b) in TextBits.typos {
      var from = text.startIndex
      while let hit = text.range(of: b, range: from..<text.endIndex) {
        if has(text.replacingCharacters(in: hit, with: a)) { return true }
        from = hit.upperBound
      }
    }
    return false
  }

  @Test func columnsAndTemplatesMatchTheText() throws {
    for gen in [try Generated.tiny.get(), try Generated.small.get()] {
      let truth = parseCSV(
        try String(contentsOf: gen.dir.appendingPathComponent("truth_categories.csv"), encoding: .utf8))
      #expect(truth[0] == ["工单编号", "true_category", "theme", "title", "body"])
      #expect(truth.count == gen.rows.count)
      let l2ByPath = Dictionary(uniqueKeysWithValues: Taxonomy.l2.indices.map { (Taxonomy.path($0), $0) })
      var kinds: [String: Int] = [:]
      var matters = Set<[String]>()
      var ambiguous = 0
      let patterns = Patterns()
      for (t, row) in zip(truth.dropFirst(), gen.rows.dropFirst()) {
        try #require(t.count == 5 && t[0] == row[0])
        let title = Self.normalise(row[6]).replacingOccurrences(of: "问题,急", with: "问题")
        let body = Self.normalise(row[7])
        let l2 = try #require(l2ByPath[t[1]], "unknown category \(t[1])")
        matters.insert(Array(t[1...]))
        if t[2] == "generic" {
          kinds["generic", default: 0] += 1
          #expect(t[3] == "" && t[4] == "")
          // Keyword text only for categories without a theme.
          #expect(Themes.byL2[l2].isEmpty, "\(t[0]): generic text in \(t[1])")
          #expect(Taxonomy.l2[l2].keywords.contains { body.contains($0) }, "\(t[0]): \(row[7])")
        } else if t[2].hasPrefix("out-of-scope-") {
          kinds["out-of-scope", default: 0] += 1
          let cls = String(t[2].dropFirst("out-of-scope-".count))
          let found = TextBits.outOfScope.indices.contains { k in
            let o = TextBits.outOfScope[k]
            return o.cls == cls && Taxonomy.index(o.l2.isEmpty ? "1703" : o.l2) == l2
              && Int(t[3]).map {
                o.titles.indices.contains($0) && Self.shows(patterns.of("oos\(k) t\($0)", o.titles[$0]), in: title)
              } == true
              && Int(t[4]).map {
                o.bodies.indices.contains($0) && Self.shows(patterns.of("oos\(k) b\($0)", o.bodies[$0]), in: body)
              } == true
          }
          #expect(found, "\(t[0]): \(t[2]) \(t[3]) \(t[4]) does not match \(row[6]) / \(row[7])")
        } else {
          kinds["theme", default: 0] += 1
          let th = Themes.all[try #require(Themes.byKey[t[2]], "unknown theme \(t[2])")]
          #expect(Taxonomy.index(th.l2) == l2, "\(t[0]): theme \(t[2]) of another category")
          let ti = try #require(Int(t[3])), bi = try #require(Int(t[4]))
          try #require(th.titles.indices.contains(ti) && th.bodies.indices.contains(bi))
          #expect(
            Self.shows(patterns.of("\(t[2]) t\(ti)", th.titles[ti]), in: title),
            "\(t[0]): title \(ti) of \(t[2]) not in \(row[6])")
          #expect(
            Self.shows(patterns.of("\(t[2]) b\(bi)", th.bodies[bi]), in: body),
            "\(t[0]): body \(bi) of \(t[2]) not in \(row[7])")
          // The recorded body is the one the text shows: no other body of the theme fits.
          if th.bodies.indices.contains(where: {
            $0 != bi && Self.shows(patterns.of("\(t[2]) b\($0)", th.bodies[$0]), in: body)
          }) { ambiguous += 1 }
        }
      }
      #expect(ambiguous == 0, "\(ambiguous) bodies also fit another template of their theme")
      #expect(kinds["theme", default: 0] > (gen.rows.count - 1) * 8 / 10, "\(kinds)")
      #expect(kinds["generic", default: 0] > 0 && kinds["out-of-scope", default: 0] > 0, "\(kinds)")
      // Categories written from several bodies: more matters than categories.
      #expect(Set(matters.map { [$0[0], $0[1], $0[3]] }).count > Set(matters.map { $0[0] }).count + 20)
    }
  }
}
