import Foundation
@testable import HotlineText
import Testing

/// `<package root>/../shared/data`, located from this file's path.
private let sharedData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("shared/data")

/// `Tests/Fixtures` (outside any target, so SwiftPM does not ask to declare it).
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Fixtures")

/// Scores `segmenter` on gold lines (words separated by spaces).
private func score(_ segmenter: WordSegmenter, goldLines: [Substring]) -> SegmentationScore {
  var s = SegmentationScore()
  for g in goldLines {
    let words = g.split(whereSeparator: \.isWhitespace)
    let raw = words.joined()
    s.add(predicted: segmenter.tokens(in: raw, includePunctuation: true), gold: words)
  }
  return s
}

struct TextNormalizerTests {
  @Test func fullwidthToHalfwidthKeepsChinesePunctuation() throws {
    let n = try TextNormalizer()
    #expect(n.normalize("ＡＢＣ１２３，你好。（測試）　空格") == "ABC123，你好。（测试） 空格")
  }

  @Test func traditionalToSimplified() throws {
    let n = try TextNormalizer()
    #expect(n.normalize("醫療保險報銷問題，請儘快處理；臺灣") == "医疗保险报销问题，请尽快处理；台湾")
  }

  @Test func repeatedPunctuationAndWhitespaceCollapsed() throws {
    let n = try TextNormalizer()
    #expect(n.normalize("  太吵了！！！   怎么办？？  没人管。。。 ") == "太吵了！ 怎么办？ 没人管。")
    #expect(n.normalize("等等……真的——是吗") == "等等……真的——是吗")
    #expect(n.normalize("a\t\n b") == "a b")
  }

  @Test func piiMaskedBeforeAnythingElse() throws {
    let n = try TextNormalizer()
    // Full-width digits are masked as a phone number, then made half-width.
    #expect(n.normalize("請回電１３８１２３４５６７８謝謝") == "请回电138****5678谢谢")
    #expect(n.normalize("身份证110105199003071234，") == "身份证110105********1234，")
    let plain = try TextNormalizer(.init(maskPII: false))
    #expect(plain.normalize("请回电13812345678") == "请回电13812345678")
  }

  @Test func fastPathTableEqualsFullScan() throws {
    // The table built from ICU's source set must be the one a scan of the
    // whole BMP gives, and must hold the characters normalisation changes.
    let full = try #require(TextNormalizer.changeableByFullScan())
    #expect(TextNormalizer.changeable == full)
    let bits = full.reduce(0) { $0 + $1.nonzeroBitCount }
    #expect(bits > 2000)
    for c in "醫療１Ａａ　".utf16 { #expect(full[Int(c) >> 6] & (1 << UInt64(c & 63)) != 0) }
  }

  @Test func plainTextUnchanged() throws {
    let n = try TextNormalizer()
    #expect(n.normalize("") == "")
    #expect(n.normalize("小区门口夜间施工噪音扰民") == "小区门口夜间施工噪音扰民")
    #expect(n.normalize("hello world") == "hello world")
  }
}

struct WordSegmenterTests {
  @Test func lexiconKeepsHotlineWordsWhole() throws {
    let icu = try WordSegmenter(lexicon: .empty, numberRules: false)
    let seg = try WordSegmenter()
    let cases: [(String, [String])] = [
      ("小区门口夜间施工噪音扰民，影响孩子中考复习", ["扰民", "中考"]),
      ("拖欠农民工工资三个月未发放", ["农民工"]),
      ("物业费收费标准不合理，住建局值班电话无人接听", ["物业费", "住建局"]),
      ("房屋拆迁后没有收到补偿款", ["补偿款"]),
    ]
    for (text, whole) in cases {
      let a = icu.words(in: text)
      let b = seg.words(in: text)
      for w in whole {
        #expect(b.contains(w), "\(w) in \(b)")
        #expect(!a.contains(w), "ICU alone was expected to split \(w): \(a)")
      }
      #expect(a.joined() == b.joined())
    }
    #expect(
      seg.words(in: "物业费收费标准不合理，住建局值班电话无人接听")
        == ["物业费", "收费", "标准", "不合理", "住建局", "值班", "电话", "无人", "接听"])
  }

  @Test func emptyAndPunctuationOnly() throws {
    let seg = try WordSegmenter()
    #expect(seg.words(in: "") == [])
    #expect(seg.words(in: "，。！？  、……") == [])
    #expect(seg.tokens(in: "，。", includePunctuation: true) == ["，", "。"])
    #expect(seg.tokens(in: " \t ", includePunctuation: true) == [])
    #expect(seg.countWords(in: "") == 0)
  }

  @Test func numbersAndLatinKept() throws {
    let seg = try WordSegmenter()
    let w = seg.words(in: "拨打12345反映APP无法登录，多收费35元")
    #expect(w.contains("12345"))
    #expect(w.contains("APP"))
    #expect(w.contains("35"))
    #expect(!w.contains("，"))
  }

  @Test func addedPlaceNamesStayWhole() throws {
    let base = try WordSegmenter()
    let text = "望江街道锦绣花园小区门口积水"
    let before = base.words(in: text)
    #expect(!before.contains("望江街道") || !before.contains("锦绣花园"))
    let seg = try WordSegmenter(lexicon: Lexicon.hotline.adding(["望江街道", "锦绣花园"]))
    let w = seg.words(in: text)
    #expect(w.contains("望江街道"))
    #expect(w.contains("锦绣花园"))
    #expect(w.joined() == text)
  }

  @Test func visitsAndCountsWithoutStrings() throws {
    let seg = try WordSegmenter()
    let text = "楼道里有人飞线充电，存在安全隐患"
    var n = 0
    var kinds: [WordSegmenter.Kind] = []
    seg.forEachToken(in: text) { u, k in
      n += 1
      kinds.append(k)
      #expect(u.count > 0)
    }
    #expect(n == seg.words(in: text).count)
    #expect(n == seg.countWords(in: text))
    #expect(kinds.allSatisfy { $0 == .ideographic })
    #expect(seg.words(in: text).contains("飞线充电"))
  }

  @Test func lexiconParsing() {
    let lex = Lexicon(parsing: "# comment\n扰民\n\n  物业费 # trailing\n住建局\t3\n")
    #expect(lex.count == 3)
    #expect(lex.contains("扰民") && lex.contains("物业费") && lex.contains("住建局"))
    #expect(!lex.contains("扰"))
    #expect(lex.maxLength == 3)
    #expect(Lexicon.hotline.count > 1000)
    #expect(Lexicon.hotline.contains("农民工"))
  }

  @Test func stopWords() {
    let s = StopWords.hotline
    for w in ["的", "了", "来电人", "反映", "称", "请", "希望", "相关部门", "尽快", "处理", "谢谢"] {
      #expect(s.contains(w), "\(w)")
    }
    for w in ["扰民", "物业费", "噪音", "农民工"] { #expect(!s.contains(w), "\(w)") }
  }
}

struct SegmentationScoreTests {
  @Test func handCheckedExample() {
    // gold:  我 | 爱 | 北京 | 天安门      spans (0,1)(1,2)(2,4)(4,7)
    // pred:  我爱 | 北京 | 天安 | 门      spans (0,2)(2,4)(4,6)(6,7)
    // correct: 北京 only → P = 1/4, R = 1/4, F1 = 0.25
    var s = SegmentationScore()
    s.add(predicted: ["我爱", "北京", "天安", "门"], gold: ["我", "爱", "北京", "天安门"])
    #expect(s.correct == 1 && s.predicted == 4 && s.gold == 4)
    #expect(abs(s.f1 - 0.25) < 1e-12)
    // second line: perfect, 2 words → totals 3/6, 3/6
    s.add(predictedLine: "你好  世界", goldLine: "你好  世界")
    #expect(s.correct == 3 && s.predicted == 6 && s.gold == 6)
    #expect(abs(s.precision - 0.5) < 1e-12 && abs(s.recall - 0.5) < 1e-12)
    // P ≠ R: pred 3 words, gold 2 words, 1 correct → P 1/3, R 1/2, F1 0.4
    var t = SegmentationScore()
    t.add(predicted: ["a", "b", "cd"], gold: ["ab", "cd"])
    #expect(abs(t.precision - 1.0 / 3) < 1e-12 && abs(t.recall - 0.5) < 1e-12)
    #expect(abs(t.f1 - 0.4) < 1e-12)
    #expect(t.mismatchedLines == 0)
  }
}

struct SegmentationQualityTests {
  @Test func hotlineGoldSet() throws {
    let text = try String(contentsOf: fixtures.appendingPathComponent("hotline-gold.txt"), encoding: .utf8)
    let lines = text.split(whereSeparator: \.isNewline)
    #expect(lines.count >= 60)
    let icu = score(try WordSegmenter(lexicon: .empty, numberRules: false), goldLines: lines)
    let lex = score(try WordSegmenter(), goldLines: lines)
    print(String(format: "hotline gold: ICU F1 %.4f, ICU+lexicon F1 %.4f", icu.f1, lex.f1))
    #expect(icu.mismatchedLines == 0 && lex.mismatchedLines == 0)
    #expect(lex.f1 >= HotlineGoldThresholds.minF1)
    #expect(lex.f1 >= icu.f1 + HotlineGoldThresholds.minGain)
  }

  @Test func pkuLexiconDoesNotHurtNewsText() throws {
    let gold = sharedData.appendingPathComponent("sighan2005-pku/pku_test_gold.utf8")
    guard FileManager.default.fileExists(atPath: gold.path) else {
      print("SKIP pkuLexiconDoesNotHurtNewsText: sighan2005-pku not found under <package>/../shared/data")
      return
    }
    let lines = try String(contentsOf: gold, encoding: .utf8).split(whereSeparator: \.isNewline)
    let icu = score(try WordSegmenter(lexicon: .empty, numberRules: false), goldLines: lines)
    let lex = score(try WordSegmenter(), goldLines: lines)
    print(String(format: "PKU: ICU F1 %.4f, ICU+lexicon F1 %.4f", icu.f1, lex.f1))
    #expect(icu.f1 > 0.75)
    #expect(lex.f1 >= icu.f1 - 0.005)
  }
}

/// Segmenting clause by clause (`WordSegmenter.forEachClause`, as the topic
/// tokenizer does to reuse repeated clauses) must give the tokens of the
/// whole text, punctuation included.
struct ClauseTests {
  private func clauses(_ text: String) -> [String] {
    var out: [String] = []
    var t = text
    t.withUTF8 { b in WordSegmenter.forEachClause(inUTF8: b) { out.append(String(decoding: $0, as: UTF8.self)) } }
    return out
  }

  private func byClause(_ seg: WordSegmenter, _ text: String, punctuation: Bool = true) -> [String] {
    var out: [String] = []
    var t = text
    t.withUTF8 { b in
      WordSegmenter.forEachClause(inUTF8: b) { c in
        seg.forEachTokenUTF8(inUTF8: c, includePunctuation: punctuation) { out.append(String(decoding: $0, as: UTF8.self)) }
      }
    }
    return out
  }

  @Test func whereClausesEnd() {
    #expect(clauses("小区噪音扰民，夜间施工。请尽快处理！") == ["小区噪音扰民，", "夜间施工。", "请尽快处理！"])
    // Title and text joined by a space (after normalisation) or a line feed.
    #expect(clauses("停车难 小区车位不足\n物业不管") == ["停车难 ", "小区车位不足\n", "物业不管"])
    // Not after a digit or letter (1,5 and 3.5 stay numbers), nor before a
    // space or a character ICU may join to the mark; a final mark stays with its clause.
    #expect(clauses("共3.5万元，1,500户") == ["共3.5万元，", "1,500户"])
    #expect(clauses("ABC，DEF。") == ["ABC，DEF。"])
    #expect(clauses("噪音，  很大") == ["噪音，  很大"])
    #expect(clauses("说：“不行”") == ["说：", "“不行”"])
    #expect(clauses("好。") == ["好。"])
    #expect(clauses("") == [])
  }

  @Test func clauseTokensEqualWholeTextTokens() throws {
    let texts = [
      "市民反映：2023年12月31日晚上十点，某小区楼道里有人飞线充电——存在安全隐患……希望尽快处理！",
      "来电人称,其在3号楼502室,楼上噪音扰民.物业费已交50%,电话13800138000.",
      "二○○一年十二月,第一次会议;三个月后,医保卡、社保卡都办好了?",
      "网友留言：锦沙南路缺少减速带，存在安全隐患，建议修复。希望有关部门重视。",
      "Wi-Fi坏了，APP打不开！！ＡＢＣ１２３，测试。 空格 和\n换行",
      "现代化，社会主义，1万亿，三十一日，5月，一月",
    ]
    for lex in [Lexicon.hotline, .empty] {
      let seg = try WordSegmenter(lexicon: lex, numberRules: !lex.isEmpty)
      for t in texts {
        #expect(byClause(seg, t) == seg.tokens(in: t, includePunctuation: true), "\(t)")
        #expect(byClause(seg, t, punctuation: false) == seg.words(in: t), "\(t)")
        #expect(clauses(t).joined() == t)
      }
    }
  }

  @Test func clauseTokensOnGoldFiles() throws {
    var files = [fixtures.appendingPathComponent("hotline-gold.txt")]
    let pku = sharedData.appendingPathComponent("sighan2005-pku/pku_test.utf8")
    if FileManager.default.fileExists(atPath: pku.path) {
      files.append(pku)
    } else {
      print("SKIP clauseTokensOnGoldFiles (PKU part): sighan2005-pku not found under <package>/../shared/data")
    }
    let seg = try WordSegmenter()
    for f in files {
      let lines = try String(contentsOf: f, encoding: .utf8).split(whereSeparator: \.isNewline)
      var same = 0
      for l in lines {
        let raw = f.lastPathComponent == "hotline-gold.txt" ? l.split(whereSeparator: \.isWhitespace).joined() : String(l)
        if byClause(seg, raw) == seg.tokens(in: raw, includePunctuation: true) { same += 1 }
      }
      #expect(same == lines.count, "\(f.lastPathComponent): \(lines.count - same) lines differ")
    }
  }
}

/// Set from measurements with a margin: ICU alone 0.665, ICU+lexicon 0.896.
enum HotlineGoldThresholds {
  static let minF1 = 0.86
  static let minGain = 0.15
}

struct NumberRuleTests {
  @Test func datesNumbersAndSuffixes() throws {
    let seg = try WordSegmenter()
    #expect(seg.words(in: "2001年1月31日") == ["2001年", "1月", "31日"])
    #expect(seg.words(in: "一九九八年十二月") == ["一九九八年", "十二月"])
    #expect(seg.tokens(in: "增长50%", includePunctuation: true) == ["增长", "50%"])
    #expect(seg.tokens(in: "好——是", includePunctuation: true) == ["好", "——", "是"])
    #expect(seg.words(in: "实现现代化").last == "现代化")
    // 3年 is a duration, not a year: left to ICU.
    #expect(!seg.words(in: "干了3年").contains("3年"))
    let plain = try WordSegmenter(numberRules: false)
    #expect(plain.words(in: "2001年1月31日").count > 3)
  }
}

struct NumeralClassifierTests {
  @Test func numeralsAndClassifiersApart() throws {
    let seg = try WordSegmenter()
    #expect(seg.words(in: "二○○一年") == ["二○○一年"])
    #expect(seg.words(in: "三十一日") == ["三十一日"])
    #expect(seg.words(in: "拖欠三个月") == ["拖欠", "三", "个", "月"])
    #expect(seg.words(in: "第一次") == ["第一", "次"])
    #expect(seg.words(in: "一直一些") == ["一直", "一些"])
  }
}
