import Foundation
import HotlineCore
import Testing

@testable import HotlineAnalysis

/// The prefix filter (`PrefixScan`) against the automaton: the same
/// occurrences of the same phrases, and the same screen of tickets.
struct PrefixScanTests {
  /// The rule book's phrases and the organisational wording, plus phrases
  /// that share prefixes, contain one another or overlap themselves.
  static let phrases: [String] = {
    let book = ScopeRuleBook.standard
    var all = book.rules.flatMap { $0.groups.flatMap { $0 } + $0.exclusions } + book.masks
    all += OrganisationWording.phrases
    all += ["abcd", "abcdefgh", "abcdefghij", "abab", "ababab", "已经起诉了吗", "起诉", "上访上访"]
    var seen = Set<String>()
    return all.filter { seen.insert($0).inserted }
  }()

  /// Texts made of pieces of phrases, other Chinese, ASCII and newlines, of
  /// every length from empty on.
  static func texts(count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix64(seed: seed)
    let filler = ["的", "市民", "反映", "，", "。", "a", "b", "ab", "c", "1", "\n", "小区", "法院", "信访", "已经", "要求", "\u{1F600}"]
    var out: [String] = []
    for k in 0..<count {
      var s = ""
      let pieces = k < 40 ? k % 4 : Int(rng.next() % 40)
      for _ in 0..<pieces {
        if rng.next() % 3 == 0 {
          let p = Array(phrases[Int(rng.next() % UInt64(phrases.count))])
          // The whole phrase, or its head or tail.
          switch rng.next() % 4 {
          case 0: s += String(p.prefix(max(1, p.count - 1)))
          case 1: s += String(p.suffix(max(1, p.count - 1)))
          default: s += String(p)
          }
        } else {
          s += filler[Int(rng.next() % UInt64(filler.count))]
        }
      }
      out.append(s)
    }
    return out
  }

  @Test func findsWhatTheAutomatonFinds() throws {
    let automaton = KeywordAutomaton(Self.phrases)
    let scan = try #require(PrefixScan(Self.phrases))
    #expect(scan.q == 4)
    var total = 0
    for text in Self.texts(count: 3_000, seed: 7) {
      let expected = automaton.hits(in: text).map { [$0.pattern, $0.start] }.sorted { $0.lexicographicallyPrecedes($1) }
      var found: [[Int]] = []
      KeywordAutomaton.withBytes(text) { b in scan.scan(b) { p, start in found.append([p, start]) } }
      #expect(found.sorted { $0.lexicographicallyPrecedes($1) } == expected, "\(text)")
      total += expected.count
    }
    #expect(total > 3_000)
  }

  @Test func hitsComeInTheAutomatonsOrder() throws {
    let automaton = KeywordAutomaton(Self.phrases)
    let scan = try #require(PrefixScan(Self.phrases))
    let texts = Self.texts(count: 2_000, seed: 5).map { $0.replacingOccurrences(of: "\n", with: "") }
    for (k, text) in texts.enumerated() {
      let title = k % 4 == 0 ? "" : texts[(k * 13 + 5) % texts.count]
      let expected = automaton.hits(in: title.isEmpty ? text : title + "\n" + text)
      #expect(scan.hits(title, then: text) == expected, "\(title) | \(text)")
    }
  }

  @Test func prefixOfEightBytesAndLongerPhrases() throws {
    // Every phrase at least 9 bytes: the filter reads 8-byte prefixes.
    let long = Self.phrases.filter { $0.utf8.count >= 9 }
    let automaton = KeywordAutomaton(long)
    let scan = try #require(PrefixScan(long))
    #expect(scan.q == 8)
    for text in Self.texts(count: 2_000, seed: 11) {
      let expected = automaton.hits(in: text).map { [$0.pattern, $0.start] }.sorted { $0.lexicographicallyPrecedes($1) }
      var found: [[Int]] = []
      KeywordAutomaton.withBytes(text) { b in scan.scan(b) { p, start in found.append([p, start]) } }
      #expect(found.sorted { $0.lexicographicallyPrecedes($1) } == expected)
    }
  }

  @Test func shortPhrasesAreLeftToTheAutomaton() {
    #expect(PrefixScan(["起诉", "abc"]) == nil)
    #expect(PrefixScan(["起诉"]) != nil)
  }

  @Test func screenEqualsTheAutomatonsScreen() {
    let fast = ScopeClassifier()
    let plain = ScopeClassifier(book: .standard, prefixScan: false)
    let texts = Self.texts(count: 4_000, seed: 3)
    var flagged = 0, organisational = 0
    for (k, text) in texts.enumerated() {
      let title: String? = k % 3 == 0 ? nil : texts[(k * 7 + 1) % texts.count]
      let a = fast.screen(id: "t\(k)", title: title, text: text)
      let b = plain.screen(id: "t\(k)", title: title, text: text)
      #expect(a.flag == b.flag && a.organisational == b.organisational, "\(title ?? "") | \(text)")
      #expect(
        fast.classify(id: "t\(k)", title: title ?? "", text: text)
          == plain.classify(id: "t\(k)", title: title ?? "", text: text))
      if a.flag != nil { flagged += 1 }
      if a.organisational { organisational += 1 }
    }
    #expect(flagged > 20 && organisational > 20)
  }
}
