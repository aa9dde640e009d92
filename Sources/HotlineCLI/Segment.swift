import ArgumentParser

extension Hotline {
  /// Work in progress (issue 3): replaced by the segmentation command.
  struct Segment: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Segment Chinese text with ICU and the hotline lexicon (in progress).",
      shouldDisplay: false)
    func run() throws { throw CommandFailure(message: "segment is not available yet") }
  }
}
