import ArgumentParser

extension Hotline {
  struct Callers: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Repeat callers for joint review (联合研判): evidence, never a verdict.")
    @OptionGroup var global: GlobalOptions
    func run() throws {
      try global.guarded { throw CommandFailure(message: "'callers' is not built yet") }
    }
  }
  struct Scope: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Out-of-scope requests (不合理不合规诉求), flagged, never rejected.")
    @OptionGroup var global: GlobalOptions
    func run() throws {
      try global.guarded { throw CommandFailure(message: "'scope' is not built yet") }
    }
  }
}
