import ArgumentParser

extension Hotline {
  struct Kpi: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Service KPIs (响应率, 按时办结率, 解决率, 满意率) by department, district or street.")
    @OptionGroup var global: GlobalOptions
    func run() throws {
      try global.guarded { throw CommandFailure(message: "'kpi' is not built yet") }
    }
  }
  struct Brief: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Briefings: leadership one-pager, weekly, monthly, special and 每月一题 reports (HTML, PDF).")
    @OptionGroup var global: GlobalOptions
    func run() throws {
      try global.guarded { throw CommandFailure(message: "'brief' is not built yet") }
    }
  }
  struct Campaigns: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Seasonal profiles, forecasts and campaign planning/evaluation.")
    @OptionGroup var global: GlobalOptions
    func run() throws {
      try global.guarded { throw CommandFailure(message: "'campaigns' is not built yet") }
    }
  }
}
