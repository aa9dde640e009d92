import Foundation
import HotlineText

/// Records of one `next(maxRows:)` call, with every field's (unescaped) UTF-8
/// bytes in one arena so conversion can run on several threads.
struct RecordBatch {
  struct Record {
    var line: Int
    /// Index into `fieldEnds` of the first field.
    var firstField: Int
    var fieldCount: Int
    /// Set when the scanner already knows the row is unusable.
    var problem: RejectionReason?
    var problemColumn: String?
  }

  var bytes: [UInt8] = []
  /// End offset in `bytes` of each field; a field starts where the previous ended
  /// (or at `fieldStarts`).
  var fieldStarts: [Int] = []
  var fieldEnds: [Int] = []
  var records: [Record] = []

  init() {
    bytes.reserveCapacity(1 << 20)
  }

  mutating func beginField() { fieldStarts.append(bytes.count) }
  mutating func endField() { fieldEnds.append(bytes.count) }

  mutating func appendField(_ s: String) {
    beginField()
    bytes.append(contentsOf: s.utf8)
    endField()
  }

  mutating func addRecord(line: Int, fields: [String], problem: RejectionReason? = nil, column: String? = nil) {
    let first = fieldStarts.count
    for f in fields { appendField(f) }
    records.append(Record(line: line, firstField: first, fieldCount: fields.count, problem: problem, problemColumn: column))
  }
}

/// Reads a file in large chunks, converting to UTF-8 when needed and dropping a BOM.
final class ByteSource {
  private let fd: Int32
  private let converter: CharsetConverter?
  private var raw: [UInt8]
  private var atStart = true
  private(set) var eof = false
  /// Bytes of the file read so far (before any charset conversion).
  private(set) var bytesRead = 0
  let chunkSize: Int

  init(path: String, charset: String?, chunkSize: Int = 4 << 20) throws {
    fd = open(path, O_RDONLY)
    if fd < 0 { throw ImportError(file: path, .cannotOpen(String(cString: strerror(errno)))) }
    if let charset, TextDecoding.normalizedChinese(charset) != "UTF-8" {
      do { converter = try CharsetConverter(charset: charset) } catch {
        close(fd)
        throw ImportError(file: path, .charset("\(error)"))
      }
    } else {
      converter = nil
    }
    self.chunkSize = chunkSize
    raw = [UInt8](repeating: 0, count: chunkSize)
  }

  deinit { close(fd) }

  /// Appends up to about `chunkSize` more UTF-8 bytes to `buf`; returns false at end of file.
  func read(into buf: inout [UInt8]) -> Bool {
    if eof { return false }
    var n = 0
    raw.withUnsafeMutableBytes { p in
      var got = 0
      while got < chunkSize {
        let r = Foundation.read(fd, p.baseAddress! + got, chunkSize - got)
        if r <= 0 { break }
        got += r
      }
      n = got
    }
    let last = n < chunkSize
    if last { eof = true }
    bytesRead += n
    let start = buf.count
    if let converter {
      converter.convert(raw[0..<n], flush: last, into: &buf)
    } else {
      buf.append(contentsOf: raw[0..<n])
    }
    if atStart {
      atStart = false
      if buf.count - start >= 3, buf[start] == 0xEF, buf[start + 1] == 0xBB, buf[start + 2] == 0xBF {
        buf.removeSubrange(start..<(start + 3))
      }
    }
    return n > 0 || buf.count > start
  }
}
