import ArgumentParser

@main
struct Hotline: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hotline",
    abstract: "Mine 12345 hotline tickets (工单) for hotspots, recurring problems and repeat callers.",
    discussion: """
      Chinese is the default language of everything printed (--lang en for English).
      Every command takes --db PATH (default hotline.sqlite) and --json.
      """,
    version: "0.1.0",
    subcommands: [
      Import.self, Generate.self, Stats.self, Topics.self, Hotspots.self, Recurring.self, Incidents.self,
      Callers.self, Scope.self, Kpi.self, Brief.self, Campaigns.self, Analyze.self, Segment.self, Demo.self,
    ])
}
