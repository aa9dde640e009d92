import ArgumentParser

extension Hotline {
  /// Work in progress (issue 3): replaced by the topics command.
  struct Topics: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Cluster tickets into labelled topics (in progress).", shouldDisplay: false)
    func run() throws { throw CommandFailure(message: "topics is not available yet") }
  }
}
