import ArgumentParser
import Foundation
import HotlineCore
import HotlineImport
import HotlineReport
import HotlineStore

extension ImportFormat: ExpressibleByArgument {}
extension EncodingChoice: ExpressibleByArgument {}

extension Hotline {
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Import ticket exports (CSV, JSONL, XLSX, Open311, NYC 311) into the database.",
      discussion: """
        Rows that cannot be used are reported as file:line [column]: reason and written,
        with personal numbers masked, to FILE.rejects.csv next to the database; every good
        row still lands. Re-importing a file adds nothing twice: a known ticket id with
        changed fields is updated (the later export wins). Each batch is one transaction.
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Export files to import.", completion: .file())
    var files: [String]

    @Option(help: "auto, csv, jsonl, xlsx, open311 or nyc311.")
    var format: ImportFormat = .auto

    @Option(help: "A YAML mapping file: source column names for canonical fields.")
    var mapping: String?

    @Option(help: "auto, utf-8 or gb18030.")
    var encoding: EncodingChoice = .auto

    @Option(help: "The XLSX sheet to read (default: the first).")
    var sheet: String?

    @Option(help: "Time zone of naive export times (default: the database's, Asia/Shanghai; NYC 311: America/New_York).")
    var timezone: String?

    @Flag(help: "Print the mapping and the first rows as read; write nothing.")
    var dryRun = false

    @Option(help: "Rows shown by --dry-run.")
    var rows = 5

    @Option(help: "Directory for rejects files (default: the database's directory).")
    var rejectsDir: String?

    @Option(help: "Tickets per transaction.")
    var batchSize = 20_000

    func validate() throws {
      guard !files.isEmpty else { throw ValidationError("Name at least one file to import.") }
      guard batchSize > 0 else { throw ValidationError("'--batch-size' must be positive.") }
      if let tz = timezone, TimeZone(identifier: tz) == nil {
        throw ValidationError("Unknown time zone '\(tz)'.")
      }
    }

    func run() throws {
      try global.guarded {
        let mappingFile = try mapping.map { try MappingFile.load(path: $0) }
        if dryRun {
          try runDry(mappingFile)
          return
        }
        // A new database takes its zone from --timezone, else from the first
        // file (NYC 311 exports are New York time, a mapping may name one).
        var zone = timezone
        if zone == nil && !FileManager.default.fileExists(atPath: global.db) {
          let probe = try TicketReader(
            path: files[0],
            options: ImportOptions(
              format: format, encoding: encoding, mapping: mappingFile, sheet: sheet,
              keyer: CallerKeyer(secret: HotlineDatabaseSecret.ephemeral)))
          zone = probe.timeZone
        }
        let db = try global.openDatabase(timeZone: zone)
        let keyer = CallerKeyer(secret: try db.callerSecret())
        var reports: [FileImportReport] = []
        for file in files {
          var options = ImportOptions(
            format: format, encoding: encoding, mapping: mappingFile, sheet: sheet, keyer: keyer)
          options.defaultClock = db.clock
          if let tz = timezone { options.clock = ZoneClock(identifier: tz) }
          let report = try importFile(file, options: options, db: db)
          reports.append(report)
          if !global.json { Output.line(report.text(global.lang)) }
        }
        let totals = ImportTotals(reports)
        if global.json {
          try Output.json(ImportJSON(files: reports, totals: totals))
        } else if reports.count > 1 {
          Output.line(totals.text(global.lang))
        }
      }
    }

    // MARK: - One file

    func importFile(_ file: String, options: ImportOptions, db: HotlineDatabase) throws
      -> FileImportReport
    {
      let started = Date()
      let reader = try TicketReader(path: file, options: options)
      let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
      let run = try db.beginImportRun(
        file: file, fileSize: size, format: reader.format.rawValue, encoding: reader.encoding)
      let rejects = RejectsWriter(source: file, directory: rejectsDir ?? dbDirectory(), lang: global.lang)
      let progress = Progress(label: (file as NSString).lastPathComponent, enabled: !global.json)
      var counts = UpsertCounts()
      var read = 0
      var rejected = 0
      var firstErrors: [RowRejection] = []
      // Reading and converting overlap with writing: one thread reads the
      // next batch while this one writes the current one.
      let pipe = BatchPipe(reader: reader, batchSize: batchSize)
      do {
        while let outcomes = try pipe.next() {
          var batch: [SourcedTicket] = []
          batch.reserveCapacity(outcomes.count)
          for o in outcomes {
            switch o {
            case .ticket(let t, let line):
              batch.append(SourcedTicket(ticket: t, file: file, line: line))
            case .rejected(let r):
              rejected += 1
              if firstErrors.count < 20 { firstErrors.append(r) }
              if !global.json && firstErrors.count <= 20 {
                progress.finish()
                Output.error(r.text(global.lang))
              }
              try rejects.write(r)
            }
          }
          read += outcomes.count
          counts += try db.upsert(batch, importRun: run)
          if let (bytes, produced) = pipe.readerPosition, let size, size > 0, bytes > 0 {
            // The reader runs ahead: estimate the file's rows from its bytes per row.
            let estimated = Double(produced) * Double(size) / Double(bytes)
            progress.update(fraction: Double(read) / max(estimated, 1), done: read, unit: global.lang.pick("行", "rows"))
          } else {
            progress.update(done: read, total: nil, unit: global.lang.pick("行", "rows"))
          }
        }
      } catch {
        progress.finish()
        try? rejects.close()
        try? db.finishImportRun(run, read: read, counts: counts, rejected: rejected, status: "failed")
        throw error
      }
      progress.finish()
      try rejects.close()
      try db.finishImportRun(run, read: read, counts: counts, rejected: rejected)
      let seconds = Date().timeIntervalSince(started)
      return FileImportReport(
        file: file, format: reader.format.rawValue, encoding: reader.encoding, read: read,
        imported: counts.imported, updated: counts.updated, unchanged: counts.unchanged,
        rejected: rejected, rejectsFile: rejects.path, seconds: seconds,
        rowsPerSecond: seconds > 0 ? Double(read) / seconds : 0,
        errors: firstErrors.map { ImportErrorJSON($0, lang: global.lang) },
        warnings: WarningJSON.list(reader.stats.warningCounts, lang: global.lang))
    }

    func dbDirectory() -> String {
      let dir = (global.db as NSString).deletingLastPathComponent
      return dir.isEmpty ? "." : dir
    }

    // MARK: - Dry run

    func runDry(_ mappingFile: MappingFile?) throws {
      let keyer = CallerKeyer(secret: HotlineDatabaseSecret.ephemeral)
      var out: [DryRunJSON] = []
      for file in files {
        var options = ImportOptions(
          format: format, encoding: encoding, mapping: mappingFile, sheet: sheet, keyer: keyer)
        if let tz = timezone { options.clock = ZoneClock(identifier: tz) }
        let reader = try TicketReader(path: file, options: options)
        let outcomes = try reader.next(maxRows: rows) ?? []
        let mapping = reader.resolvedMapping.map { MappingJSON(field: $0.field, column: $0.column) }
        let clock = options.clock ?? ZoneClock.shanghai
        let shown = outcomes.map { o -> DryRowJSON in
          switch o {
          case .ticket(var t, let line):
            // The dry run's secret is thrown away, so its keys mean nothing.
            t.callerKey = nil
            return DryRowJSON(line: line, ticket: TicketJSON(t, clock: clock), rejection: nil)
          case .rejected(let r):
            return DryRowJSON(line: r.line, ticket: nil, rejection: ImportErrorJSON(r, lang: global.lang))
          }
        }
        out.append(DryRunJSON(file: file, format: reader.format.rawValue, encoding: reader.encoding, mapping: mapping, rows: shown))
      }
      if global.json {
        try Output.json(out.count == 1 ? AnyEncodable(out[0]) : AnyEncodable(out))
        return
      }
      for d in out {
        Output.line("\(d.file): \(global.lang.pick("格式", "format")) \(d.format), \(global.lang.pick("编码", "encoding")) \(d.encoding)")
        Output.line(global.lang.pick("字段映射", "Mapping") + ":")
        for m in d.mapping { Output.line("  \(m.field) ← \(m.column)") }
        Output.line(global.lang.pick("前几行", "First rows") + ":")
        for r in d.rows {
          if let t = r.ticket {
            Output.line("  \(global.lang.pick("第", "line "))\(r.line)\(global.lang.pick("行", "")): \(t.id) \(t.receivedAt) \(t.district ?? "") \(t.category) \(t.text.prefix(40))")
          } else if let e = r.rejection {
            Output.line("  \(global.lang.pick("第", "line "))\(r.line)\(global.lang.pick("行", "")): \(global.lang.pick("拒收", "rejected")) [\(e.column ?? "-")] \(e.message)")
          }
        }
      }
    }
  }
}

/// A throwaway secret for --dry-run (nothing is stored).
enum HotlineDatabaseSecret {
  static var ephemeral: [UInt8] {
    var g = SystemRandomNumberGenerator()
    return (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
  }
}

// MARK: - Pipeline

/// Reads batches on a background thread, one batch ahead of the writer.
final class BatchPipe: @unchecked Sendable {
  private let reader: TicketReader
  private let batchSize: Int
  private let condition = NSCondition()
  private var queue: [Result<[RowOutcome]?, any Error>] = []
  private var finished = false
  private var cancelled = false

  init(reader: TicketReader, batchSize: Int) {
    self.reader = reader
    self.batchSize = batchSize
    let thread = Thread { [self] in produce() }
    thread.stackSize = 8 << 20
    thread.start()
  }

  deinit {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }

  private func produce() {
    while true {
      let item: Result<[RowOutcome]?, any Error> = Result { try reader.next(maxRows: batchSize) }
      let bytes = reader.bytesRead
      condition.lock()
      lastBytes = bytes
      if case .success(.some(let rows)) = item { producedRows += rows.count }
      while queue.count >= 2 && !cancelled { condition.wait() }
      if cancelled {
        condition.unlock()
        return
      }
      queue.append(item)
      condition.broadcast()
      condition.unlock()
      switch item {
      case .success(.some): continue
      default: return
      }
    }
  }

  /// Bytes of the file the reader has consumed and rows it has produced
  /// (it runs a batch or two ahead of the writer).
  var readerPosition: (bytes: Int, rows: Int)? {
    condition.lock()
    defer { condition.unlock() }
    return lastBytes.map { ($0, producedRows) }
  }
  private var lastBytes: Int?
  private var producedRows = 0

  /// The next batch; nil at the end of the file.
  func next() throws -> [RowOutcome]? {
    condition.lock()
    defer { condition.unlock() }
    if finished { return nil }
    while queue.isEmpty { condition.wait() }
    let item = queue.removeFirst()
    condition.broadcast()
    switch item {
    case .success(let batch):
      if batch == nil { finished = true }
      return batch
    case .failure(let e):
      finished = true
      throw e
    }
  }
}

// MARK: - Rejects file

/// Writes rejected rows (already masked) to `<name>.rejects.csv`, created on
/// the first rejection only.
/// The reason column is in `lang` (file, line and column as they are).
final class RejectsWriter {
  let path: String
  let lang: Language
  private var handle: FileHandle?

  init(source: String, directory: String, lang: Language) {
    self.lang = lang
    let name = (source as NSString).lastPathComponent
    path = (directory as NSString).appendingPathComponent(name + ".rejects.csv")
  }

  func write(_ r: RowRejection) throws {
    if handle == nil {
      _ = FileManager.default.createFile(atPath: path, contents: nil)
      guard let h = FileHandle(forWritingAtPath: path) else {
        throw CommandFailure(zh: "无法写入拒收文件 \(path)", en: "cannot write rejects file \(path)")
      }
      handle = h
      h.write(Data("file,line,column,reason,record\n".utf8))
    }
    let fields = [r.file, "\(r.line)", r.column ?? "", r.problem.text(lang)] + r.record
    handle?.write(Data((fields.map(csvQuote).joined(separator: ",") + "\n").utf8))
  }

  func close() throws {
    try handle?.close()
    handle = nil
  }

  /// Whether anything was written.
  var written: Bool { FileManager.default.fileExists(atPath: path) }
}

func csvQuote(_ s: String) -> String {
  if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
  return s
}

// MARK: - Reports and JSON

/// A rejected row in JSON: `reason` is always English (stable), `code` the
/// stable machine code, `message` the reason in the `--lang` language.
struct ImportErrorJSON: Codable {
  var file: String
  var line: Int
  var column: String?
  var reason: String
  var code: String
  var message: String

  init(_ r: RowRejection, lang: Language) {
    file = r.file
    line = r.line
    column = r.column
    reason = r.reason
    code = r.problem.code
    message = r.problem.text(lang)
  }
}

/// Values dropped from kept rows, by source column and reason.
struct WarningJSON: Codable {
  var column: String
  var code: String
  var message: String
  var count: Int

  /// Most frequent first, then by column and code (deterministic).
  static func list(_ counts: [ImportWarning: Int], lang: Language) -> [WarningJSON] {
    counts.map { WarningJSON(column: $0.key.column, code: $0.key.reason.code, message: $0.key.reason.text(lang), count: $0.value) }
      .sorted { ($1.count, $0.column, $0.code) < ($0.count, $1.column, $1.code) }
  }
}

struct FileImportReport: Codable {
  var file: String
  var format: String
  var encoding: String
  var read: Int
  var imported: Int
  var updated: Int
  var unchanged: Int
  var rejected: Int
  var rejectsFile: String?
  var seconds: Double
  var rowsPerSecond: Double
  var errors: [ImportErrorJSON]
  var warnings: [WarningJSON]

  enum CodingKeys: String, CodingKey {
    case file, format, encoding, read, imported, updated, unchanged, rejected, seconds, errors, warnings
    case rejectsFile = "rejects_file"
    case rowsPerSecond = "rows_per_second"
  }

  init(
    file: String, format: String, encoding: String, read: Int, imported: Int, updated: Int,
    unchanged: Int, rejected: Int, rejectsFile: String, seconds: Double, rowsPerSecond: Double,
    errors: [ImportErrorJSON], warnings: [WarningJSON]
  ) {
    self.file = file
    self.format = format
    self.encoding = encoding
    self.read = read
    self.imported = imported
    self.updated = updated
    self.unchanged = unchanged
    self.rejected = rejected
    self.rejectsFile = rejected > 0 ? rejectsFile : nil
    self.seconds = seconds
    self.rowsPerSecond = rowsPerSecond
    self.errors = errors
    self.warnings = warnings
  }

  func text(_ lang: Language) -> String {
    var s = lang.pick(
      "\(file): 读取 \(read) 行 = 新增 \(imported) + 更新 \(updated) + 重复未变 \(unchanged) + 拒收 \(rejected)",
      "\(file): read \(read) = imported \(imported) + updated \(updated) + unchanged \(unchanged) + rejected \(rejected)")
    s += String(format: lang.pick("（%.1f 秒，%.0f 行/秒，格式 %@，编码 %@）", " (%.1f s, %.0f rows/s, format %@, encoding %@)"), seconds, rowsPerSecond, format, encoding)
    if let rejectsFile { s += "\n  " + lang.pick("拒收行已写入 ", "rejected rows written to ") + rejectsFile }
    if !warnings.isEmpty {
      let total = warnings.map(\.count).reduce(0, +)
      s += "\n  " + lang.pick("警告 \(total) 处（所在行照常导入）：", "warnings: \(total) (the rows were kept):")
      for w in warnings { s += "\n    \(w.column): \(w.message) × \(w.count)" }
    }
    return s
  }
}

struct ImportTotals: Codable {
  var files: Int
  var read: Int
  var imported: Int
  var updated: Int
  var unchanged: Int
  var rejected: Int

  init(_ r: [FileImportReport]) {
    files = r.count
    read = r.map(\.read).reduce(0, +)
    imported = r.map(\.imported).reduce(0, +)
    updated = r.map(\.updated).reduce(0, +)
    unchanged = r.map(\.unchanged).reduce(0, +)
    rejected = r.map(\.rejected).reduce(0, +)
  }

  func text(_ lang: Language) -> String {
    lang.pick(
      "合计 \(files) 个文件：读取 \(read) = 新增 \(imported) + 更新 \(updated) + 重复未变 \(unchanged) + 拒收 \(rejected)",
      "Total \(files) files: read \(read) = imported \(imported) + updated \(updated) + unchanged \(unchanged) + rejected \(rejected)")
  }
}

struct ImportJSON: Encodable {
  var files: [FileImportReport]
  var totals: ImportTotals
}

struct MappingJSON: Codable {
  var field: String
  var column: String
}

struct DryRowJSON: Encodable {
  var line: Int
  var ticket: TicketJSON?
  var rejection: ImportErrorJSON?
}

struct DryRunJSON: Encodable {
  var file: String
  var format: String
  var encoding: String
  var mapping: [MappingJSON]
  var rows: [DryRowJSON]
}

struct AnyEncodable: Encodable {
  let value: any Encodable
  init(_ value: some Encodable) { self.value = value }
  func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

/// A ticket as printed in JSON (stable snake_case names, local ISO times).
struct TicketJSON: Encodable {
  var id: String
  var receivedAt: String
  var dispatchedAt: String?
  var deadlineAt: String?
  var closedAt: String?
  var caller: String?
  var callerKey: String?
  var channel: String?
  var kind: String?
  var category: String
  var title: String?
  var text: String
  var district: String?
  var street: String?
  var community: String?
  var address: String?
  var lon: Double?
  var lat: Double?
  var crs: String?
  var departments: [String]
  var transferCount: Int?
  var status: String?
  var resolution: String?
  var satisfaction: String?
  var parentId: String?

  enum CodingKeys: String, CodingKey {
    case id, caller, channel, kind, category, title, text, district, street, community, address, lon,
      lat, crs, departments, status, resolution, satisfaction
    case receivedAt = "received_at"
    case dispatchedAt = "dispatched_at"
    case deadlineAt = "deadline_at"
    case closedAt = "closed_at"
    case callerKey = "caller_key"
    case transferCount = "transfer_count"
    case parentId = "parent_id"
  }

  init(_ t: Ticket, clock: ZoneClock) {
    id = t.id
    receivedAt = clock.iso8601(t.receivedAt)
    dispatchedAt = t.dispatchedAt.map(clock.iso8601)
    deadlineAt = t.deadlineAt.map(clock.iso8601)
    closedAt = t.closedAt.map(clock.iso8601)
    caller = t.callerMask
    callerKey = t.callerKey
    channel = t.channel
    kind = t.kind?.rawValue
    category = t.categoryPath
    title = t.title
    text = t.text
    district = t.district
    street = t.street
    community = t.community
    address = t.address
    lon = t.location?.lon
    lat = t.location?.lat
    crs = t.sourceCRS?.rawValue
    departments = t.departments
    transferCount = t.transferCount
    status = t.status
    resolution = t.resolution?.rawValue
    satisfaction = t.satisfaction
    parentId = t.parentId
  }
}
