/// The language of everything a user reads. Chinese is the default.
///
/// Lives in the core so that every module that renders text for people
/// (import messages, reports, the CLI) takes the same parameter.
public enum Language: String, Sendable, CaseIterable, Codable {
  case zh, en

  /// Picks the Chinese or English text.
  public func pick(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}
