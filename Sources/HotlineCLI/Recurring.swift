import ArgumentParser

extension Hotline {
  struct Recurring: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Recurring problem classes (类案, 每月一题) with their evidence tickets.")
    @OptionGroup var global: GlobalOptions
    func run() throws {
      try global.guarded { throw CommandFailure(message: "'recurring' is not built yet") }
    }
  }
  struct Incidents: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Same-incident groups (并单) with a confidence.")
    @OptionGroup var global: GlobalOptions
    func run() throws {
      try global.guarded { throw CommandFailure(message: "'incidents' is not built yet") }
    }
  }
}
