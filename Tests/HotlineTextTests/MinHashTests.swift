import HotlineText
import Testing

struct MinHashTests {
  let hasher = MinHasher(permutations: 256, shingleLength: 3, seed: 7)

  @Test func identicalTextsHaveEqualSignatures() {
    let s = "南宁西路有渣土车不盖篷布，噪音扰民，希望查处。"
    #expect(hasher.signature(s) == hasher.signature(s))
    #expect(MinHasher.jaccard(hasher.signature(s), hasher.signature(s)) == 1)
  }

  @Test func punctuationAndSpacesAreNotShingles() {
    #expect(hasher.shingles("南宁，西路 有") == hasher.shingles("南宁西路有"))
    #expect(hasher.shingles("南宁西路有") == ["南宁西", "宁西路", "西路有"])
    #expect(hasher.signature("南宁，西路 有") == hasher.signature("南宁西路有"))
    // Shorter than one shingle: the whole text is the shingle.
    #expect(hasher.shingles("停水") == ["停水"])
  }

  @Test(arguments: [
    ("枫林新城5栋电梯运行时异响，住户心里害怕，要求尽快修复。", "枫林新城5栋电梯停运已经好几天，住户心里害怕，要求更换电梯。"),
    ("白沙东路225号附近有一个窨井盖缺失，存在安全隐患，请尽快修复。", "白沙东路225号门口有一个窨井盖松动，车辆经过哐哐响。"),
    ("梅塘新城自来水发黄，不敢饮用，希望供水部门查明原因。", "梅塘新城自来水发黄，不敢饮用，希望供水部门查明原因。请尽快处理！"),
    ("小区门口垃圾没人清理", "公交车末班车太早了建议调整"),
  ])
  func estimateIsCloseToExactJaccard(_ a: String, _ b: String) {
    let exact = hasher.exactJaccard(a, b)
    let estimate = MinHasher.jaccard(hasher.signature(a), hasher.signature(b))
    // 256 permutations: standard error at most 0.5/16 ≈ 0.031; allow four of them.
    #expect(abs(exact - estimate) < 0.125, "exact \(exact), estimate \(estimate)")
  }

  @Test func batchSignaturesMatchSingleOnesWhateverTheThreads() {
    let texts = (0..<50).map { "第\($0)号楼楼道灯坏了，物业不管，请求处理。编号\($0 * 7)" }
    let one = hasher.signatures(texts, threads: 1)
    let two = hasher.signatures(texts, threads: 3)
    #expect(one.values == two.values)
    for i in [0, 17, 49] { #expect(Array(one[i]) == hasher.signature(texts[i])) }
  }

  @Test func lshFindsNearDuplicatesOnly() {
    let h = MinHasher(permutations: 64, shingleLength: 3, seed: 1)
    let texts = [
      "凌晨2点左右南宁西路有渣土车不盖篷布，噪音扰民，希望查处。",
      "每天夜里南宁西路有渣土车不盖篷布，噪音扰民，希望查处。",
      "秦河美容会所办了会员卡，充值60000元，拒绝退费，希望帮助追回。",
      "凌晨2点左右南宁西路有渣土车不盖篷布，噪音扰民，希望查处！",
    ]
    let sigs = h.signatures(texts)
    let lsh = MinHashLSH(bands: 16, rows: 4)
    #expect(abs(lsh.threshold - 0.5) < 1e-12)
    let pairs = lsh.candidatePairs(sigs).map { [$0.0, $0.1] }
    #expect(pairs.contains([0, 3]))
    #expect(pairs.contains([0, 1]))
    #expect(!pairs.contains { $0.contains(2) })
    // With positions, pairs farther apart than maxGap are dropped.
    let far = lsh.candidatePairs(sigs, positions: [0, 10, 20, 1000], maxGap: 100).map { [$0.0, $0.1] }
    #expect(far.contains([0, 1]))
    #expect(!far.contains([0, 3]))
  }

  @Test func signatureSpeedIsReported() {
    // Not a timed assertion: the speed is measured by bench/recurring_peer.py.
    let texts = (0..<200).map { "测试文本\($0)：小区门口的路灯已经坏了好几天，晚上出行很不安全，希望尽快维修。" }
    let sigs = MinHasher().signatures(texts, threads: 2)
    #expect(sigs.count == 200)
    #expect(sigs.permutations == 64)
  }
}
