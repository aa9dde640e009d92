/// Word segmentation scoring, the SIGHAN bakeoff rule: a predicted word is
/// correct when both its start and end offsets match a gold word of the same
/// line. Offsets count Unicode scalars of the line with whitespace removed,
/// so the two segmentations must be of the same text.
public struct SegmentationScore: Sendable, Equatable, Codable {
  public var correct = 0
  public var predicted = 0
  public var gold = 0
  /// Lines whose two segmentations do not spell the same text (scored anyway).
  public var mismatchedLines = 0

  public init() {}

  public var precision: Double { predicted == 0 ? 0 : Double(correct) / Double(predicted) }
  public var recall: Double { gold == 0 ? 0 : Double(correct) / Double(self.gold) }
  public var f1: Double {
    let p = precision
    let r = recall
    return p + r == 0 ? 0 : 2 * p * r / (p + r)
  }

  /// Adds one line: `predicted` and `gold` are that line's words in order.
  public mutating func add(predicted: [some StringProtocol], gold: [some StringProtocol]) {
    let p = Self.spans(predicted)
    let g = Self.spans(gold)
    if p.length != g.length { mismatchedLines += 1 }
    self.predicted += p.spans.count
    self.gold += g.spans.count
    // Both span lists are sorted by start and non-overlapping: merge-walk.
    var i = 0
    var j = 0
    while i < p.spans.count && j < g.spans.count {
      let a = p.spans[i]
      let b = g.spans[j]
      if a == b {
        correct += 1
        i += 1
        j += 1
      } else if a.0 < b.0 || (a.0 == b.0 && a.1 < b.1) {
        i += 1
      } else {
        j += 1
      }
    }
  }

  /// Adds one line of each in the gold file's format (words separated by spaces).
  public mutating func add(predictedLine: some StringProtocol, goldLine: some StringProtocol) {
    add(
      predicted: predictedLine.split(whereSeparator: \.isWhitespace),
      gold: goldLine.split(whereSeparator: \.isWhitespace))
  }

  static func spans(_ words: [some StringProtocol]) -> (spans: [(Int, Int)], length: Int) {
    var out: [(Int, Int)] = []
    out.reserveCapacity(words.count)
    var pos = 0
    for w in words {
      let n = w.unicodeScalars.reduce(0) { $0 + ($1.properties.isWhitespace ? 0 : 1) }
      if n == 0 { continue }
      out.append((pos, pos + n))
      pos += n
    }
    return (out, pos)
  }
}
