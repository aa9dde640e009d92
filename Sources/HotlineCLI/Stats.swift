import ArgumentParser
import HotlineAnalysis
import HotlineCore
import HotlineReport
import HotlineStore

extension Hotline {
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "A first look at a database: counts by month, district, category, channel and kind.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Rows per breakdown.") var top = 20

    func validate() throws {
      guard top > 0 else { throw ValidationError("'--top' must be positive.") }
    }

    func run() throws {
      try global.guarded {
        let db = try global.openDatabase(create: false)
        let summary = try db.summary(top: top)
        let concentration = CallerConcentration(ticketsPerCaller: try db.ticketsPerCaller())
        if global.json {
          try Output.json(StatsJSON(summary: summary, callerConcentration: concentration))
        } else {
          Output.line(SummaryRenderer.text(summary, concentration: concentration, language: global.lang))
        }
      }
    }
  }
}

/// `hotline stats --json`.
struct StatsJSON: Encodable {
  var summary: DatabaseSummary
  var callerConcentration: CallerConcentration

  enum CodingKeys: String, CodingKey {
    case summary
    case callerConcentration = "caller_concentration"
  }
}
