internal import CICUShim

/// Detecting a file's character set and converting bytes to UTF-8.
///
/// Hotline reads Chinese exports written as UTF-8 (with or without BOM) or as
/// GBK / GB2312 / GB18030. The rules (`detect(_:)`):
/// 1. a UTF-8 byte-order mark → UTF-8;
/// 2. bytes that are valid UTF-8 (a sequence cut off at the end of the sample
///    is allowed) → UTF-8;
/// 3. otherwise ICU's detector (`ucsdet`); GB2312, GBK and GB18030 are all
///    read as GB18030 (a superset of both). When ICU guesses a single-byte
///    Western charset but the bytes are legal GB18030, GB18030 wins: this is a
///    tool for Chinese exports.
public enum TextDecoding {
  /// The UTF-8 byte-order mark.
  public static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// A detection result.
  public struct Detection: Sendable, Hashable {
    /// Canonical name: `"UTF-8"`, `"GB18030"` or another ICU charset name.
    public var charset: String
    /// Whether the bytes start with a UTF-8 BOM (to be skipped).
    public var hasBOM: Bool
    /// Confidence 0...100 (100 for BOM and valid UTF-8).
    public var confidence: Int
    /// How it was decided: `"bom"`, `"utf8-valid"`, `"icu"` or `"gb18030-fallback"`.
    public var method: String
    public var isUTF8: Bool { charset == "UTF-8" }
  }

  /// Detects the charset of a sample (the first 64 KiB of a file is plenty).
  public static func detect(_ sample: some Collection<UInt8>) -> Detection {
    let bytes = Array(sample)
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
      return Detection(charset: "UTF-8", hasBOM: true, confidence: 100, method: "bom")
    }
    if isValidUTF8(bytes, allowTruncatedEnd: true) {
      return Detection(charset: "UTF-8", hasBOM: false, confidence: 100, method: "utf8-valid")
    }
    var name = [CChar](repeating: 0, count: 64)
    var conf: Int32 = 0
    var st: Int32 = 0
    let found = bytes.withUnsafeBufferPointer { p in
      p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) {
        hl_detect_charset($0, Int32(p.count), &name, 64, &conf, &st)
      }
    }
    let icuName =
      found == 1 ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    if let gb = normalizedChinese(icuName) {
      return Detection(charset: gb, hasBOM: false, confidence: Int(conf), method: "icu")
    }
    let western = icuName.isEmpty || icuName.hasPrefix("ISO-8859") || icuName.hasPrefix("windows-125")
    if western, illegalSequences(in: bytes, charset: "GB18030") == 0 {
      return Detection(charset: "GB18030", hasBOM: false, confidence: 50, method: "gb18030-fallback")
    }
    if icuName.isEmpty {
      return Detection(charset: "GB18030", hasBOM: false, confidence: 0, method: "gb18030-fallback")
    }
    return Detection(charset: icuName, hasBOM: false, confidence: Int(conf), method: "icu")
  }

  /// Maps GB2312/GBK/GB18030 (any spelling) to `"GB18030"`; UTF-8 spellings to `"UTF-8"`.
  public static func normalizedChinese(_ name: String) -> String? {
    let n = String(name.lowercased().filter { $0 != "-" && $0 != "_" })
    if n == "gb2312" || n == "gbk" || n == "gb18030" || n == "cp936" || n == "windows936"
      || n == "euccn" || n == "hzgb2312"
    {
      return n == "hzgb2312" ? nil : "GB18030"
    }
    if n == "utf8" { return "UTF-8" }
    return nil
  }

  /// Whether `bytes` is well-formed UTF-8. With `allowTruncatedEnd`, a
  /// multi-byte sequence cut off by the end of the buffer is accepted.
  public static func isValidUTF8(_ bytes: some Collection<UInt8>, allowTruncatedEnd: Bool = false)
    -> Bool
  {
    let a = Array(bytes)
    return a.withUnsafeBufferPointer { p -> Bool in
      var i = 0
      let n = p.count
      while i < n {
        let b = p[i]
        if b < 0x80 {
          i += 1
          continue
        }
        let len: Int
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: len = 2
        case 0xE0:
          len = 3
          lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: len = 3
        case 0xED:
          len = 3
          hi = 0x9F
        case 0xF0:
          len = 4
          lo = 0x90
        case 0xF1...0xF3: len = 4
        case 0xF4:
          len = 4
          hi = 0x8F
        default: return false
        }
        for k in 1..<len {
          if i + k >= n { return allowTruncatedEnd }
          let c = p[i + k]
          if k == 1 {
            if c < lo || c > hi { return false }
          } else if c < 0x80 || c > 0xBF {
            return false
          }
        }
        i += len
      }
      return true
    }
  }

  /// Number of byte sequences illegal in `charset` (capped at 1000); `nil`
  /// when ICU does not know the charset.
  public static func illegalSequences(in bytes: [UInt8], charset: String) -> Int? {
    let r = bytes.withUnsafeBufferPointer { p -> Int32 in
      guard let base = p.baseAddress else { return 0 }
      return base.withMemoryRebound(to: CChar.self, capacity: p.count) {
        hl_conv_count_illegal(charset, $0, Int32(p.count))
      }
    }
    return r < 0 ? nil : Int(r)
  }

  /// Converts a whole buffer to UTF-8 (a BOM is kept if present in UTF-8 input).
  public static func toUTF8(_ bytes: [UInt8], charset: String) throws -> [UInt8] {
    if normalizedChinese(charset) == "UTF-8" { return bytes }
    let c = try CharsetConverter(charset: charset)
    var out = c.convert(bytes[...], flush: true)
    out.reserveCapacity(out.count)
    return out
  }

  /// Decodes a whole buffer to a `String`.
  public static func decode(_ bytes: [UInt8], charset: String) throws -> String {
    String(decoding: try toUTF8(bytes, charset: charset), as: UTF8.self)
  }
}

/// An error from ICU's converter.
public struct CharsetError: Error, CustomStringConvertible, Sendable {
  public var charset: String
  public var code: Int32
  public var description: String { "cannot convert from charset \(charset) (ICU error \(code))" }
}

/// A streaming converter from any ICU charset to UTF-8. Feed chunks of any size;
/// partial multi-byte sequences are carried to the next call. Not thread-safe:
/// use one per file.
public final class CharsetConverter {
  private let conv: OpaquePointer
  public let charset: String

  /// Opens a converter. GB2312 and GBK are read with the GB18030 converter.
  public init(charset: String) throws {
    let name = TextDecoding.normalizedChinese(charset) == "GB18030" ? "GB18030" : charset
    var st: Int32 = 0
    guard let c = hl_conv_open(name, &st), st <= 0 else {
      throw CharsetError(charset: charset, code: st)
    }
    conv = c
    self.charset = String(cString: hl_conv_name(c))
  }

  deinit { hl_conv_close(conv) }

  /// Converts `input` and appends the UTF-8 bytes to `output`. Pass
  /// `flush: true` with the last chunk (which may be empty).
  public func convert(_ input: ArraySlice<UInt8>, flush: Bool, into output: inout [UInt8]) {
    let cap = max(4096, input.count * 2 + 64)
    var tmp = [CChar](repeating: 0, count: cap)
    let n = input.count
    var offset = 0
    input.withUnsafeBufferPointer { src in
      tmp.withUnsafeMutableBufferPointer { t in
        while true {
          var consumed: Int32 = 0
          var st: Int32 = 0
          let srcPtr = UnsafeRawPointer(src.baseAddress)?.advanced(by: offset)
            .assumingMemoryBound(to: CChar.self)
          let written = hl_conv_to_utf8(
            conv, srcPtr, Int32(n - offset), &consumed, t.baseAddress!, Int32(cap), flush ? 1 : 0,
            &st)
          output.append(
            contentsOf: UnsafeRawBufferPointer(start: t.baseAddress!, count: Int(written)))
          offset += Int(consumed)
          if st > 0 { break }
          if offset >= n && Int(written) < cap { break }
          if consumed == 0 && written == 0 { break }
        }
      }
    }
  }

  /// Converts `input` and returns the UTF-8 bytes.
  public func convert(_ input: ArraySlice<UInt8>, flush: Bool) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(input.count * 3 / 2 + 16)
    convert(input, flush: flush, into: &out)
    return out
  }
}
