import Foundation
import HotlineText
import Testing

struct TextDecodingTests {
  static let sample = "工单编号,诉求内容\n1,供暖不热，小区门口噪音扰民𠀀€\n"

  @Test func utf8AndBOM() {
    let d = TextDecoding.detect(Array(Self.sample.utf8))
    #expect(d.charset == "UTF-8" && !d.hasBOM)
    let b = TextDecoding.detect(TextDecoding.utf8BOM + Array(Self.sample.utf8))
    #expect(b.charset == "UTF-8" && b.hasBOM && b.method == "bom")
    // A multi-byte character cut at the end of the sample is still UTF-8.
    let cut = Array(Self.sample.utf8).dropLast(2)
    #expect(TextDecoding.detect(cut).charset == "UTF-8")
  }

  @Test func gb18030DetectedAndConverted() throws {
    let gb = [UInt8](Self.sample.data(using: String.Encoding(rawValue: 0x8000_0632))!)
    let d = TextDecoding.detect(gb)
    #expect(d.charset == "GB18030")
    #expect(try TextDecoding.decode(gb, charset: d.charset) == Self.sample)
    #expect(try TextDecoding.decode(gb, charset: "GBK") == Self.sample)
  }

  @Test func streamingConversionAcrossChunkBoundaries() throws {
    let text = String(repeating: Self.sample, count: 200)
    let gb = [UInt8](text.data(using: String.Encoding(rawValue: 0x8000_0632))!)
    for chunk in [1, 3, 7, 1000] {
      let c = try CharsetConverter(charset: "GB18030")
      var out: [UInt8] = []
      var i = 0
      while i < gb.count {
        let j = min(gb.count, i + chunk)
        c.convert(gb[i..<j], flush: j == gb.count, into: &out)
        i = j
      }
      #expect(String(decoding: out, as: UTF8.self) == text, "chunk \(chunk)")
    }
  }

  @Test func corruptBytesBecomeReplacement() throws {
    let bytes: [UInt8] = [0xB9, 0xA4, 0xFF, 0x41]  // 工, invalid, A
    let s = try TextDecoding.decode(bytes, charset: "GB18030")
    #expect(s.hasPrefix("工") && s.hasSuffix("A") && s.contains("\u{FFFD}"))
    #expect(throws: CharsetError.self) { try CharsetConverter(charset: "no-such-charset") }
  }
}
