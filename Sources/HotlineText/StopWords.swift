import Foundation

/// Words to drop before counting terms: Chinese function words plus the
/// boilerplate of hotline tickets (来电人, 反映, 希望, 相关部门, 尽快, 处理 …).
/// The built-in list is our own (Resources/hotline-stopwords.txt).
public struct StopWords: Sendable {
  public let words: Set<String>

  public init(_ words: some Sequence<String>) { self.words = Set(words) }

  /// Parses one word per line; `#` starts a comment.
  public init(parsing text: String) {
    self.init(Lexicon(parsing: text).words)
  }

  public static let hotline: StopWords = {
    guard
      let url = Bundle.module.url(
        forResource: "hotline-stopwords", withExtension: "txt", subdirectory: "Resources"),
      let text = try? String(contentsOf: url, encoding: .utf8)
    else { return StopWords([String]()) }
    return StopWords(parsing: text)
  }()

  public func contains(_ word: some StringProtocol) -> Bool { words.contains(String(word)) }

  public func adding(_ more: some Sequence<String>) -> StopWords { StopWords(words.union(more)) }

  public var count: Int { words.count }
}
