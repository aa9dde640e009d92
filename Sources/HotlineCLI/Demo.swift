import ArgumentParser
import Foundation
import HotlineAnalysis
import HotlineReport
import HotlineStore

extension Hotline {
  struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The main job on the bundled sample (or a generated city): import → summarise → topics → analyse → briefings.",
      discussion: "Writes everything under --out (default demo-out) and starts from a fresh database.")

    @Option(help: "Working directory for the demo's files.")
    var out = "demo-out"

    @Option(help: "The export to import (default: the bundled sample, datasets/sample/tickets.csv, found from the working directory or the executable's; else a generated city).")
    var sample: String?

    @Flag(help: "Generate a synthetic city instead of using the bundled sample.")
    var generate = false

    @Option(help: "Synthetic city size when generating.")
    var preset: String = "small"

    @Option(help: "Seed for the synthetic city.")
    var seed: UInt64 = 20_251_122

    @Option(help: "Language: zh or en.")
    var lang: String = "zh"

    func run() throws {
      let fm = FileManager.default
      try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
      let city = (out as NSString).appendingPathComponent("city")
      let db = (out as NSString).appendingPathComponent("hotline.sqlite")
      for suffix in ["", "-wal", "-shm", ".key"] { try? fm.removeItem(atPath: db + suffix) }
      let zh = lang != "en"
      func step(_ zhText: String, _ enText: String) { Output.line("\n=== " + (zh ? zhText : enText)) }

      var export = sample
      if export == nil && !generate { export = Self.bundledSample() }
      if let export {
        step("1. 使用样例数据 \(export)", "1. Using the sample export \(export)")
      } else {
        step("1. 生成合成城市（\(preset)，种子 \(seed)）", "1. Generating a synthetic city (\(preset), seed \(seed))")
        let generate = try Generate.parse([
          "--preset", preset, "--seed", "\(seed)", "--out", city, "--lang", lang,
        ])
        try generate.run()
        export = (city as NSString).appendingPathComponent("tickets.csv")
      }

      step("2. 导入工单", "2. Importing the export")
      let importer = try Import.parse([export!, "--db", db, "--lang", lang, "--rejects-dir", out])
      try importer.run()

      step("3. 概况", "3. Summary")
      let stats = try Stats.parse(["--db", db, "--lang", lang, "--top", "10"])
      try stats.run()
      step("4. 主题（GSDMM，种子 \(seed)，列出最大的 15 个）", "4. Topics (GSDMM, seed \(seed), the 15 largest)")
      let topics = try Topics.parse(["--db", db, "--lang", lang, "--seed", "\(seed)", "--top", "15"])
      try topics.run()
      step(
        "5. 分析：热点（全年）、类案、联合研判、不合规诉求、服务指标与简报",
        "5. Analysis: hotspots (the whole year), recurring classes, joint review, out-of-scope requests, KPIs and briefings")
      // The whole year is scanned for hotspots (a small sample has few in
      // its last 30 days); each briefing lists those of its own month.
      let analyze = try Analyze.parse([
        "--db", db, "--out", out, "--seed", "\(seed)", "--lang", lang, "--hotspot-days", "366",
      ])
      try analyze.run()
      let written = ["leadership.html", "monthly.html"].map { (out as NSString).appendingPathComponent($0) }
      Output.line(
        "\n" + (zh ? "数据库：\(db)（可继续运行 hotline stats --db \(db)）" : "Database: \(db) (try hotline stats --db \(db))"))
      Output.line(zh ? "简报（用浏览器打开）：" + written.joined(separator: "、") : "Briefings (open in a browser): " + written.joined(separator: ", "))
    }

    /// The bundled sample, `datasets/sample/tickets.csv`, found from the
    /// working directory or the executable's directory, walking up (as the
    /// gazetteer is found), so the demo runs from anywhere in a checkout.
    static func bundledSample() -> String? {
      let relative = "datasets/sample/tickets.csv"
      let fm = FileManager.default
      if fm.fileExists(atPath: relative) { return relative }
      var starts = [URL(fileURLWithPath: fm.currentDirectoryPath)]
      if let exe = Bundle.main.executableURL { starts.append(exe.resolvingSymlinksInPath().deletingLastPathComponent()) }
      for start in starts {
        var dir = start
        for _ in 0..<6 {
          let u = dir.appendingPathComponent(relative)
          if fm.fileExists(atPath: u.path) { return u.path }
          dir = dir.deletingLastPathComponent()
        }
      }
      return nil
    }
  }
}
