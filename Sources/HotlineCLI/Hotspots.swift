import ArgumentParser

extension Hotline {
  struct Hotspots: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Space-time hotspots: scan statistic, Gi* with FDR and trends, daily alerts.")
    @OptionGroup var global: GlobalOptions
    func run() throws {
      try global.guarded { throw CommandFailure(message: "'hotspots' is not built yet") }
    }
  }
}
