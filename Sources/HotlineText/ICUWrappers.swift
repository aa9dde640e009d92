internal import CICUShim

/// An ICU failure (the number is ICU's `UErrorCode`).
public struct ICUError: Error, CustomStringConvertible, Sendable {
  public var code: Int32
  public var description: String { "ICU error \(code)" }
}

/// One reused ICU word-break iterator. Not thread-safe: one per thread.
final class ICUWordBreaker {
  private let wb: OpaquePointer
  /// Segment offsets and kinds from the last call (UTF-16 units). One
  /// thread at a time uses an instance: no dynamic exclusivity checks.
  @exclusivity(unchecked) var starts: [Int32] = []
  @exclusivity(unchecked) var ends: [Int32] = []
  @exclusivity(unchecked) var kinds: [Int32] = []

  init(locale: String = "zh") throws(ICUError) {
    var st: Int32 = 0
    guard let w = hl_wb_open(locale, &st), st <= 0 else { throw ICUError(code: st) }
    wb = w
  }

  deinit { hl_wb_close(wb) }

  /// Segments `text`; fills `starts`/`ends`/`kinds` and returns the count.
  func segment(_ text: UnsafeBufferPointer<UInt16>, includeNone: Bool) -> Int {
    let len = text.count
    if starts.count < len + 1 {
      let c = max(64, len + 1)
      starts = .init(repeating: 0, count: c)
      ends = starts
      kinds = starts
    }
    var st: Int32 = 0
    let cap = Int32(starts.count)
    let n = starts.withUnsafeMutableBufferPointer { s in
      ends.withUnsafeMutableBufferPointer { e in
        kinds.withUnsafeMutableBufferPointer { k in
          hl_wb_tokens(
            wb, text.baseAddress, Int32(len), includeNone ? 1 : 0, s.baseAddress, e.baseAddress,
            k.baseAddress, cap, &st)
        }
      }
    }
    // Never more segments than UTF-16 units, so cap = len + 1 always suffices.
    return Int(min(n, cap))
  }
}

/// One ICU transliterator. Not thread-safe: one per thread.
final class ICUTransliterator {
  private let tr: OpaquePointer
  private var buffer: [UInt16] = []

  init(id: String) throws(ICUError) {
    let idUnits = Array(id.utf16)
    var st: Int32 = 0
    guard let t = hl_tr_open(idUnits, Int32(idUnits.count), &st), st <= 0 else {
      throw ICUError(code: st)
    }
    tr = t
  }

  deinit { hl_tr_close(tr) }

  /// Transliterates UTF-16 `units`.
  func apply(_ units: some Collection<UInt16>) -> [UInt16] {
    var cap = units.count * 2 + 16
    while true {
      buffer.removeAll(keepingCapacity: true)
      buffer.append(contentsOf: units)
      var len = Int32(buffer.count)
      buffer.append(contentsOf: repeatElement(0, count: cap - buffer.count))
      var st: Int32 = 0
      buffer.withUnsafeMutableBufferPointer { b in
        hl_tr_apply(tr, b.baseAddress!, &len, Int32(cap), &st)
      }
      if st == 15 /* U_BUFFER_OVERFLOW_ERROR */ {
        cap = max(cap * 2, Int(len) + 16)
        continue
      }
      if st > 0 { return Array(units) }  // leave the text unchanged on failure
      return Array(buffer[0..<Int(len)])
    }
  }

  /// BMP code points the transliterator may modify, ignoring its filters
  /// (ICU's source set: a superset of what it changes), as inclusive ranges;
  /// nil when ICU cannot tell.
  func sourceRanges() -> [ClosedRange<UInt16>]? {
    var cap: Int32 = 4096
    while true {
      var buf = [Int32](repeating: 0, count: 2 * Int(cap))
      var st: Int32 = 0
      let n = buf.withUnsafeMutableBufferPointer { hl_tr_source_ranges(tr, $0.baseAddress, cap, &st) }
      if st > 0 { return nil }
      if n > cap {
        cap = n
        continue
      }
      return (0..<Int(n)).map { UInt16(buf[2 * $0])...UInt16(buf[2 * $0 + 1]) }
    }
  }

  func apply(_ s: String) -> String {
    String(decoding: apply(Array(s.utf16)), as: UTF16.self)
  }
}
