@testable import HotlineAnalysis
import HotlineCore
import HotlineStats
import Testing

/// A corpus of planted topics: each document draws most of its words from its
/// topic's list and a few from words shared by all topics.
struct PlantedCorpus {
  static let topicWords: [[String]] = [
    ["停车", "车位", "占道", "挪车", "收费", "车库", "违停", "罚单", "道闸", "物业"],
    ["噪音", "施工", "夜间", "扰民", "工地", "机器", "轰鸣", "睡眠", "投诉", "渣土"],
    ["供暖", "暖气", "温度", "热力", "供热", "锅炉", "室温", "采暖", "冰冷", "管道"],
    ["学校", "学位", "入学", "招生", "学区", "户籍", "老师", "课外", "培训", "家长"],
  ]
  static let shared = ["您好", "希望", "尽快", "解决", "市民", "反映", "情况", "部门"]

  var documents: [[String]] = []
  var truth: [Int] = []

  init(perTopic: Int, seed: UInt64, noise: Int = 0) {
    var rng = SplitMix64(seed: seed)
    for t in 0..<Self.topicWords.count {
      for _ in 0..<perTopic {
        var doc: [String] = []
        let length = 8 + Int(rng.next() % 6)
        for _ in 0..<length {
          if rng.nextDouble() < 0.8 {
            doc.append(Self.topicWords[t][Int(rng.next() % 10)])
          } else {
            doc.append(Self.shared[Int(rng.next() % UInt64(Self.shared.count))])
          }
        }
        documents.append(doc)
        truth.append(t)
      }
    }
    // Noise: documents of words from a large pool, each rare.
    for i in 0..<noise {
      documents.append((0..<8).map { j in "噪\(i % 40)字\(j)" })
      truth.append(-1)
    }
    // Interleave topics so that input order carries no signal.
    var order = Array(documents.indices)
    order.shuffle(using: &rng)
    documents = order.map { documents[$0] }
    truth = order.map { truth[$0] }
  }
}

struct TopicModelTests {
  func config(seed: UInt64 = 1) -> TopicModel.Config {
    var c = TopicModel.Config()
    c.maxTopics = 20
    c.iterations = 15
    c.convergence = 0  // every sweep runs (tests below check early stopping)
    c.seed = seed
    return c
  }

  @Test func recoversPlantedTopics() throws {
    let corpus = PlantedCorpus(perTopic: 60, seed: 11)
    let result = try TopicModel.run(documents: corpus.documents, config: config())
    let nmi = ClusteringMetrics.nmi(result.assignments, corpus.truth)
    #expect(nmi >= 0.9, "NMI \(nmi)")
    #expect(result.topics.count == 4)
    #expect(result.assignments.count == corpus.documents.count)
    #expect(result.clustersPerIteration.count == 15)
    // Ids by size, sizes add up.
    let sizes = result.topics.map(\.size)
    #expect(sizes == sizes.sorted(by: >))
    #expect(sizes.reduce(0, +) + result.outlierCount == corpus.documents.count)
  }

  @Test func classTfIdfPutsPlantedWordsOnTop() throws {
    let corpus = PlantedCorpus(perTopic: 60, seed: 12)
    var c = config()
    c.maxDocumentFrequencyShare = 1  // keep the shared words: c-TF-IDF must rank them down
    let result = try TopicModel.run(documents: corpus.documents, config: c)
    #expect(result.topics.count == 4)
    var matched = Set<Int>()
    for topic in result.topics {
      let top = topic.terms.prefix(5).map(\.term)
      let planted = PlantedCorpus.topicWords.firstIndex { Set($0).isSuperset(of: top) }
      #expect(planted != nil, "top terms \(top)")
      if let planted { matched.insert(planted) }
      #expect(!topic.label.isEmpty)
      #expect(topic.terms.map(\.weight) == topic.terms.map(\.weight).sorted(by: >))
      #expect(topic.representatives.count == 2)
      for r in topic.representatives { #expect(result.assignments[r] == topic.id) }
    }
    #expect(matched.count == 4)
  }

  @Test func deterministicForASeed() throws {
    let corpus = PlantedCorpus(perTopic: 40, seed: 13, noise: 20)
    let a = try TopicModel.run(documents: corpus.documents, config: config(seed: 5))
    let b = try TopicModel.run(documents: corpus.documents, config: config(seed: 5))
    #expect(a.assignments == b.assignments)
    #expect(a.topics.map(\.terms) == b.topics.map(\.terms))
    #expect(a.topics.map(\.representatives) == b.topics.map(\.representatives))
    #expect(a.clustersPerIteration == b.clustersPerIteration)
    let c = try TopicModel.run(documents: corpus.documents, config: config(seed: 6))
    #expect(c.assignments.count == a.assignments.count)
    #expect(ClusteringMetrics.nmi(c.assignments, a.assignments) > 0.8)
  }

  @Test func stopsEarlyOnceConverged() throws {
    let corpus = PlantedCorpus(perTopic: 60, seed: 11)
    var c = config()
    c.iterations = 50
    c.convergence = 0.01
    let r = try TopicModel.run(documents: corpus.documents, config: c)
    // Clean planted topics settle within a few sweeps; then two quiet sweeps end it.
    #expect(r.clustersPerIteration.count < 50, "\(r.clustersPerIteration.count) sweeps")
    #expect(r.clustersPerIteration.count >= 2)
    #expect(ClusteringMetrics.nmi(r.assignments, corpus.truth) >= 0.9)
  }

  @Test func fitsOnASampleAndAssignsTheRest() throws {
    let corpus = PlantedCorpus(perTopic: 80, seed: 15)
    var c = config()
    c.fitSample = 120  // of 320 documents
    let r = try TopicModel.run(documents: corpus.documents, config: c)
    #expect(r.assignments.count == corpus.documents.count)
    // Every document, sampled or not, has a topic (none of these is empty).
    #expect(r.outlierCount == 0)
    #expect(r.topics.map(\.size).reduce(0, +) == corpus.documents.count)
    #expect(ClusteringMetrics.nmi(r.assignments, corpus.truth) >= 0.9)
    let again = try TopicModel.run(documents: corpus.documents, config: c)
    #expect(again.assignments == r.assignments)
    var bad = c
    bad.fitSample = 0
    #expect(throws: TopicModel.ConfigError.self) { try TopicModel.run(documents: corpus.documents, config: bad) }
  }

  @Test func splitsAClusterHoldingTwoGroups() throws {
    // Two planted topics all in one cluster (as a sampler stuck in a bad
    // start leaves them): the split step must pull them apart.
    let corpus = PlantedCorpus(perTopic: 60, seed: 16)
    let two = corpus.truth.indices.filter { corpus.truth[$0] == 0 || corpus.truth[$0] == 1 }
    let c = stepConfig(topics: 3)
    let sampler = Sampler(corpus: Corpus(documents: two.map { corpus.documents[$0] }, config: c), config: c)
    for d in 0..<two.count {
      sampler.z[d] = 0
      sampler.global.move(d, sampler.corpus, to: 0, sign: 1)
    }
    #expect(sampler.splitMixedClusters() == 1)
    let nmi = ClusteringMetrics.nmi(sampler.z.map(Int.init), two.map { corpus.truth[$0] })
    #expect(nmi >= 0.9, "NMI \(nmi)")
    // One topic alone is not split.
    let one = corpus.truth.indices.filter { corpus.truth[$0] == 2 }
    let single = Sampler(corpus: Corpus(documents: one.map { corpus.documents[$0] }, config: c), config: c)
    for d in 0..<one.count {
      single.z[d] = 0
      single.global.move(d, single.corpus, to: 0, sign: 1)
    }
    #expect(single.splitMixedClusters() == 0)
  }

  /// The test configuration for the split and merge steps on a few planted
  /// topics: at most `topics` topics of at least `minSize` documents;
  /// `keepSharedWords` keeps words found in every document.
  func stepConfig(topics: Int, minSize: Int = 10, keepSharedWords: Bool = false) -> TopicModel.Config {
    var c = config()
    c.maxTopics = topics
    c.minTopicSize = minSize
    if keepSharedWords { c.maxDocumentFrequencyShare = 1 }
    return c
  }

  /// A sampler with each document put in the given cluster.
  func placed(_ docs: [[String]], _ clusters: [Int], _ c: TopicModel.Config) -> Sampler {
    let sampler = Sampler(corpus: Corpus(documents: docs, config: c), config: c)
    for (d, k) in clusters.enumerated() {
      sampler.z[d] = Int32(k)
      sampler.global.move(d, sampler.corpus, to: k, sign: 1)
    }
    return sampler
  }

  /// Finishes the sampler and checks its topic count and its NMI against
  /// `truth` (at least `nmi`).
  func expectFinished(
    _ sampler: Sampler, topics: Int, truth: [Int], nmi least: Double = 1,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let r = sampler.finish(clustersPerIteration: [])
    #expect(r.topics.count == topics, sourceLocation: sourceLocation)
    let nmi = ClusteringMetrics.nmi(r.assignments, truth)
    #expect(nmi >= least, "NMI \(nmi)", sourceLocation: sourceLocation)
  }

  @Test func splitTakesTheSlotOfASmallCluster() throws {
    // Two planted topics in cluster 0, a few documents of a third in
    // cluster 1, no empty cluster: the small cluster (dissolved at the end
    // anyway) gives its slot to the split.
    let corpus = PlantedCorpus(perTopic: 60, seed: 16)
    let two = corpus.truth.indices.filter { corpus.truth[$0] == 0 || corpus.truth[$0] == 1 }
    let few = corpus.truth.indices.filter { corpus.truth[$0] == 2 }.prefix(4)
    let docs = (two + few).map { corpus.documents[$0] }
    var c = stepConfig(topics: 2)
    c.mergeOverlap = 1
    let sampler = placed(docs, two.map { _ in 0 } + few.map { _ in 1 }, c)
    #expect(sampler.splitMixedClusters() == 1)
    let r = sampler.finish(clustersPerIteration: [])
    #expect(r.topics.count == 2)
    let nmi = ClusteringMetrics.nmi(Array(r.assignments[0..<two.count]), two.map { corpus.truth[$0] })
    #expect(nmi >= 0.9, "NMI \(nmi)")
    // The small cluster's documents are dissolved as before: into a topic
    // (the outlier budget of 10 % is 12 documents, so outliers here).
    #expect(r.assignments[two.count...].allSatisfy { $0 == -1 })
    #expect(r.clustersToOutliers == 1)
  }

  @Test func splitsOffASmallRequestAndKeepsIt() throws {
    // 60 documents of one planted topic and 12 of another in one cluster:
    // the 12 are below the minimum topic size (20) but above a quarter of
    // it, so they are split off into a topic of their own instead of staying
    // glued to the other request; with splitSmallShare = 1 (halves of the
    // minimum size only) they stay.
    let corpus = PlantedCorpus(perTopic: 60, seed: 19)
    let big = corpus.truth.indices.filter { corpus.truth[$0] == 0 }
    let small = corpus.truth.indices.filter { corpus.truth[$0] == 3 }.prefix(12)
    let docs = (big + small).map { corpus.documents[$0] }
    var c = stepConfig(topics: 3, minSize: 20)
    let sampler = placed(docs, docs.map { _ in 0 }, c)
    #expect(sampler.splitMixedClusters() == 1)
    let r = sampler.finish(clustersPerIteration: [])
    #expect(r.topics.count == 2)
    #expect(r.topics[1].size < 20)
    #expect(r.assignments[big.count...].allSatisfy { $0 == 1 })
    #expect(r.outlierCount == 0)
    c.splitSmallShare = 1
    let whole = placed(docs, docs.map { _ in 0 }, c)
    #expect(whole.splitMixedClusters() == 0)
    #expect(whole.finish(clustersPerIteration: []).topics.map(\.size) == [72])
  }

  @Test func keepsASmallRequestOfItsOwnAndJoinsAPiece() throws {
    // Planted topics 0 and 1 in clusters 0 and 1 (60 documents each), 6
    // documents of topic 2 in cluster 2 and 6 more of topic 0 in cluster 3,
    // both below the minimum size (10) and above a quarter of it: the piece
    // of topic 0 joins cluster 0 and topic 2's documents, sharing no words
    // with the other topics, are kept as a topic. Without
    // `keepDistinctSmall` both small clusters go to the outliers.
    let corpus = PlantedCorpus(perTopic: 66, seed: 21)
    let zero = corpus.truth.indices.filter { corpus.truth[$0] == 0 }
    let one = corpus.truth.indices.filter { corpus.truth[$0] == 1 }.prefix(60)
    let two = corpus.truth.indices.filter { corpus.truth[$0] == 2 }.prefix(6)
    let idx = Array(zero.prefix(60)) + one + two + zero.suffix(6)
    let docs = idx.map { corpus.documents[$0] }
    let clusters = idx.indices.map { i in i < 60 ? 0 : i < 120 ? 1 : i < 126 ? 2 : 3 }
    var c = stepConfig(topics: 5)
    let kept = placed(docs, clusters, c).finish(clustersPerIteration: [])
    #expect(kept.topics.map(\.size) == [66, 60, 6])
    #expect(kept.outlierCount == 0)
    #expect(ClusteringMetrics.nmi(kept.assignments, idx.map { corpus.truth[$0] }) == 1)
    c.keepDistinctSmall = false
    let dissolved = placed(docs, clusters, c).finish(clustersPerIteration: [])
    #expect(dissolved.topics.map(\.size) == [60, 60])
    #expect(dissolved.outlierCount == 12)
  }

  @Test func keepsASmallRequestTheSplitStepRetired() throws {
    // Planted topics 0 and 1 glued in cluster 0, 4 documents of topic 2 in
    // cluster 1, topic 3 cut in two (clusters 2 and 3), no free cluster and
    // no merge before the split: the split takes the small cluster's slot;
    // the merge after it rejoins topic 3 and frees a cluster, where the 4
    // documents of topic 2, which share no words with the other topics,
    // are kept as a topic instead of going to the outliers.
    let corpus = PlantedCorpus(perTopic: 60, seed: 16)
    let glued = corpus.truth.indices.filter { corpus.truth[$0] == 0 || corpus.truth[$0] == 1 }
    let few = Array(corpus.truth.indices.filter { corpus.truth[$0] == 2 }.prefix(4))
    let three = corpus.truth.indices.filter { corpus.truth[$0] == 3 }
    let idx = glued + few + three
    let clusters = glued.map { _ in 0 } + few.map { _ in 1 } + three.indices.map { 2 + $0 % 2 }
    var c = stepConfig(topics: 4)
    c.premergeOverlap = 1
    let sampler = placed(idx.map { corpus.documents[$0] }, clusters, c)
    #expect(sampler.splitAndMerge().splits == 1)
    #expect(sampler.retired.count == 1)
    let r = sampler.finish(clustersPerIteration: [])
    #expect(r.topics.count == 4)
    #expect(r.outlierCount == 0)
    let truth = idx.map { corpus.truth[$0] }
    #expect(ClusteringMetrics.nmi(r.assignments, truth) >= 0.9)
    #expect(Set(r.assignments[glued.count..<(glued.count + few.count)]).count == 1)
    #expect(r.topics.last?.size == 4)
  }

  /// The documents of planted topic 0 and of the topics `others`: topic 0's
  /// in clusters 0 and 1 by turns, the others' all in cluster 2.
  private func topicZeroInHalves(_ corpus: PlantedCorpus, others: Set<Int>)
    -> (idx: [Int], docs: [[String]], clusters: [Int])
  {
    let idx = corpus.truth.indices.filter { corpus.truth[$0] == 0 || others.contains(corpus.truth[$0]) }
    var half = 0
    let clusters = idx.map { d -> Int in
      if corpus.truth[d] != 0 { return 2 }
      half += 1
      return half % 2
    }
    return (idx, idx.map { corpus.documents[$0] }, clusters)
  }

  @Test func mergeBeforeSplitFreesASlot() throws {
    // Planted topic 0 cut in two (clusters 0 and 1), topics 1 and 2 glued
    // in cluster 2, no free cluster: merging the two halves first frees a
    // slot, and the split then pulls topics 1 and 2 apart. With the first
    // merge off the split finds no slot and waits; it takes the cluster the
    // merge after it empties.
    let corpus = PlantedCorpus(perTopic: 60, seed: 20)
    let (idx, docs, clusters) = topicZeroInHalves(corpus, others: [1, 2])
    var c = stepConfig(topics: 3)
    // One split and one merge give the three requests back.
    func splitsIntoThree(_ sampler: Sampler) {
      #expect(sampler.splitAndMerge() == (1, 1))
      expectFinished(sampler, topics: 3, truth: idx.map { corpus.truth[$0] }, nmi: 0.9)
    }
    splitsIntoThree(placed(docs, clusters, c))
    c.premergeOverlap = 1
    let waiting = placed(docs, clusters, c)
    #expect(waiting.splitMixedClusters() == 0)
    #expect(waiting.skipped)
    splitsIntoThree(placed(docs, clusters, c))
  }

  @Test func doesNotSplitTwoMattersOfOneKind() throws {
    // One planted topic whose documents carry one of two pairs of words: the
    // two groups differ (a large likelihood gain) but share most of their
    // words, so the split is not made; with the overlap bar at 1 it is.
    let corpus = PlantedCorpus(perTopic: 120, seed: 17)
    let one = corpus.truth.indices.filter { corpus.truth[$0] == 0 }
    let docs = one.enumerated().map { i, d in corpus.documents[d] + (i % 2 == 0 ? ["白天", "上午", "白天", "上午"] : ["黑夜", "凌晨", "黑夜", "凌晨"]) }
    var c = stepConfig(topics: 3, keepSharedWords: true)  // keep the words of every document
    #expect(placed(docs, docs.map { _ in 0 }, c).splitMixedClusters() == 0)
    c.splitOverlap = 1
    #expect(placed(docs, docs.map { _ in 0 }, c).splitMixedClusters() == 1)
  }

  @Test func wordWeightsFollowHowWordsSpreadOverClusters() throws {
    // Planted topics 0, 1 and 2 each in its own cluster, every document
    // carrying the same two place words: a topic's own words weigh 1, the
    // place words (spread over the clusters as evenly as the documents) near 0.
    let corpus = PlantedCorpus(perTopic: 60, seed: 21)
    let idx = corpus.truth.indices.filter { corpus.truth[$0] < 3 }
    let c = stepConfig(topics: 4, keepSharedWords: true)
    let sampler = placed(idx.map { corpus.documents[$0] + ["小区", "栋"] }, idx.map { corpus.truth[$0] }, c)
    let g = sampler.wordWeights()
    let weight = { (w: String) in g[sampler.corpus.vocabulary.firstIndex(of: w)!] }
    #expect(weight("暖气") == 1)
    #expect(weight("噪音") == 1)
    #expect(weight("小区") < 0.01)
    #expect(weight("栋") < 0.01)
    #expect(weight("希望") < 0.05)
  }

  @Test func splitsTwoRequestsThatShareOnlyPlaceWords() throws {
    // Planted topics 0 and 1 glued in cluster 0, topics 2 and 3 in clusters
    // 1 and 2, every document carrying the same place words (小区, 号, 栋,
    // 单元, twice): the halves of cluster 0 share about half their words, all
    // of them spread over every cluster, so the plain overlap alone keeps
    // them together and the weighted overlap splits them.
    let corpus = PlantedCorpus(perTopic: 60, seed: 22)
    let place = ["小区", "号", "栋", "单元", "小区", "号", "栋", "单元"]
    let docs = corpus.documents.map { $0 + place }
    let clusters = corpus.truth.map { max(0, $0 - 1) }
    var c = stepConfig(topics: 4, keepSharedWords: true)
    let sampler = placed(docs, clusters, c)
    #expect(sampler.splitMixedClusters() == 1)
    let glued = corpus.truth.indices.filter { corpus.truth[$0] < 2 }
    let nmi = ClusteringMetrics.nmi(glued.map { Int(sampler.z[$0]) }, glued.map { corpus.truth[$0] })
    #expect(nmi >= 0.9, "NMI \(nmi)")
    c.splitWeightedOverlap = 0
    #expect(placed(docs, clusters, c).splitMixedClusters() == 0)
  }

  @Test func mergesOneTopicCutInTwo() throws {
    // Planted topic 0 spread over clusters 0 and 1, topic 2 in cluster 2:
    // the two halves of topic 0 merge, topic 2 stays apart.
    let corpus = PlantedCorpus(perTopic: 60, seed: 18)
    let (idx, docs, clusters) = topicZeroInHalves(corpus, others: [2])
    var c = stepConfig(topics: 3)
    let sampler = placed(docs, clusters, c)
    #expect(sampler.mergeCloseClusters() == 1)
    expectFinished(sampler, topics: 2, truth: idx.map { corpus.truth[$0] })
    c.mergeOverlap = 1
    #expect(placed(docs, clusters, c).mergeCloseClusters() == 0)
  }

  @Test func mergesAlikeClustersNotThoseSharingPlaceWords() throws {
    // Planted topic 0 in clusters 0 and 1, each half with its own matter
    // words (白天 上午 / 黑夜 凌晨, three times); topics 1 and 2 in clusters 2
    // and 3; every document carries the same place words. The halves of
    // topic 0 share their topic's words (weighted overlap high): one merge.
    // Clusters 2 and 3 share about half their words too, all of them
    // spread over every cluster (weighted overlap near 0): not merged,
    // unless the weighted bar is 0.
    let corpus = PlantedCorpus(perTopic: 60, seed: 24)
    let idx = corpus.truth.indices.filter { corpus.truth[$0] < 3 }
    let place = ["小区", "号", "栋", "单元", "小区", "号", "栋", "单元"]
    var half = 0
    var clusters: [Int] = []
    let docs = idx.map { d -> [String] in
      if corpus.truth[d] != 0 {
        clusters.append(corpus.truth[d] + 1)
        return corpus.documents[d] + place
      }
      half += 1
      clusters.append(half % 2)
      let matter = half % 2 == 0 ? ["白天", "上午"] : ["黑夜", "凌晨"]
      return corpus.documents[d] + place + matter + matter + matter
    }
    var c = stepConfig(topics: 4, keepSharedWords: true)
    let sampler = placed(docs, clusters, c)
    #expect(sampler.mergeAlikeClusters() == 1)
    expectFinished(sampler, topics: 3, truth: idx.map { corpus.truth[$0] })
    // The halves of topic 0 are left out when asked to be.
    #expect(placed(docs, clusters, c).mergeAlikeClusters(except: [1]) == 0)
    c.mergeAlikeWeightedOverlap = 0
    #expect(placed(docs, clusters, c).mergeAlikeClusters() == 2)
    c.mergeAlikeWeightedOverlap = 1
    #expect(placed(docs, clusters, c).mergeAlikeClusters() == 0)
  }

  @Test func splitsAgainAClusterThatHeldThreeRequests() throws {
    // Planted topics 1, 2 and 3 glued in cluster 0, topic 0 in cluster 1,
    // two free clusters: the split step takes one request off, and the
    // second pass over the clusters it made or cut pulls the other two
    // apart; with no second pass two stay together.
    let corpus = PlantedCorpus(perTopic: 60, seed: 25)
    let clusters = corpus.truth.map { $0 == 0 ? 1 : 0 }
    var c = stepConfig(topics: 4)
    let sampler = placed(corpus.documents, clusters, c)
    #expect(sampler.splitAndMerge() == (2, 0))
    expectFinished(sampler, topics: 4, truth: corpus.truth, nmi: 0.9)
    c.resplitRounds = 0
    let once = placed(corpus.documents, clusters, c)
    #expect(once.splitAndMerge() == (1, 0))
    #expect(once.finish(clustersPerIteration: []).topics.count == 3)
  }

  @Test func screenedDrawIsTheFullDraw() throws {
    // The draw that skips clusters below e^-40 of the top weight picks, with
    // the same generator state, exactly what the full conditional picks, and
    // `best` is the conditional's argmax; long documents (>= 32 tokens) take
    // the full path.
    var docs = PlantedCorpus(perTopic: 30, seed: 23, noise: 5).documents
    for i in 0..<6 { docs.append(Array(repeating: docs[i], count: 5).flatMap { $0 }) }
    var c = config()
    c.minDocumentFrequency = 1
    let corpus = Corpus(documents: docs, config: c)
    let K = 12
    let counts = ClusterCounts(
      K: K, V: corpus.vocabulary.count, alpha: c.alpha, beta: c.beta, maxLength: Int(corpus.lengths.max()!))
    let init0 = GSLRandom(seed: 9)
    var z = [Int](repeating: -1, count: corpus.documentCount)
    for d in 0..<corpus.documentCount where corpus.lengths[d] > 0 {
      z[d] = init0.uniformInt(K - 2)  // two clusters stay empty
      counts.move(d, corpus, to: z[d], sign: 1)
    }
    var out = [Double](repeating: 0, count: K), full = out
    var scratch = [Double](repeating: 0, count: 2 * K), picked = [Int32](repeating: 0, count: K)
    let r1 = GSLRandom(seed: 4), r2 = GSLRandom(seed: 4)
    var screened = 0
    for sweep in 0..<3 {
      for d in 0..<corpus.documentCount where z[d] >= 0 {
        counts.move(d, corpus, to: z[d], sign: -1)
        let a = out.withUnsafeMutableBufferPointer { o in
          scratch.withUnsafeMutableBufferPointer { s in
            picked.withUnsafeMutableBufferPointer { p in counts.draw(d, corpus, rng: r1, out: o, scratch: s, picked: p) }
          }
        }
        full.withUnsafeMutableBufferPointer { o in
          scratch.withUnsafeMutableBufferPointer { s in counts.conditional(d, corpus, into: o, scratch: s) }
        }
        var argmax = 0
        for k in 1..<K where full[k] > full[argmax] { argmax = k }
        let logFull = full
        let b = full.withUnsafeMutableBufferPointer { Sampler.draw($0, r2) }
        #expect(a == b, "sweep \(sweep), document \(d)")
        let best = out.withUnsafeMutableBufferPointer { o in
          scratch.withUnsafeMutableBufferPointer { s in
            picked.withUnsafeMutableBufferPointer { p in counts.best(d, corpus, out: o, scratch: s, picked: p) }
          }
        }
        #expect(best == argmax)
        // The screened log weight is the full one bit for bit (the screened
        // numerators multiply four tokens per pass, in the same order).
        if corpus.lengths[d] < 32 { #expect(out[best].bitPattern == logFull[best].bitPattern) }
        if corpus.lengths[d] < 32 { screened += 1 }
        z[d] = a
        counts.move(d, corpus, to: a, sign: 1)
      }
    }
    #expect(screened > 300)
  }

  @Test func denseProductsAreThePlainLoop() {
    // The C kernel (AVX2 or SSE2) gives each cluster's product of
    // (count + add) factors exactly as a plain loop in token order does,
    // for cluster counts around the vector widths and token counts past 32.
    let V = 50, Kmax = 160
    var rng = SplitMix64(seed: 5)
    var counts = [Int32](repeating: 0, count: V * Kmax)
    for i in counts.indices where rng.next() % 3 == 0 { counts[i] = Int32(rng.next() % 5000) }
    var mismatches = 0, cases = 0
    counts.withUnsafeBufferPointer { wc in
      for K in [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 18, 31, 33, 64, 123, 150, 160] {
        for n in [0, 1, 3, 4, 5, 12, 31, 32, 40] {
          var rows = [UnsafePointer<Int32>?](repeating: nil, count: max(n, 1))
          var adds = [Double](repeating: 0, count: max(n, 1))
          for t in 0..<n {
            rows[t] = wc.baseAddress! + Int(rng.next() % UInt64(V)) * K
            adds[t] = 0.05 + Double(rng.next() % 3)
          }
          var plain = (0..<K).map { _ in 0.5 + rng.nextDouble() }
          var kernel = plain
          for k in 0..<K {
            for t in 0..<n { plain[k] *= Double(rows[t]![k]) + adds[t] }
          }
          rows.withUnsafeMutableBufferPointer { r in
            adds.withUnsafeMutableBufferPointer { a in
              kernel.withUnsafeMutableBufferPointer { ClusterCounts.products($0.baseAddress!, r, a, n, K) }
            }
          }
          cases += 1
          if zip(plain, kernel).contains(where: { $0.bitPattern != $1.bitPattern }) { mismatches += 1 }
        }
      }
    }
    #expect(cases == 17 * 9)
    #expect(mismatches == 0, "AVX2 path: \(ClusterCounts.productsUseAVX2)")
  }

  @Test func weightsAreThePlainExpression() {
    // The C kernel gives (m + α) · (num / div) bit for bit and their maximum,
    // for cluster counts around the vector width.
    var rng = SplitMix64(seed: 9)
    var mismatches = 0
    for K in [1, 2, 3, 4, 5, 7, 8, 9, 17, 136, 150] {
      let m = (0..<K).map { _ in Int32(rng.next() % 3000) }
      let num = (0..<K).map { _ in Double(rng.next() % 1_000_000) * 1e-3 + rng.nextDouble() }
      let div = (0..<K).map { _ in 1 + Double(rng.next() % 1_000_000) * rng.nextDouble() }
      let alpha = 0.1
      let plain = (0..<K).map { (Double(m[$0]) + alpha) * (num[$0] / div[$0]) }
      var out = [Double](repeating: -1, count: K)
      let top = out.withUnsafeMutableBufferPointer { o in
        ClusterCounts.weights(o.baseAddress!, num, div, m, alpha, K)
      }
      if zip(plain, out).contains(where: { $0.bitPattern != $1.bitPattern }) { mismatches += 1 }
      if top.bitPattern != plain.reduce(0.0, { Swift.max($0, $1) }).bitPattern { mismatches += 1 }
    }
    #expect(mismatches == 0, "AVX2 path: \(ClusterCounts.productsUseAVX2)")
  }

  @Test func automaticBound() {
    #expect(TopicModel.Config.automaticMaxTopics(documents: 100) == 10)
    #expect(TopicModel.Config.automaticMaxTopics(documents: 1_842) == 73)
    #expect(TopicModel.Config.automaticMaxTopics(documents: 2_989) == 119)
    #expect(TopicModel.Config.automaticMaxTopics(documents: 3_775) == 150)
    #expect(TopicModel.Config.automaticMaxTopics(documents: 300_000) == 150)
  }

  /// Labels name words: single characters (segmentation fragments) and
  /// numbers come only when fewer than two longer terms qualify; a term
  /// sharing a character with an earlier label term is skipped; the terms
  /// keep their rank order.
  @Test func labelsPreferWords() {
    func terms(_ words: [String]) -> [TopicModel.Term] {
      words.enumerated().map { TopicModel.Term(term: $1, weight: Double(10 - $0)) }
    }
    #expect(Sampler.label(terms(["电梯", "滨", "30", "困人", "家园", "维保"])) == "电梯·困人·家园")
    #expect(Sampler.label(terms(["医院", "健", "卫", "就诊"])) == "医院·就诊")
    #expect(Sampler.label(terms(["停电", "停电时间", "抢修", "电路"])) == "停电·抢修")
    // Fewer than two words: the single characters fill in, in rank order.
    #expect(Sampler.label(terms(["健", "医院", "卫"])) == "健·医院·卫")
    #expect(Sampler.label(terms(["12", "水"])) == "12·水")
    #expect(Sampler.label([]) == "")
  }

  @Test func emptyInputs() throws {
    let none = try TopicModel.run(documents: [], config: config())
    #expect(none.assignments.isEmpty && none.topics.isEmpty)
    // Documents without any vocabulary term are outliers.
    let blank = try TopicModel.run(documents: [[], [], ["独词"]], config: config())
    #expect(blank.assignments == [-1, -1, -1])
    #expect(blank.topics.isEmpty)
    #expect(blank.emptyDocuments == 3)
  }

  @Test func outliersStayWithinBound() throws {
    // 40 noise documents in many tiny clusters next to 4 × 50 planted ones.
    let corpus = PlantedCorpus(perTopic: 50, seed: 14, noise: 40)
    for share in [0.0, 0.05, 0.1] {
      var c = config()
      c.minDocumentFrequency = 1
      c.minTopicSize = 10
      c.outlierShare = share
      let r = try TopicModel.run(documents: corpus.documents, config: c)
      let dissolvedOutliers = r.outlierCount - r.emptyDocuments
      #expect(Double(dissolvedOutliers) <= share * Double(corpus.documents.count))
      #expect(r.topics.allSatisfy { $0.size >= 10 })
    }
  }

  @Test func rejectsBadSettings() {
    var c = TopicModel.Config()
    c.alpha = 0
    #expect(throws: TopicModel.ConfigError.self) { try TopicModel.run(documents: [["a"]], config: c) }
    c = TopicModel.Config()
    c.maxTopics = 0
    #expect(throws: TopicModel.ConfigError.self) { try TopicModel.run(documents: [], config: c) }
    c = TopicModel.Config()
    c.outlierShare = 1.5
    #expect(throws: TopicModel.ConfigError.self) { try c.validate() }
    c = TopicModel.Config()
    c.mergeOverlap = -0.1
    #expect(throws: TopicModel.ConfigError.self) { try TopicModel.run(documents: [["a"]], config: c) }
    c = config()
    c.premergeOverlap = 1.5
    #expect(throws: TopicModel.ConfigError.self) { try c.validate() }
    c = config()
    c.splitSmallShare = 0
    #expect(throws: TopicModel.ConfigError.self) { try c.validate() }
    c = config()
    c.mergeAlikeOverlap = 1.5
    #expect(throws: TopicModel.ConfigError.self) { try c.validate() }
    c = config()
    c.mergeAlikeWeightedOverlap = -0.1
    #expect(throws: TopicModel.ConfigError.self) { try c.validate() }
    c = config()
    c.resplitRounds = -1
    #expect(throws: TopicModel.ConfigError.self) { try c.validate() }
  }

  @Test func bigramTokenizer() {
    let t = BigramTokenizer()
    #expect(t.tokens("小区停车难，ABC 123 x") == ["小区", "区停", "停车", "车难", "abc"])
    #expect(t.tokens("好。A3区") == ["a3"])
    #expect(t.tokens("") == [])
  }
}

struct TopicClusteringTests {
  static let categories: [[String]] = [
    ["城乡建设", "停车管理"], ["环境保护", "噪音污染"], ["城乡建设", "供暖"], ["教育文体", "入学"],
  ]

  /// Tickets of the planted corpus and the id of one deliberately mislabelled.
  func tickets() -> (tickets: [Ticket], mislabelled: String) {
    let corpus = PlantedCorpus(perTopic: 50, seed: 21)
    let clock = ZoneClock.shanghai
    var out: [Ticket] = []
    for (i, words) in corpus.documents.enumerated() {
      let month = 1 + i % 3
      out.append(
        Ticket(
          id: "T\(i)", receivedAt: clock.epoch(CivilDateTime(year: 2024, month: month, day: 10)),
          category: Self.categories[corpus.truth[i]], title: words[0],
          text: words.dropFirst().joined(separator: "，"),
          district: ["东区", "西区", "南区"][i % 3 == 0 ? 0 : i % 2 + 1]))
    }
    // A planted mislabel: a school ticket filed under 环境保护.
    let school = corpus.truth.firstIndex(of: 3)!
    out[school].category = ["环境保护", "噪音污染"]
    return (out, out[school].id)
  }

  @Test func describesTopicsAndFlagsMislabel() throws {
    let (tickets, mislabelled) = self.tickets()
    var config = TopicClustering.Config()
    config.model.maxTopics = 20
    config.model.iterations = 15
    let result = try TopicClustering.run(
      on: tickets, tokenize: BigramTokenizer().closure, config: config)
    #expect(result.topics.count == 4)
    for topic in result.topics {
      #expect(topic.ticketIds.count == topic.size)
      #expect(topic.monthly.map(\.name) == ["2024-01", "2024-02", "2024-03"])
      #expect(topic.monthly.map(\.count).reduce(0, +) == topic.size)
      #expect(topic.topDistricts.first != nil)
      #expect(topic.representativeTicketIds.count == 2)
      #expect(topic.label.contains("·"))
    }
    let crosswalk = try #require(result.crosswalk)
    #expect(crosswalk.topics.count == 4)
    let flagged = crosswalk.disagreements.map(\.ticketId)
    #expect(flagged.contains(mislabelled))
    #expect(flagged.count <= 3, "flagged \(flagged)")
    // Two planted topics share level 1 城乡建设 but differ at level 2.
    #expect(crosswalk.topics.allSatisfy { $0.level2.count >= 1 && $0.categorised > 0 })
  }

  /// A district written two ways (东区, 东 区) is one in the topics' top districts.
  @Test func topDistrictsFoldSpellings() throws {
    var tickets = self.tickets().tickets
    for i in tickets.indices where i % 4 == 0 && tickets[i].district == "东区" { tickets[i].district = "东 区" }
    var config = TopicClustering.Config()
    config.model.maxTopics = 20
    let result = try TopicClustering.run(on: tickets, tokenize: BigramTokenizer().closure, config: config)
    for topic in result.topics {
      #expect(!topic.topDistricts.contains { $0.name == "东 区" })
      #expect(topic.topDistricts.map(\.count).reduce(0, +) == topic.size)
    }
  }

  @Test func noCategoriesNoCrosswalk() throws {
    var tickets = self.tickets().tickets
    for i in tickets.indices { tickets[i].category = [] }
    let result = try TopicClustering.run(on: tickets, tokenize: BigramTokenizer().closure)
    #expect(result.crosswalk == nil)
    #expect(result.assignments.count == tickets.count)
  }
}

struct TokenizedDocumentsTests {
  @Test func utf8BuilderMatchesBuilder() {
    var docs = PlantedCorpus(perTopic: 10, seed: 5).documents
    // One String in two byte forms (composed and decomposed é): one word.
    docs.append(["caf\u{E9}", "停车"])
    docs.append(["cafe\u{301}", "停车"])
    docs.append([])
    let whole = TokenizedDocuments(docs)
    let parts = [docs[..<20], docs[20...]].map { part -> TokenizedDocuments in
      var b = TokenizedDocuments.UTF8Builder()
      for doc in part {
        for w in doc {
          var w = w
          w.withUTF8 { b.appendToken($0) }
        }
        b.endDocument()
      }
      return b.documents
    }
    let joined = TokenizedDocuments.concatenating(parts)
    #expect(joined.vocabulary == whole.vocabulary)
    #expect(joined.tokens == whole.tokens)
    #expect(joined.offsets == whole.offsets)
    #expect(joined.document(docs.count - 2) == ["caf\u{E9}", "停车"])
  }


  @Test func clauseCacheGivesTheSameDocuments() {
    // Documents as clauses of words: a cached clause must append exactly
    // the tokens it gave the first time, and ids stay in first-seen order.
    let clauses: [[String]] = [["噪音", "扰民"], ["停车", "难", "停车"], [], ["物业费"], ["噪音"]]
    let docs: [[Int]] = [[0, 1], [1, 0, 2], [3, 3, 3], [], [4, 0], [2, 4, 1]]
    var plain = TokenizedDocuments.UTF8Builder()
    var cached = TokenizedDocuments.UTF8Builder()
    var hits = 0
    for d in docs {
      for c in d {
        var key = clauses[c].joined(separator: "|") + "#\(c)"
        key.withUTF8 { k in
          for w in clauses[c] {
            var w = w
            w.withUTF8 { plain.appendToken($0) }
          }
          let id = cached.cachedClause(k)
          if id >= 0 {
            hits += 1
            cached.appendCachedClause(id)
            return
          }
          let mark = cached.tokenCount
          for w in clauses[c] {
            var w = w
            w.withUTF8 { cached.appendToken($0) }
          }
          cached.cacheClause(k, since: mark)
        }
      }
      plain.endDocument()
      cached.endDocument()
    }
    #expect(hits == 8)
    #expect(cached.documents.vocabulary == plain.documents.vocabulary)
    #expect(cached.documents.tokens == plain.documents.tokens)
    #expect(cached.documents.offsets == plain.documents.offsets)
    // A full cache keeps nothing more but stays correct.
    var tiny = TokenizedDocuments.UTF8Builder(clauseCacheBytes: 0)
    var k = "噪音扰民"
    var w = "噪音"
    k.withUTF8 { key in
      w.withUTF8 { tiny.appendToken($0) }
      tiny.cacheClause(key, since: 0)
      #expect(tiny.cachedClause(key) == -1)
    }
    #expect(tiny.documents.tokens == [0])
  }

  @Test func partsConcatenateToTheWhole() throws {
    let corpus = PlantedCorpus(perTopic: 30, seed: 21, noise: 10)
    let whole = TokenizedDocuments(corpus.documents)
    #expect(whole.count == corpus.documents.count)
    for i in [0, 7, corpus.documents.count - 1] { #expect(whole.document(i) == corpus.documents[i]) }
    // Built in three parts (each with its own ids), then concatenated.
    let cut = [0, 40, 85, corpus.documents.count]
    let parts = (0..<3).map { TokenizedDocuments(Array(corpus.documents[cut[$0]..<cut[$0 + 1]])) }
    let joined = TokenizedDocuments.concatenating(parts)
    #expect(joined.count == whole.count)
    for i in 0..<joined.count { #expect(joined.document(i) == corpus.documents[i]) }
    #expect(Set(joined.vocabulary) == Set(whole.vocabulary))
    #expect(joined.vocabulary.count == Set(joined.vocabulary).count)
    // The model sees the same corpus either way.
    var c = TopicModel.Config()
    c.maxTopics = 10
    c.seed = 3
    let a = try TopicModel.run(documents: corpus.documents, config: c)
    let b = try TopicModel.run(documents: joined, config: c)
    #expect(a.assignments == b.assignments)
    #expect(a.topics.map(\.label) == b.topics.map(\.label))
    #expect(TokenizedDocuments().count == 0)
  }
}
