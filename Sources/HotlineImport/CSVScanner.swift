/// RFC 4180 record splitter on UTF-8 bytes.
///
/// Quoted fields may hold delimiters, `""` and line breaks (CRLF, LF or CR).
/// Broken quoting never swallows the file: a record whose quoted field runs
/// past `maxLines` physical lines or to end of file, has text after a closing
/// quote, or spans several lines but has the wrong number of fields, is
/// rejected from its first line and scanning resumes at the next physical line.
final class CSVScanner {
  let source: ByteSource
  var buf: [UInt8] = []
  var pos = 0
  /// Physical line (1-based) of `buf[pos]`.
  var line = 1
  var delimiter: UInt8 = 0x2C
  let maxLines: Int
  var expectedFields = 0
  var header: [String] = []

  init(source: ByteSource, maxLines: Int) {
    self.source = source
    self.maxLines = maxLines
    buf.reserveCapacity(source.chunkSize * 2)
  }

  private func refill() -> Bool {
    if pos > 0 {
      buf.removeSubrange(0..<pos)
      pos = 0
    }
    return source.read(into: &buf)
  }

  enum Step {
    case record(end: Int, lines: Int, fields: Int)
    case blank(end: Int)
    case incomplete
    case broken(reason: RejectionReason, field: Int)
  }

  /// Scans one record at `pos`, appending its fields to `batch`.
  private func scan(into batch: inout RecordBatch) -> Step {
    let eof = source.eof
    let d = delimiter
    let maxLines = maxLines
    return buf.withUnsafeBufferPointer { p -> Step in
      let n = p.count
      var i = pos
      if i >= n { return eof ? .blank(end: n) : .incomplete }
      if p[i] == 0x0A { return .blank(end: i + 1) }
      if p[i] == 0x0D {
        if i + 1 < n { return .blank(end: p[i + 1] == 0x0A ? i + 2 : i + 1) }
        return eof ? .blank(end: i + 1) : .incomplete
      }
      var lines = 0
      var fields = 0
      while true {
        batch.beginField()
        if i < n, p[i] == 0x22 {
          i += 1
          while true {
            let seg = i
            while i < n {
              let b = p[i]
              if b == 0x22 { break }
              if b == 0x0A {
                lines += 1
                if lines > maxLines {
                  return .broken(reason: .quotedFieldTooLong(maxLines: maxLines), field: fields)
                }
              }
              i += 1
            }
            if i > seg { batch.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[seg..<i])) }
            if i >= n {
              return eof ? .broken(reason: .unterminatedQuote, field: fields) : .incomplete
            }
            if i + 1 < n {
              if p[i + 1] == 0x22 {
                batch.bytes.append(0x22)
                i += 2
                continue
              }
            } else if !eof {
              return .incomplete
            }
            i += 1
            break
          }
          if i < n, p[i] != d, p[i] != 0x0A, p[i] != 0x0D {
            return .broken(reason: .textAfterQuote, field: fields)
          }
        } else {
          let seg = i
          while i < n {
            let b = p[i]
            if b == d || b == 0x0A || b == 0x0D { break }
            i += 1
          }
          if i > seg { batch.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[seg..<i])) }
        }
        batch.endField()
        fields += 1
        if i >= n {
          if !eof { return .incomplete }
          return .record(end: n, lines: lines + 1, fields: fields)
        }
        let b = p[i]
        if b == d {
          i += 1
          continue
        }
        if b == 0x0D {
          if i + 1 < n {
            i += p[i + 1] == 0x0A ? 2 : 1
          } else if !eof {
            return .incomplete
          } else {
            i += 1
          }
        } else {
          i += 1
        }
        return .record(end: i, lines: lines + 1, fields: fields)
      }
    }
  }

  /// The first physical line at `pos` (without its line break) and the offset after it.
  private func firstLine() -> (text: String, next: Int)? {
    while true {
      if let nl = buf[pos...].firstIndex(of: 0x0A) {
        var e = nl
        if e > pos, buf[e - 1] == 0x0D { e -= 1 }
        return (String(decoding: buf[pos..<e], as: UTF8.self), nl + 1)
      }
      if source.eof {
        return (String(decoding: buf[pos...], as: UTF8.self), buf.count)
      }
      if !refill() && source.eof { continue }
    }
  }

  /// Reads the header record (skipping blank lines); `nil` on an empty file.
  func readHeader() -> (fields: [String], line: Int)? {
    if buf.isEmpty { _ = refill() }
    // Delimiter: a tab-separated header has tabs and no commas.
    let headEnd = buf.firstIndex(of: 0x0A) ?? buf.count
    let head = buf[0..<headEnd]
    if head.contains(0x09) && !head.contains(0x2C) { delimiter = 0x09 }
    var batch = RecordBatch()
    while true {
      let saveB = batch.bytes.count
      let saveF = batch.fieldStarts.count
      let saveE = batch.fieldEnds.count
      switch scan(into: &batch) {
      case .incomplete:
        batch.bytes.removeSubrange(saveB...)
        batch.fieldStarts.removeSubrange(saveF...)
        batch.fieldEnds.removeSubrange(saveE...)
        if !refill() && source.eof && pos >= buf.count { return nil }
      case .blank(let end):
        if end >= buf.count && source.eof { return nil }
        pos = end
        line += 1
      case .broken:
        return nil
      case .record(let end, let lines, let fields):
        let startLine = line
        pos = end
        line += lines
        var out: [String] = []
        for k in 0..<fields {
          out.append(String(decoding: batch.bytes[batch.fieldStarts[k]..<batch.fieldEnds[k]], as: UTF8.self))
        }
        header = out
        expectedFields = out.count
        return (out, startLine)
      }
    }
  }

  /// Appends up to `maxRows` records to `batch`; returns false at end of file.
  func next(into batch: inout RecordBatch, maxRows: Int) -> Bool {
    var added = 0
    while added < maxRows {
      let saveB = batch.bytes.count
      let saveF = batch.fieldStarts.count
      let saveE = batch.fieldEnds.count
      func rollback() {
        batch.bytes.removeSubrange(saveB...)
        batch.fieldStarts.removeSubrange(saveF...)
        batch.fieldEnds.removeSubrange(saveE...)
      }
      let step = scan(into: &batch)
      switch step {
      case .incomplete:
        rollback()
        _ = refill()
      case .blank(let end):
        if end >= buf.count && source.eof {
          pos = buf.count
          return added > 0
        }
        pos = end
        line += 1
      case .broken(let reason, let field):
        rollback()
        rejectFirstLine(into: &batch, reason: reason, field: field)
        added += 1
      case .record(let end, let lines, var fields):
        // Tolerate extra trailing empty fields.
        while fields > expectedFields, batch.fieldStarts[saveF + fields - 1] == batch.fieldEnds[saveF + fields - 1] {
          batch.fieldStarts.removeLast()
          batch.fieldEnds.removeLast()
          fields -= 1
        }
        if fields != expectedFields && lines > 1 {
          rollback()
          rejectFirstLine(
            into: &batch,
            reason: .strayQuote(lines: lines, fields: fields, expected: expectedFields),
            field: nil)
          added += 1
          continue
        }
        var rec = RecordBatch.Record(line: line, firstField: saveF, fieldCount: fields)
        if fields != expectedFields {
          rec.problem = .fieldCount(expected: expectedFields, found: fields)
        }
        batch.records.append(rec)
        pos = end
        line += lines
        added += 1
      }
      if pos >= buf.count && source.eof { return added > 0 || false }
    }
    return true
  }

  private func rejectFirstLine(into batch: inout RecordBatch, reason: RejectionReason, field: Int?) {
    guard let (text, next) = firstLine() else { return }
    let col = field.flatMap { $0 < header.count ? header[$0] : nil }
    batch.addRecord(line: line, fields: [text], problem: reason, column: col)
    pos = next
    line += 1
  }
}
