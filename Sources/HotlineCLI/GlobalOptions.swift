import ArgumentParser
import Foundation
import HotlineImport
import HotlineReport
import HotlineStore

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
  @Option(name: .long, help: "The SQLite database file.", completion: .file(extensions: ["sqlite"]))
  var db: String = "hotline.sqlite"

  @Flag(name: .long, help: "Print JSON (stable field names, see README) and nothing else on stdout.")
  var json = false

  @Option(name: .long, help: "Seed for every random step (generation, permutation tests).")
  var seed: UInt64 = 20_251_122

  @Option(name: .long, help: "Language of printed text: zh (default) or en.")
  var lang: Language = .zh

  /// Opens the database; commands that only read pass `create: false` so a
  /// mistyped path is an error, not a new empty database.
  func openDatabase(timeZone: String? = nil, create: Bool = true) throws -> HotlineDatabase {
    if !create && !FileManager.default.fileExists(atPath: db) {
      throw CommandFailure(
        zh: "找不到数据库 \(db)（请先导入文件，或用 --db 指定数据库）",
        en: "no database at \(db) (import a file first, or pass --db)")
    }
    let dir = (db as NSString).deletingLastPathComponent
    if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    return try HotlineDatabase.open(path: db, timeZone: timeZone)
  }
}

extension Language: ExpressibleByArgument {}

/// Writes results to stdout and diagnostics to stderr.
enum Output {
  static func json(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
  }

  static func line(_ s: String) {
    FileHandle.standardOutput.write(Data((s + "\n").utf8))
  }

  static func error(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
  }

  /// Whether stderr is a terminal (progress bars go there).
  static var stderrIsTerminal: Bool { isatty(2) == 1 }
}

/// A user-facing failure: printed as one line (and as JSON with --json),
/// exit code 1, in the `--lang` language when a Chinese text is given.
struct CommandFailure: Error, CustomStringConvertible {
  var message: String
  var zh: String?
  init(message: String) { self.message = message }
  init(zh: String, en: String) {
    self.message = en
    self.zh = zh
  }
  var description: String { message }
  func text(_ lang: Language) -> String { lang == .zh ? zh ?? message : message }
}

extension GlobalOptions {
  /// Runs `body`, turning thrown errors into one clear message and exit 1.
  func guarded(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let e as ExitCode {
      throw e
    } catch let e as CleanExit {
      throw e
    } catch let e as ValidationError {
      throw e
    } catch {
      let importError = error as? ImportError
      let message = (error as? CommandFailure)?.text(lang) ?? importError?.text(lang) ?? "\(error)"
      if json {
        struct Failure: Encodable {
          var error: String
          /// The stable code of an import error (absent for other errors).
          var code: String?
        }
        try? Output.json(Failure(error: message, code: importError?.failure.code))
      }
      Output.error((lang == .zh ? "hotline：错误：" : "hotline: error: ") + message)
      throw ExitCode.failure
    }
  }
}

/// A one-line progress indicator on a terminal's stderr.
final class Progress: @unchecked Sendable {
  private let enabled: Bool
  private let label: String
  private var lastDraw = Date.distantPast
  private let start = Date()

  init(label: String, enabled: Bool) {
    self.label = label
    self.enabled = enabled && Output.stderrIsTerminal
  }

  /// Draws `done` of `total` (total nil: a counter only).
  func update(done: Int, total: Int?, unit: String) {
    guard enabled else { return }
    let now = Date()
    guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
    lastDraw = now
    let rate = Double(done) / max(now.timeIntervalSince(start), 1e-3)
    var s = "\r\(label) "
    if let total, total > 0 {
      let f = min(1, Double(done) / Double(total))
      let filled = Int(f * 30)
      s += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] "
      s += String(format: "%3.0f%% ", f * 100)
    }
    s += "\(done) \(unit) (\(Int(rate))/s)   "
    FileHandle.standardError.write(Data(s.utf8))
  }

  /// Draws a bar for a known fraction of the work (bytes of a file, say).
  func update(fraction: Double, done: Int, unit: String) {
    guard enabled else { return }
    let now = Date()
    guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
    lastDraw = now
    let f = min(1, max(0, fraction))
    let elapsed = now.timeIntervalSince(start)
    let rate = Double(done) / max(elapsed, 1e-3)
    let filled = Int(f * 30)
    var s = "\r\(label) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] "
    s += String(format: "%3.0f%% %d %@ (%d/s)", f * 100, done, unit, Int(rate))
    if f > 0.02 { s += String(format: ", ~%.0f s left   ", elapsed * (1 - f) / f) }
    FileHandle.standardError.write(Data(s.utf8))
  }

  func finish() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}

