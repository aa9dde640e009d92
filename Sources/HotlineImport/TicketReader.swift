import Foundation
import HotlineCore
import HotlineText

/// Streams one export file as tickets or row rejections.
///
/// ```swift
/// let reader = try TicketReader(path: "tickets.csv", options: ImportOptions(keyer: keyer))
/// while let rows = try reader.next(maxRows: 50_000) {
///   for row in rows { … }
/// }
/// ```
/// The initialiser reads the header (or the first record) and throws an
/// `ImportError` naming the file when it is not a usable table. `next` returns
/// rows in file order; memory is bounded by the batch size (CSV/JSONL stream in
/// 4 MiB chunks; a JSON document or XLSX sheet is held in memory as bytes).
public final class TicketReader {
  public let path: String
  /// The format in use (`nyc311`/`open311` when their headers were recognised).
  public private(set) var format: ImportFormat
  /// The charset the bytes are read as (`UTF-8`, `GB18030`, …; `n/a` for XLSX).
  public let encoding: String
  /// The XLSX sheet read, if any.
  public private(set) var sheet: String?
  /// Running counts (records, tickets, rejections, warnings).
  public private(set) var stats = ImportStats()

  /// Canonical field → source column(s) (joined with " + "), then
  /// `("(unmapped)", column)` for every column no field uses.
  public var resolvedMapping: [(field: String, column: String)] { plan.resolved }
  /// The source columns in file order.
  public var columns: [String] { plan.columns }
  /// Bytes of the file consumed so far, for progress bars (`nil` for
  /// formats read whole: JSON documents and XLSX).
  public var bytesRead: Int? {
    switch source {
    case .csv(let s): s.source.bytesRead
    case .jsonLines(let s): s.bytesRead
    default: nil
    }
  }

  /// The zone naive times are read in.
  public var timeZone: String { plan.clock.timeZone.identifier }

  private enum Source {
    case csv(CSVScanner)
    case jsonLines(ByteSource)
    case jsonArray(JSONArraySource)
    case xlsx(XLSXReader)
  }

  private var source: Source
  private var plan: ColumnPlan
  private let caches: [KeyCache]
  private let threads: Int
  private let mapping: MappingFile?
  private var pending: [(line: Int, fields: [String], problem: RejectionReason?)] = []
  private var keyIndex: [String: Int] = [:]
  // JSONL line buffer
  private var lineBuf: [UInt8] = []
  private var linePos = 0
  private var lineNo = 1

  public init(path: String, options: ImportOptions) throws {
    self.path = path
    let file = path
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
      throw ImportError(file: file, .fileNotFound)
    }
    if isDir.boolValue { throw ImportError(file: file, .isDirectory) }
    guard let fh = FileHandle(forReadingAtPath: path) else {
      throw ImportError(file: file, .permissionDenied)
    }
    let sample = [UInt8](fh.readData(ofLength: 65_536))
    try? fh.close()
    if sample.isEmpty { throw ImportError(file: file, .emptyFile) }

    let mapping = options.mapping
    self.mapping = mapping
    var format = options.format != .auto ? options.format : (mapping?.format ?? .auto)
    let ext = (path as NSString).pathExtension.lowercased()
    let isZip = sample.count >= 4 && sample[0] == 0x50 && sample[1] == 0x4B && sample[2] == 3 && sample[3] == 4
    if format == .auto {
      if isZip || ext == "xlsx" || ext == "xlsm" {
        format = .xlsx
      } else if ext == "jsonl" || ext == "ndjson" || ext == "json" {
        format = .jsonl
      } else {
        let first = sample.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
        format = (first == 0x5B || first == 0x7B) ? .jsonl : .csv
      }
    }
    if format == .xlsx && !isZip {
      throw ImportError(file: file, .noZipSignature)
    }
    if format != .xlsx {
      if isZip { throw ImportError(file: file, .zipNotTable) }
      if sample.contains(0) {
        throw ImportError(file: file, .binary)
      }
    }
    // Encoding.
    let choice = options.encoding != .auto ? options.encoding : (mapping?.encoding ?? .auto)
    let charset: String
    switch (format, choice) {
    case (.xlsx, _): charset = "n/a"
    case (_, .utf8): charset = "UTF-8"
    case (_, .gb18030): charset = "GB18030"
    case (_, .auto): charset = TextDecoding.detect(sample).charset
    }
    encoding = charset
    let maxThreads = options.threads > 0 ? options.threads : ProcessInfo.processInfo.activeProcessorCount
    threads = max(1, min(maxThreads, 8))
    caches = (0..<threads).map { _ in KeyCache(keyer: options.keyer) }

    // Header.
    var header: [String]
    switch format {
    case .xlsx:
      let x = try XLSXReader(path: path, sheet: options.sheet ?? mapping?.sheet)
      sheet = x.sheetName
      guard let (_, h) = x.nextRow() else {
        throw ImportError(file: file, .emptySheet(x.sheetName))
      }
      header = h
      source = .xlsx(x)
    case .csv, .nyc311:
      let scanner = CSVScanner(
        source: try ByteSource(path: path, charset: charset), maxLines: options.maxLinesPerField)
      guard let (h, _) = scanner.readHeader(), h.contains(where: { !$0.isEmpty }) else {
        throw ImportError(file: file, .noHeader)
      }
      header = h
      source = .csv(scanner)
    case .jsonl, .open311, .auto:
      // JSON Lines or a JSON document (array / {"service_requests": [...]}).
      let trimmed = sample.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
      let firstLineEnd = trimmed.firstIndex(of: 0x0A) ?? trimmed.endIndex
      var lineIsObject = false
      if trimmed.first == 0x7B {
        let line = Array(trimmed[trimmed.startIndex..<firstLineEnd])
        lineIsObject = line.withUnsafeBufferPointer { p in
          var s = JSONScanner(p)
          return (try? s.object()) != nil
        }
      }
      header = []
      if trimmed.first == 0x7B && lineIsObject {
        source = .jsonLines(try ByteSource(path: path, charset: charset))
      } else if trimmed.first == 0x5B || trimmed.first == 0x7B {
        source = .jsonArray(try JSONArraySource(path: path, charset: charset))
      } else {
        throw ImportError(file: file, .notJSONRecords)
      }
      plan = ColumnPlan(
        file: file, columns: [], fields: [:], profile: .generic, clock: .shanghai, textSeparator: "\n",
        defaultCRS: nil, phoneColumns: [], timeColumns: [])
      self.format = format
      // The first record gives the columns.
      guard let first = try nextJSONRecord() else {
        throw ImportError(file: file, .noJSONRecords)
      }
      if let problem = first.problem {
        throw ImportError(file: file, .badFirstRecord(line: first.line, problem))
      }
      header = first.keys
      for (i, k) in header.enumerated() where keyIndex[k] == nil { keyIndex[k] = i }
      pending.append((first.line, first.values, nil))
    }

    let norm = Set(header.map(HeaderName.normalize))
    var profile = Profile.generic
    if format == .nyc311 || (format == .csv && Synonyms.isNYC(norm)) {
      profile = .nyc311
      format = .nyc311
    } else if format == .open311 || (format == .jsonl && Synonyms.isOpen311(norm)) {
      profile = .open311
      format = .open311
    }
    self.format = format
    let clock: ZoneClock =
      options.clock ?? mapping?.timezone.flatMap { ZoneClock(identifier: $0) }
      ?? (profile == .nyc311 ? ZoneClock(identifier: "America/New_York")! : options.defaultClock ?? .shanghai)
    plan = try ColumnPlan.build(header: header, profile: profile, mapping: mapping, clock: clock, file: file)
    if case .csv(let s) = source, header.count == 1, !plan.cols(.id).isEmpty, plan.cols(.receivedAt) == plan.cols(.id) {
      _ = s
    }
  }

  /// The next rows (up to `maxRows` records), or `nil` at end of file.
  public func next(maxRows: Int = 65_536) throws -> [RowOutcome]? {
    var batch = RecordBatch()
    let limit = max(1, maxRows)
    switch source {
    case .csv(let scanner):
      _ = scanner.next(into: &batch, maxRows: limit)
    case .xlsx(let x):
      while batch.records.count < limit, let (row, cells) = x.nextRow() {
        var fields = cells
        var problem: RejectionReason? = nil
        if fields.count < plan.columns.count {
          fields += Array(repeating: "", count: plan.columns.count - fields.count)
        } else if fields.count > plan.columns.count {
          if fields[plan.columns.count...].allSatisfy({ $0.isEmpty }) {
            fields.removeLast(fields.count - plan.columns.count)
          } else {
            problem = .cellCount(expected: plan.columns.count, found: fields.count)
          }
        }
        batch.addRecord(line: row, fields: fields, problem: problem)
      }
    case .jsonLines, .jsonArray:
      while batch.records.count < limit {
        if !pending.isEmpty {
          let p = pending.removeFirst()
          batch.addRecord(line: p.line, fields: p.fields, problem: p.problem)
          continue
        }
        guard let r = try nextJSONRecord() else { break }
        if let problem = r.problem {
          batch.addRecord(line: r.line, fields: r.values, problem: problem)
          continue
        }
        var fields = [String](repeating: "", count: plan.columns.count)
        var grew = false
        for (k, v) in zip(r.keys, r.values) {
          if let i = keyIndex[k] {
            fields[i] = v
          } else {
            keyIndex[k] = plan.columns.count
            plan.columns.append(k)
            fields.append(v)
            grew = true
          }
        }
        if grew {
          // A key first seen here may name a canonical field: re-resolve. Columns
          // only grow at the end, so records already in the batch stay aligned.
          plan = try ColumnPlan.build(
            header: plan.columns, profile: plan.profile, mapping: mapping, clock: plan.clock, file: path)
        }
        batch.addRecord(line: r.line, fields: fields)
      }
    }
    if batch.records.isEmpty { return nil }
    let outcomes = convert(batch)
    stats.records += outcomes.count
    for o in outcomes {
      if case .ticket = o { stats.tickets += 1 } else { stats.rejected += 1 }
    }
    return outcomes
  }

  /// Reads the whole file (convenience for small files and tests).
  public func readAll() throws -> [RowOutcome] {
    var all: [RowOutcome] = []
    while let rows = try next(maxRows: 65_536) { all += rows }
    return all
  }

  // MARK: - Conversion (parallel over `threads`, results in file order)

  private final class Slots: @unchecked Sendable {
    var outputs: [RowMapper.Output]
    init(_ n: Int) { outputs = Array(repeating: RowMapper.Output(), count: n) }
  }

  private func convert(_ batch: RecordBatch) -> [RowOutcome] {
    let mapper = RowMapper(plan: plan)
    let n = batch.records.count
    let parts = n >= 4096 ? threads : 1
    var merged: RowMapper.Output
    if parts == 1 {
      merged = mapper.convert(batch, 0..<n, cache: caches[0])
    } else {
      let slots = Slots(parts)
      let caches = self.caches
      DispatchQueue.concurrentPerform(iterations: parts) { k in
        let lo = n * k / parts
        let hi = n * (k + 1) / parts
        slots.outputs[k] = mapper.convert(batch, lo..<hi, cache: caches[k])
      }
      merged = RowMapper.Output()
      merged.outcomes.reserveCapacity(n)
      for o in slots.outputs {
        merged.outcomes += o.outcomes
        for (k, v) in o.warnings { merged.warnings[k, default: 0] += v }
      }
    }
    for (k, v) in merged.warnings { stats.warningCounts[k, default: 0] += v }
    return merged.outcomes
  }

  // MARK: - JSON

  private struct JSONRecord {
    var line: Int
    var keys: [String]
    var values: [String]
    var problem: RejectionReason?
  }

  private func nextJSONRecord() throws -> JSONRecord? {
    switch source {
    case .jsonArray(let a):
      guard let (line, pairs) = try a.next() else { return nil }
      return JSONRecord(line: line, keys: pairs.map(\.0), values: pairs.map(\.1))
    case .jsonLines(let src):
      while true {
        if linePos >= lineBuf.count || lineBuf[linePos...].firstIndex(of: 0x0A) == nil {
          if linePos > 0 {
            lineBuf.removeSubrange(0..<linePos)
            linePos = 0
          }
          if !src.eof { _ = src.read(into: &lineBuf) }
        }
        if linePos >= lineBuf.count { return nil }
        let nl = lineBuf[linePos...].firstIndex(of: 0x0A) ?? lineBuf.count
        let line = lineNo
        let range = linePos..<nl
        linePos = min(nl + 1, lineBuf.count)
        lineNo += 1
        let parsed: Result<[(String, String)], JSONScanner.Failure> = lineBuf.withUnsafeBufferPointer { p in
          var s = JSONScanner(UnsafeBufferPointer(rebasing: p[range]))
          s.skipWS()
          if s.i >= s.p.count { return .success([]) }
          do {
            let o = try s.object()
            s.skipWS()
            if s.i < s.p.count { return .failure(JSONScanner.Failure(problem: .textAfterObject, offset: s.i)) }
            return .success(o)
          } catch let f as JSONScanner.Failure {
            return .failure(f)
          } catch {
            return .failure(JSONScanner.Failure(problem: .other("\(error)"), offset: 0))
          }
        }
        switch parsed {
        case .success(let pairs):
          if pairs.isEmpty { continue }
          return JSONRecord(line: line, keys: pairs.map(\.0), values: pairs.map(\.1))
        case .failure(let f):
          let text = String(decoding: lineBuf[range], as: UTF8.self)
          return JSONRecord(line: line, keys: [], values: [text], problem: .invalidJSON(f.problem, byte: f.offset + 1))
        }
      }
    default:
      return nil
    }
  }
}

/// A JSON document holding records: `[ {...}, ... ]` or an object with an
/// array of records under `service_requests` (Open311), `records`, `data`,
/// `items`, `rows` or `tickets`. Held in memory as UTF-8 bytes; objects are
/// parsed one at a time.
final class JSONArraySource {
  let path: String
  private let bytes: [UInt8]
  private var pos = 0
  private var line = 1
  private var lineCountedTo = 0
  private var done = false

  init(path: String, charset: String) throws {
    self.path = path
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ImportError(file: path, .cannotRead)
    }
    var b = [UInt8](data)
    if charset != "UTF-8" { b = (try? TextDecoding.toUTF8(b, charset: charset)) ?? b }
    if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { b.removeFirst(3) }
    bytes = b
    // Find the array.
    let found: Int? = bytes.withUnsafeBufferPointer { p in
      var s = JSONScanner(p)
      s.skipWS()
      guard s.i < p.count else { return nil }
      if p[s.i] == 0x5B { return s.i + 1 }
      guard p[s.i] == 0x7B else { return nil }
      s.i += 1
      while true {
        s.skipWS()
        guard s.i < p.count, p[s.i] == 0x22 else { return nil }
        let key: String
        do { key = try s.string() } catch { return nil }
        s.skipWS()
        guard s.i < p.count, p[s.i] == 0x3A else { return nil }
        s.i += 1
        s.skipWS()
        if ["service_requests", "records", "data", "items", "rows", "tickets", "requests"].contains(key),
          s.i < p.count, p[s.i] == 0x5B
        {
          return s.i + 1
        }
        do { try s.skipValue() } catch { return nil }
        s.skipWS()
        guard s.i < p.count, p[s.i] == 0x2C else { return nil }
        s.i += 1
      }
    }
    guard let start = found else {
      throw ImportError(file: path, .jsonNotRecords)
    }
    pos = start
  }

  private func lineAt(_ offset: Int) -> Int {
    var i = lineCountedTo
    while i < offset {
      if bytes[i] == 0x0A { line += 1 }
      i += 1
    }
    lineCountedTo = offset
    return line
  }

  func next() throws -> (Int, [(String, String)])? {
    if done { return nil }
    return try bytes.withUnsafeBufferPointer { p -> (Int, [(String, String)])? in
      var s = JSONScanner(p, at: pos)
      s.skipWS()
      if s.i < p.count, p[s.i] == 0x2C {
        s.i += 1
        s.skipWS()
      }
      guard s.i < p.count else {
        throw ImportError(file: path, .jsonTruncated)
      }
      if p[s.i] == 0x5D {
        done = true
        return nil
      }
      let start = s.i
      let l = lineAt(start)
      guard p[s.i] == 0x7B else {
        throw ImportError(file: path, .jsonElementNotObject(line: l))
      }
      do {
        let o = try s.object()
        pos = s.i
        return (l, o)
      } catch let f as JSONScanner.Failure {
        throw ImportError(file: path, .invalidJSON(line: lineAt(f.offset), f.problem))
      }
    }
  }
}
