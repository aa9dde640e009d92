import Foundation
import Testing

@testable import HotlineAnalysis

/// The compact per-ticket structures of the recurring stage behave as the
/// per-ticket arrays they replace.
struct RecurringMemoryTests {
  @Test func flatListsHoldEachItemsList() {
    let lists: [[Int32]] = [[], [1, 4, 9], [], [2], [4, 5], []]
    var flat = FlatLists(reservingCapacity: lists.count)
    for l in lists { flat.append(l) }
    #expect(flat.count == lists.count)
    for (i, l) in lists.enumerated() { #expect(Array(flat[i]) == l) }
  }

  @Test func flatListsMeetAsSortedListsDo() {
    let a: [[Int32]] = [[1, 4, 9], [], [2, 3], [4, 5, 7], [0]]
    let b: [[Int32]] = [[9], [1], [5, 6], [], [0, 8]]
    var fa = FlatLists()
    var fb = FlatLists()
    for l in a { fa.append(l) }
    for l in b { fb.append(l) }
    for i in a.indices {
      for j in b.indices {
        #expect(fa.meets(i, fb, j) == !Set(a[i]).isDisjoint(with: b[j]))
        #expect(fa.meets(i, fa, j) == !Set(a[i]).isDisjoint(with: a[j]))
      }
    }
  }

  @Test func boilerplateKeepsOnlyFrequentClausesAndStripsThem() {
    let common = "希望相关部门尽快处理"
    var texts: [String] = []
    for k in 0..<40 { texts.append("第\(k)号楼下水道堵塞，\(common)。") }
    texts.append("路灯不亮，\(common)")
    texts.append(common)
    let table = Boilerplate.learn(texts, minCount: 30, threads: 2)
    // Only the shared demand clause is kept in the table.
    #expect(table.counts.count == 1 && table.counts.values.first == 42)
    let stripped = Boilerplate.strip(texts[...], table, threads: 2)
    #expect(stripped[0] == "第0号楼下水道堵塞")
    #expect(stripped[40] == "路灯不亮")
    #expect(stripped[41] == common)  // a text made only of boilerplate is kept whole
  }

  @Test func freeingMemoryIsHarmless() {
    var blocks: [[UInt8]] = (0..<1000).map { [UInt8](repeating: UInt8($0 & 0xFF), count: 100 + $0) }
    blocks.removeAll()
    FreedMemory.release()
    let again = [UInt8](repeating: 7, count: 1 << 20)
    #expect(again.count == 1 << 20 && again[12345] == 7)
  }
}
