import ArgumentParser

@main
struct Hotline: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hotline",
    abstract: "Mine 12345 hotline tickets for hotspots.",
    version: "0.1.0")
}
