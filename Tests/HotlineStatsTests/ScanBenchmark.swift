import Foundation
import HotlineStats
import Testing

/// Speed of the space-time scan, printed (never asserted). Runs only when
/// HOTLINE_SCAN_BENCH is set, e.g. `bench/hotspots_scan.sh` (release build):
///
///     HOTLINE_SCAN_BENCH=1 swift test -c release --filter scanBenchmark
///
/// Data: 3,000 areas scattered uniformly over a 60 km × 50 km city, 365
/// days, cases drawn Poisson with a weekday effect (HOTLINE_SCAN_BENCH_CASES,
/// default 36,500 = 100 a day), space-time permutation model, circles up to
/// 3 km (about 28 areas) and 50 % of cases, windows up to 7 days, 999
/// replicates (HOTLINE_SCAN_BENCH_REPLICATES) on HOTLINE_SCAN_BENCH_THREADS
/// threads (default 2); HOTLINE_SCAN_BENCH_ANALYSIS=retrospective or
/// prospective runs only that analysis.
struct ScanBenchmark {
  @Test func scanBenchmark() throws {
    let env = ProcessInfo.processInfo.environment
    guard env["HOTLINE_SCAN_BENCH"] != nil else { return }
    let areas = Int(env["HOTLINE_SCAN_BENCH_AREAS"] ?? "") ?? 3000
    let days = 365
    let target = Int(env["HOTLINE_SCAN_BENCH_CASES"] ?? "") ?? 36_500
    let rng = GSLRandom(seed: 1)
    var x: [Double] = [], y: [Double] = []
    for _ in 0..<areas {
      x.append(rng.uniform() * 60)
      y.append(rng.uniform() * 50)
    }
    let perCell = Double(target) / Double(areas * days)
    var cases: [SpaceTimeScan.Case] = []
    for d in 0..<days {
      let weekday = d % 7 < 5 ? 1.12 : 0.7
      for z in 0..<areas {
        let n = rng.poisson(perCell * weekday)
        if n > 0 { cases.append(.init(location: z, day: d, count: n)) }
      }
    }
    var p = SpaceTimeScan.Parameters()
    p.maxRadiusKm = Double(env["HOTLINE_SCAN_BENCH_RADIUS"] ?? "") ?? 3
    p.maxDays = Int(env["HOTLINE_SCAN_BENCH_MAXDAYS"] ?? "") ?? 7
    p.replicates = Int(env["HOTLINE_SCAN_BENCH_REPLICATES"] ?? "") ?? 999
    p.threads = Int(env["HOTLINE_SCAN_BENCH_THREADS"] ?? "") ?? 2
    let total = cases.reduce(0) { $0 + Int($1.count) }
    let only = env["HOTLINE_SCAN_BENCH_ANALYSIS"]
    let analyses = [SpaceTimeScan.Analysis.retrospective, .prospective].filter { only == nil || only == $0.rawValue }
    for analysis in analyses {
      p.analysis = analysis
      let t0 = Date()
      var c0 = timespec()
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0)
      let r = try SpaceTimeScan(parameters: p).run(x: x, y: y, days: days, cases: cases)
      var c1 = timespec()
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1)
      let wall = Date().timeIntervalSince(t0)
      let cpu = Double(c1.tv_sec - c0.tv_sec) + Double(c1.tv_nsec - c0.tv_nsec) / 1e9
      // A fingerprint of every replicate maximum (bit for bit), to check
      // that a faster kernel finds the same maxima.
      var fingerprint: UInt64 = 0xcbf2_9ce4_8422_2325
      for m in r.replicateMaxima { fingerprint = (fingerprint ^ m.bitPattern) &* 0x100_0000_01b3 }
      print(
        String(
          format: "scan %@: %d areas x %d days, %d cases, radius %.1f km, max %d days, %d replicates, %d threads: wall %.2f s, cpu %.2f s (top LLR %.3f, p %.3f, maxima %016llx)",
          analysis.rawValue, areas, days, total, p.maxRadiusKm, p.maxDays, r.replicateMaxima.count, p.threads, wall,
          cpu, r.clusters.first?.llr ?? 0, r.clusters.first?.pValue ?? 1, fingerprint))
    }
  }
}
