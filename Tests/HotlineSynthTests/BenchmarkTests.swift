import Foundation
import Testing

import HotlineSynth

/// Timing run, enabled by HOTLINE_SYNTH_BENCH=small,medium,large (release: `swift test -c release`).
/// Output goes to HOTLINE_SYNTH_BENCH_DIR or a temporary directory and is removed afterwards.
@Test(.enabled(if: ProcessInfo.processInfo.environment["HOTLINE_SYNTH_BENCH"] != nil))
func synthBenchmark() throws {
  let env = ProcessInfo.processInfo.environment
  let presets = (env["HOTLINE_SYNTH_BENCH"] ?? "").split(separator: ",").compactMap { SynthPreset(rawValue: String($0)) }
  let enc = env["HOTLINE_SYNTH_BENCH_ENCODING"].flatMap(SynthEncoding.init(rawValue:)) ?? .utf8
  for p in presets {
    let base = env["HOTLINE_SYNTH_BENCH_DIR"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
    let dir = base.appendingPathComponent("synth-bench-\(p.rawValue)")
    let s = try CityGenerator(preset: p, seed: 12345, encoding: enc).write(to: dir)
    let mb = Double(s.files["tickets.csv"] ?? 0) / 1_048_576
    print(
      "BENCH \(p.rawValue) \(enc.rawValue): \(s.tickets) tickets, \(s.callers) callers in \(String(format: "%.2f", s.seconds)) s"
        + " (\(Int(Double(s.tickets) / s.seconds)) tickets/s); tickets.csv \(String(format: "%.1f", mb)) MB;"
        + " files \(s.files)")
    if env["HOTLINE_SYNTH_BENCH_KEEP"] == nil { try? FileManager.default.removeItem(at: dir) }
  }
}
