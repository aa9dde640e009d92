import HotlineText
import Testing

struct ICUTests {
  @Test func linksSystemICU() {
    #expect(ICU.versionMajor >= 60)
  }
}
