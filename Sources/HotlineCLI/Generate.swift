import ArgumentParser
import Foundation
import HotlineCore
import HotlineReport
import HotlineSynth

extension SynthPreset: ExpressibleByArgument {}
extension SynthEncoding: ExpressibleByArgument {}

extension Hotline {
  struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a synthetic city's ticket export with its planted truth (tickets.csv, truth.json, city.json).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "tiny (~3k), small (~20k), medium (~300k) or large (~3M tickets).")
    var preset: SynthPreset = .small

    @Option(help: "Output directory.")
    var out: String

    @Option(help: "utf8 or gb18030.")
    var encoding: SynthEncoding = .utf8

    @Flag(help: "Leave the category column empty (truth keeps the categories).")
    var blankCategories = false

    @Flag(help: "A null city: no planted outbreaks, recurring classes or incidents (false-alarm measurement).")
    var nullCity = false

    func run() throws {
      try global.guarded {
        let started = Date()
        let progress = Progress(label: global.lang.pick("生成", "generating"), enabled: !global.json)
        var generator = CityGenerator(
          preset: preset, seed: global.seed, encoding: encoding, blankCategories: blankCategories)
        generator.nullCity = nullCity
        let summary = try generator.write(to: URL(fileURLWithPath: out)) { done, total in
          progress.update(done: done, total: total, unit: global.lang.pick("条", "tickets"))
        }
        progress.finish()
        if global.json {
          try Output.json(summary)
        } else {
          let seconds = Date().timeIntervalSince(started)
          Output.line(
            global.lang.pick(
              "已生成 \(summary.tickets) 条工单（\(preset.rawValue)，种子 \(global.seed)）到 \(out)，用时 \(String(format: "%.1f", seconds)) 秒",
              "Wrote \(summary.tickets) tickets (\(preset.rawValue), seed \(global.seed)) to \(out) in \(String(format: "%.1f", seconds)) s"))
        }
      }
    }
  }
}
