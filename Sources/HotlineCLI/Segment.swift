import ArgumentParser
import Foundation
import HotlineReport
import HotlineText

extension Hotline {
  /// `hotline segment`: Chinese word segmentation (ICU + the hotline lexicon),
  /// with a scorer for gold files in the SIGHAN/PKU format.
  struct Segment: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Segment Chinese text into words (ICU word break + the hotline lexicon).",
      discussion: """
        Reads FILE (or stdin) line by line and prints each line's tokens separated by two
        spaces (the SIGHAN/PKU gold format). Punctuation is kept as tokens so the output can be
        scored; whitespace is dropped. Phone, ID and plate numbers are masked before segmenting. With --eval GOLD the output is scored against GOLD
        (word-level precision/recall/F1, a word counts when its start and end both match)
        and the segmentation speed is reported instead (time of segmentation only, not I/O).
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Input text file, one sentence or paragraph per line (default: stdin).")
    var file: String?

    @Option(name: .long, help: "Score against this gold file (words separated by spaces).")
    var eval: String?

    @Flag(name: .long, help: "ICU word break alone: no hotline lexicon and no number/date rules.")
    var noLexicon = false

    @Flag(name: .long, help: "Keep the lexicon but not the number/date rules (2001年, 十二月, 50%).")
    var noRules = false

    @Option(name: .long, help: "Add the words of this file (one per line, # comments) to the lexicon.")
    var lexicon: [String] = []

    @Flag(name: .long, help: "Normalise each line first (traditional→simplified, half-width; phone, ID and plate numbers are masked either way).")
    var normalize = false

    @Flag(name: .long, help: "Drop punctuation tokens from the printed output.")
    var wordsOnly = false

    @Option(name: .long, help: "With --eval, also write the segmented text to this file.")
    var output: String?

    @Flag(
      name: .long,
      help: "Segment each clause of a line alone (as `hotline topics` does, to reuse repeated clauses); the output must be the same.")
    var byClause = false

    struct Report: Encodable {
      var lines: Int
      var characters: Int
      var words: Int
      var precision: Double?
      var recall: Double?
      var f1: Double?
      var mismatchedLines: Int?
      var seconds: Double
      var charsPerSecond: Double
      var lexiconWords: Int

      enum CodingKeys: String, CodingKey {
        case lines, characters, words, precision, recall, f1, seconds
        case mismatchedLines = "mismatched_lines"
        case charsPerSecond = "chars_per_second"
        case lexiconWords = "lexicon_words"
      }
    }

    func run() throws {
      try global.guarded {
        var lex: Lexicon = noLexicon ? .empty : .hotline
        for path in lexicon {
          let extra = try Lexicon(contentsOf: URL(fileURLWithPath: path))
          lex = lex.adding(extra.words)
        }
        let segmenter = try WordSegmenter(lexicon: lex, numberRules: !(noLexicon || noRules))
        let normalizer = normalize ? try TextNormalizer() : nil

        let data: Data
        if let file {
          guard let d = FileManager.default.contents(atPath: file) else {
            throw CommandFailure(zh: "无法读取 \(file)", en: "cannot read \(file)")
          }
          data = d
        } else {
          data = FileHandle.standardInput.readDataToEndOfFile()
        }
        let lines = Self.lines(String(decoding: data, as: UTF8.self))

        // Segment every line; time only the segmentation (tokens as Strings,
        // like jieba.lcut returns Python strings).
        var results: [[String]] = []
        results.reserveCapacity(lines.count)
        var chars = 0
        var words = 0
        var elapsed: Duration = .zero
        let clock = ContinuousClock()
        for line in lines {
          // Phone, ID and plate numbers are masked even without --normalize:
          // nothing Hotline prints contains them.
          let text = normalizer?.normalize(line) ?? PII.mask(line)
          chars += text.unicodeScalars.count
          let t0 = clock.now
          let toks = byClause ? Self.tokensByClause(text, segmenter, includePunctuation: !wordsOnly)
            : segmenter.tokens(in: text, includePunctuation: !wordsOnly)
          elapsed += clock.now - t0
          words += toks.count
          results.append(toks)
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let cps = seconds > 0 ? Double(chars) / seconds : 0

        guard let eval else {
          var out = ""
          out.reserveCapacity(data.count * 2)
          for toks in results {
            out += toks.joined(separator: "  ")
            out += "\n"
          }
          FileHandle.standardOutput.write(Data(out.utf8))
          if !global.json {
            Output.error(
              String(
                format: global.lang.pick("segment：%d 行，%d 字，每秒 %.0f 字", "segment: %d lines, %d chars, %.0f chars/s"),
                lines.count, chars, cps))
          }
          return
        }

        guard let goldData = FileManager.default.contents(atPath: eval) else {
          throw CommandFailure(zh: "无法读取标准答案文件 \(eval)", en: "cannot read gold file \(eval)")
        }
        let gold = Self.lines(String(decoding: goldData, as: UTF8.self))
        guard gold.count == results.count else {
          throw CommandFailure(
            zh: "标准答案有 \(gold.count) 行，输入有 \(results.count) 行",
            en: "gold has \(gold.count) lines but the input has \(results.count)")
        }
        var score = SegmentationScore()
        for (toks, g) in zip(results, gold) {
          score.add(predicted: toks, gold: g.split(whereSeparator: \.isWhitespace))
        }
        if let output {
          let text = results.map { $0.joined(separator: "  ") }.joined(separator: "\n") + "\n"
          try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        }
        let report = Report(
          lines: lines.count, characters: chars, words: words, precision: score.precision,
          recall: score.recall, f1: score.f1, mismatchedLines: score.mismatchedLines,
          seconds: seconds, charsPerSecond: cps, lexiconWords: lex.count)
        if global.json {
          try Output.json(report)
        } else {
          let L = global.lang
          Output.line(
            String(
              format: L.pick("准确率 P %.4f  召回率 R %.4f  F1 %.4f", "P %.4f  R %.4f  F1 %.4f"), score.precision,
              score.recall, score.f1))
          Output.line(
            String(
              format: L.pick(
                "%d 行，%d 字，%d 个词，分词用时 %.3f 秒，每秒 %.0f 字（词表 %d 词）",
                "%d lines, %d chars, %d tokens, %.3f s segmenting, %.0f chars/s (lexicon %d words)"),
              lines.count, chars, words, seconds, cps, lex.count))
          if score.mismatchedLines > 0 {
            Output.line(
              L.pick(
                "注意：\(score.mismatchedLines) 行的文字与标准答案不同",
                "warning: \(score.mismatchedLines) lines spell a different text than the gold"))
          }
        }
      }
    }

    /// The tokens of `text`, its clauses (`WordSegmenter.forEachClause`) segmented one by one.
    static func tokensByClause(_ text: String, _ segmenter: WordSegmenter, includePunctuation: Bool) -> [String] {
      var out: [String] = []
      var text = text
      text.withUTF8 { bytes in
        WordSegmenter.forEachClause(inUTF8: bytes) { clause in
          segmenter.forEachTokenUTF8(inUTF8: clause, includePunctuation: includePunctuation) {
            out.append(String(decoding: $0, as: UTF8.self))
          }
        }
      }
      return out
    }

    /// Lines of `text` without their line ends; a final empty line is dropped.
    static func lines(_ text: String) -> [String] {
      // "\r\n" is one Character, so split on newline Characters, not on "\n".
      var out = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
      if out.last == "" { out.removeLast() }
      return out
    }
  }
}
