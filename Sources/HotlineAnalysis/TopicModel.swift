internal import CICUShim
import Foundation
import HotlineStats

/// Short-text topic model: the Gibbs sampling Dirichlet multinomial mixture
/// (GSDMM) of Yin and Wang, "A Dirichlet Multinomial Mixture Model-based
/// Approach for Short Text Clustering", KDD 2014.
///
/// Every document belongs to exactly one topic (short tickets are about one
/// thing). The sampler starts with `maxTopics` clusters and documents
/// migrate between them; clusters that empty out stay empty, so the model
/// chooses the number of topics up to that bound. The model sees only token
/// lists: tokenization (a word segmenter, or ``BigramTokenizer``) happens
/// before, so any tokenizer plugs in.
///
/// After sampling:
/// - Clusters holding one kind of request are merged (`premergeOverlap`),
///   clusters holding two unrelated groups are split, and clusters holding
///   one kind of request are merged again (`splitMixed`, `splitOverlap`,
///   `splitWeightedOverlap`,
///   `splitSmallShare`, `mergeOverlap`, `mergeAlikeOverlap`,
///   `mergeAlikeWeightedOverlap`); the clusters a split made are tested for
///   a split again (`resplitRounds`).
/// - Documents with no vocabulary term are outliers (topic -1).
/// - Clusters smaller than the minimum topic size dissolve, except a group
///   the split step cut off (`splitSmallShare`) and, with
///   `keepDistinctSmall`, groups of a request of their own: a small
///   cluster, or one the split step emptied to make room (into a free
///   cluster), of at least `splitSmallShare` of the minimum size, is kept
///   when its words differ from every topic's as a split's halves must
///   (and one of its words is in half of its documents), and joins the
///   topic whose words it shares as the merge steps require
///   (`mergeOverlap`, or `mergeAlikeOverlap` and
///   `mergeAlikeWeightedOverlap`). Taking the rest from
///   the smallest up (ties: lower cluster index), a dissolved cluster's
///   documents become outliers while the outliers stay within
///   `outlierShare` of all documents; the documents of the remaining
///   dissolved clusters go to their most probable surviving topic (the GSDMM
///   conditional against the survivors' counts, ties to the lower id). If no
///   cluster reaches the minimum size, none dissolves.
/// - Topics are renumbered by size, 0 the largest (ties: lower cluster index).
///
/// All randomness comes from one GSL mt19937 seeded with `seed`: the same
/// documents in the same order with the same configuration give the same
/// result. The vocabulary is numbered in term order, so it does not depend on
/// document order.
public enum TopicModel {
  /// Model settings; defaults suit 12345 tickets of 20-200 characters.
  public struct Config: Sendable {
    /// Upper bound on the number of topics (K): the sampler's initial
    /// cluster count. Default 60.
    public var maxTopics: Int = 60
    /// Dirichlet prior on cluster sizes: larger lets documents join small
    /// clusters more readily. Default 0.1 (Yin and Wang).
    public var alpha: Double = 0.1
    /// Dirichlet prior on a cluster's words: smaller makes clusters more
    /// word-coherent and more numerous. Default 0.05.
    public var beta: Double = 0.05
    /// Gibbs sweeps over all documents (at most). Default 15 (25 gave the
    /// same NMI on real and synthetic tickets over four seeds, at 1.7 times
    /// the sampling time).
    public var iterations: Int = 15
    /// Sampling stops early when fewer than this share of the documents
    /// changed topic in two consecutive sweeps; 0 always runs `iterations`.
    /// Default 0.002.
    public var convergence: Double = 0.002
    /// At most this many documents (a seeded random sample) are sampled;
    /// the others then join their most probable topic under the fitted
    /// counts, in one parallel pass. Default 200,000.
    public var fitSample: Int = 200_000
    /// After sampling, a cluster that holds two distinct groups of documents
    /// (two unrelated requests that the sampler failed to pull apart) is
    /// split in two when the split raises the model's marginal likelihood
    /// decisively, the halves share few words (`splitOverlap`) and a cluster
    /// is free (empty, or below the minimum topic size). Default true.
    public var splitMixed: Bool = true
    /// A split is made only when the two halves' word distributions overlap
    /// (histogram intersection, 0 to 1) less than this: halves that share
    /// more are two matters of one kind of request, not two requests.
    /// Splits are made least overlap first. Default 0.35.
    public var splitOverlap: Double = 0.35
    /// A split is also made when the halves' overlap with each word weighted
    /// by how few clusters it is spread over is below this: a word's weight
    /// is 1 − (entropy of its counts over the clusters of at least the
    /// minimum size) / log(their number), so words spread evenly over the
    /// topics (号, 小区, 物业 …) hardly count. Two requests set in the same
    /// kind of place share those words and look alike to the plain overlap
    /// (遛狗 with 停电 on `medium`: 0.35 plain, 0.09 weighted). All splits
    /// are made least weighted overlap first. 0 turns it off. Default 0.30.
    public var splitWeightedOverlap: Double = 0.30
    /// A split may also cut off a group smaller than the minimum topic size
    /// but at least this share of it (a small request the sampler glued to
    /// another one); that group keeps its own topic. Such splits take a free
    /// cluster after the splits whose halves both reach the minimum size.
    /// 1 allows only halves of the minimum size. Default 0.25.
    public var splitSmallShare: Double = 0.25
    /// After the split step, clusters whose word distributions overlap more
    /// than this are merged (one kind of request cut in two by the sampler);
    /// 1 turns merging off. Default 0.55.
    public var mergeOverlap: Double = 0.55
    /// Before the split step, clusters whose word distributions overlap
    /// more than this are merged as `mergeOverlap` does after it (one kind
    /// of request the sampler cut in two), so that their slots are free for
    /// splits; 1 turns it off. Default 0.65.
    public var premergeOverlap: Double = 0.65
    /// After the merges above `mergeOverlap`, one more round (each cluster
    /// at most once, the closest pair first by the weighted overlap) merges
    /// pairs whose plain overlap is above this and whose overlap with each
    /// word weighted as in `splitWeightedOverlap` is above
    /// `mergeAlikeWeightedOverlap`: two matters of one kind of request share
    /// its own words, two requests set in the same kind of place share
    /// words spread over all topics, which weigh little. Default 0.40.
    public var mergeAlikeOverlap: Double = 0.40
    /// See `mergeAlikeOverlap`; 1 turns that round off. Default 0.33.
    public var mergeAlikeWeightedOverlap: Double = 0.33
    /// Clusters below the minimum topic size (at least `splitSmallShare` of
    /// it), and those the split step emptied to make room, are kept as
    /// topics when their words differ from every surviving topic's as a
    /// split's halves must (`splitOverlap`, `splitWeightedOverlap`; one of
    /// their words in at least half of their documents), or
    /// join the topic they share words with as the merges require, instead
    /// of going to the outliers: a small request of its own (防汛 or 殡葬 on
    /// `medium`, whose clusters the split step had emptied) or a piece of
    /// a larger one. Default true.
    public var keepDistinctSmall: Bool = true
    /// After the merges, the clusters a split moved documents out of or
    /// into are tested for a split again (a cluster that held three requests
    /// keeps two in one half), while a cluster is free, at most this many
    /// rounds; there both halves may be below the minimum topic size (each
    /// at least `splitSmallShare` of it, both kept). 0 turns it off.
    /// Default 3.
    public var resplitRounds: Int = 3
    /// Seed of the GSL mt19937 generator. Default 1.
    public var seed: UInt64 = 1
    /// Terms in fewer documents are dropped. Default 3.
    public var minDocumentFrequency: Int = 3
    /// Terms in more than this share of documents are dropped (greetings,
    /// 反映, 问题 ...). Default 0.3.
    public var maxDocumentFrequencyShare: Double = 0.3
    /// Terms for which this returns true are dropped. Default none.
    public var isStopword: (@Sendable (String) -> Bool)? = nil
    /// Clusters below this size dissolve; `nil` means max(5, 0.2 % of the
    /// documents). Default nil.
    public var minTopicSize: Int? = nil
    /// Upper bound on the share of documents left as outliers by dissolving
    /// small clusters (documents without vocabulary terms are outliers
    /// regardless). Default 0.1.
    public var outlierShare: Double = 0.10
    /// Terms kept per topic. Default 10.
    public var topTerms: Int = 10
    /// Representative documents kept per topic. Default 2.
    public var representatives: Int = 2

    public init() {}

    /// The bound the CLI uses when none is given: about one topic per 25
    /// documents, between 10 and 150. A city's level-2 taxonomy has about
    /// 120 categories, and a district's month (a few thousand tickets)
    /// already uses most of them: a bound of one per 100 forced unrelated
    /// requests into one topic (停电 with 渣土车 on the bundled sample, NMI
    /// 0.76 against 0.91 with this bound).
    public static func automaticMaxTopics(documents: Int) -> Int {
      min(150, max(10, documents / 25))
    }

    /// Throws ``ConfigError`` for a setting outside its domain.
    public func validate() throws {
      func check(_ ok: Bool, _ message: String) throws {
        if !ok { throw ConfigError(message: message) }
      }
      try check(maxTopics >= 1, "maxTopics must be at least 1 (got \(maxTopics))")
      try check(alpha > 0 && alpha.isFinite, "alpha must be positive (got \(alpha))")
      try check(beta > 0 && beta.isFinite, "beta must be positive (got \(beta))")
      try check(iterations >= 1, "iterations must be at least 1 (got \(iterations))")
      try check(fitSample >= 1, "fitSample must be at least 1 (got \(fitSample))")
      try check(convergence >= 0 && convergence < 1, "convergence must be in [0, 1) (got \(convergence))")
      try check(minDocumentFrequency >= 1, "minDocumentFrequency must be at least 1")
      try check(
        maxDocumentFrequencyShare > 0 && maxDocumentFrequencyShare <= 1,
        "maxDocumentFrequencyShare must be in (0, 1] (got \(maxDocumentFrequencyShare))")
      try check(splitOverlap >= 0 && splitOverlap <= 1, "splitOverlap must be in [0, 1] (got \(splitOverlap))")
      try check(
        splitWeightedOverlap >= 0 && splitWeightedOverlap <= 1,
        "splitWeightedOverlap must be in [0, 1] (got \(splitWeightedOverlap))")
      try check(
        mergeAlikeOverlap >= 0 && mergeAlikeOverlap <= 1,
        "mergeAlikeOverlap must be in [0, 1] (got \(mergeAlikeOverlap))")
      try check(
        mergeAlikeWeightedOverlap >= 0 && mergeAlikeWeightedOverlap <= 1,
        "mergeAlikeWeightedOverlap must be in [0, 1] (got \(mergeAlikeWeightedOverlap))")
      try check(resplitRounds >= 0, "resplitRounds must be at least 0 (got \(resplitRounds))")
      try check(
        splitSmallShare > 0 && splitSmallShare <= 1, "splitSmallShare must be in (0, 1] (got \(splitSmallShare))")
      try check(mergeOverlap >= 0 && mergeOverlap <= 1, "mergeOverlap must be in [0, 1] (got \(mergeOverlap))")
      try check(
        premergeOverlap >= 0 && premergeOverlap <= 1, "premergeOverlap must be in [0, 1] (got \(premergeOverlap))")
      try check((minTopicSize ?? 1) >= 1, "minTopicSize must be at least 1")
      try check(outlierShare >= 0 && outlierShare <= 1, "outlierShare must be in [0, 1]")
      try check(topTerms >= 1, "topTerms must be at least 1")
      try check(representatives >= 0, "representatives must not be negative")
    }
  }

  /// A setting outside its domain.
  public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
  }

  /// A term and its class-based TF-IDF weight in a topic.
  public struct Term: Sendable, Hashable, Codable {
    public var term: String
    public var weight: Double
    public init(term: String, weight: Double) {
      self.term = term
      self.weight = weight
    }
  }

  /// One topic of the result.
  public struct Topic: Sendable {
    /// 0 is the largest topic.
    public var id: Int
    /// Number of documents.
    public var size: Int
    /// The most distinctive terms by class-based TF-IDF (BERTopic's c-TF-IDF):
    /// the term's share of the topic's words × log(1 + A / f), with f the
    /// term's count over all topics and A the average word count per topic.
    public var terms: [Term]
    /// The top two or three distinctive terms joined with "·", in their
    /// order; terms sharing a character with an earlier label term
    /// (overlapping bigrams) are skipped, and single characters and numbers
    /// are used only when fewer than two longer terms qualify.
    public var label: String
    /// Indices of the documents most probable under the topic (highest mean
    /// log-probability per token among the topic's longer documents).
    public var representatives: [Int]
  }

  /// The clustering.
  public struct Result: Sendable {
    /// Topic id per input document, -1 for outliers.
    public var assignments: [Int]
    /// Topics by id.
    public var topics: [Topic]
    /// Non-empty clusters after each Gibbs sweep (diagnostics).
    public var clustersPerIteration: [Int]
    /// Terms kept in the vocabulary.
    public var vocabularySize: Int
    /// Documents without any vocabulary term.
    public var emptyDocuments: Int
    /// The minimum topic size applied.
    public var minTopicSize: Int
    /// Small clusters dissolved into the outliers.
    public var clustersToOutliers: Int
    /// Small clusters whose documents were reassigned to surviving topics.
    public var clustersReassigned: Int
    /// Clusters split in two because they held two groups of documents
    /// (see `Config.splitMixed`).
    public var clustersSplit: Int = 0
    /// Pairs of clusters merged because their words overlap (see
    /// `Config.mergeOverlap`).
    public var clustersMerged: Int = 0

    /// Documents assigned to no topic.
    public var outlierCount: Int { assignments.lazy.filter { $0 < 0 }.count }

    static let empty = Result(
      assignments: [], topics: [], clustersPerIteration: [], vocabularySize: 0,
      emptyDocuments: 0, minTopicSize: 0, clustersToOutliers: 0, clustersReassigned: 0)
  }

  /// Clusters `documents` (token lists) into topics.
  public static func run(documents: [[String]], config: Config = Config()) throws -> Result {
    try run(documents: TokenizedDocuments(documents), config: config)
  }

  /// Clusters tokenised documents into topics (the same result as the
  /// `[[String]]` form for the same documents).
  public static func run(documents: TokenizedDocuments, config: Config = Config()) throws -> Result {
    try config.validate()
    if documents.count == 0 { return .empty }
    let corpus = Corpus(documents: documents, config: config)
    let sampler = Sampler(corpus: corpus, config: config)
    let perIteration = sampler.sample()
    let (splits, merges) = sampler.splitAndMerge()
    var result = sampler.finish(clustersPerIteration: perIteration)
    result.clustersSplit = splits
    result.clustersMerged = merges
    return result
  }
}

// MARK: - Corpus

/// Documents as term ids: per document its distinct terms and their counts.
struct Corpus {
  /// Term by id, in term order.
  var vocabulary: [String]
  /// Document d's distinct terms are `terms[offsets[d]..<offsets[d+1]]`.
  var offsets: [Int]
  var terms: [Int32]
  var counts: [Int32]
  /// Tokens (with multiplicity) per document.
  var lengths: [Int32]

  var documentCount: Int { lengths.count }

  init(documents: [[String]], config: TopicModel.Config) {
    self.init(documents: TokenizedDocuments(documents), config: config)
  }

  init(documents: TokenizedDocuments, config: TopicModel.Config) {
    let names = documents.vocabulary
    let flat = documents.tokens
    let flatOffsets = documents.offsets
    // Document frequencies of the provisional ids.
    var df = [Int32](repeating: 0, count: names.count)
    var lastDoc = [Int32](repeating: -1, count: names.count)
    for d in 0..<documents.count {
      for id in flat[flatOffsets[d]..<flatOffsets[d + 1]] where lastDoc[Int(id)] != Int32(d) {
        lastDoc[Int(id)] = Int32(d)
        df[Int(id)] += 1
      }
    }
    // Vocabulary: frequency bounds and stopwords, numbered in term order.
    let maxDF = Double(documents.count) * config.maxDocumentFrequencyShare
    var kept: [Int32] = []
    for id in names.indices {
      let f = Int(df[id])
      if f < config.minDocumentFrequency || Double(f) > maxDF { continue }
      if let stop = config.isStopword, stop(names[id]) { continue }
      kept.append(Int32(id))
    }
    kept.sort { names[Int($0)] < names[Int($1)] }
    var remap = [Int32](repeating: -1, count: names.count)
    for (newId, old) in kept.enumerated() { remap[Int(old)] = Int32(newId) }
    vocabulary = kept.map { names[Int($0)] }

    offsets = [0]
    offsets.reserveCapacity(documents.count + 1)
    terms = []
    counts = []
    lengths = []
    lengths.reserveCapacity(documents.count)
    var scratch: [Int32] = []
    for d in 0..<documents.count {
      scratch.removeAll(keepingCapacity: true)
      for id in flat[flatOffsets[d]..<flatOffsets[d + 1]] where remap[Int(id)] >= 0 {
        scratch.append(remap[Int(id)])
      }
      scratch.sort()
      var i = 0
      while i < scratch.count {
        var j = i + 1
        while j < scratch.count && scratch[j] == scratch[i] { j += 1 }
        terms.append(scratch[i])
        counts.append(Int32(j - i))
        i = j
      }
      offsets.append(terms.count)
      lengths.append(Int32(scratch.count))
    }
  }
}

// MARK: - Sampler

/// Cluster counts of the collapsed Gibbs sampler, with the caches that make
/// the conditional cheap. The word counts are word-major
/// (`wordCounts[w * K + z]`) so that the conditional over all clusters reads
/// one contiguous row per word.
// One thread at a time uses an instance, so the hot arrays skip the dynamic
// exclusivity checks (they cost about 5 % of a sweep).
final class ClusterCounts: @unchecked Sendable {
  let K: Int
  let V: Int
  let alpha: Double
  let beta: Double
  /// m_z: documents per cluster.
  @exclusivity(unchecked) var docCount: [Int32]
  /// n_z: tokens per cluster.
  @exclusivity(unchecked) var tokenCount: [Int32]
  /// n_z^w, word-major.
  @exclusivity(unchecked) var wordCounts: [Int32]
  /// log(m_z + α), kept in step with `docCount`.
  @exclusivity(unchecked) var logPrior: [Double]
  /// Denominator cache, per cluster z and length N: Σ_{i<N} log(n_z + Vβ + i)
  /// = `blockLog[z * blocks + N / 32]` + log(`partial[z * stride + N]`), where
  /// `partial` is the product of the factors since the last multiple of 32.
  /// Entries N < `denValid[z]` are valid; a change of n_z resets them.
  @exclusivity(unchecked) var partial: [Double]
  @exclusivity(unchecked) var blockLog: [Double]
  @exclusivity(unchecked) var denValid: [Int32]
  let stride: Int
  let blocks: Int

  init(K: Int, V: Int, alpha: Double, beta: Double, maxLength: Int) {
    self.K = K
    self.V = V
    self.alpha = alpha
    self.beta = beta
    docCount = [Int32](repeating: 0, count: K)
    tokenCount = [Int32](repeating: 0, count: K)
    wordCounts = [Int32](repeating: 0, count: K * V)
    logPrior = [Double](repeating: log(alpha), count: K)
    // Lengths up to 1024 tokens, or more while the cache stays within 2^20
    // entries (8 MB): longer documents take a logarithm per token and cluster.
    stride = min(max(maxLength, 1), max(1024, (1 << 20) / max(K, 1))) + 1
    blocks = stride / 32 + 1
    partial = [Double](repeating: 1, count: K * stride)
    blockLog = [Double](repeating: 0, count: K * blocks)
    denValid = [Int32](repeating: 0, count: K)
  }

  init(copying o: ClusterCounts) {
    K = o.K
    V = o.V
    alpha = o.alpha
    beta = o.beta
    docCount = o.docCount
    tokenCount = o.tokenCount
    wordCounts = o.wordCounts
    logPrior = o.logPrior
    stride = o.stride
    blocks = o.blocks
    partial = o.partial
    blockLog = o.blockLog
    denValid = o.denValid
  }

  /// Makes this a copy of `o`'s counts (same shape).
  func assign(from o: ClusterCounts) {
    docCount = o.docCount
    tokenCount = o.tokenCount
    wordCounts = o.wordCounts
    logPrior = o.logPrior
    partial = o.partial
    blockLog = o.blockLog
    denValid = o.denValid
  }

  func move(_ d: Int, _ corpus: Corpus, to cluster: Int, sign: Int32) {
    docCount[cluster] += sign
    logPrior[cluster] = log(Double(docCount[cluster]) + alpha)
    tokenCount[cluster] += sign * corpus.lengths[d]
    denValid[cluster] = 0
    let lo = corpus.offsets[d], hi = corpus.offsets[d + 1]
    let K = self.K
    wordCounts.withUnsafeMutableBufferPointer { wc in
      corpus.terms.withUnsafeBufferPointer { terms in
        corpus.counts.withUnsafeBufferPointer { counts in
          for i in lo..<hi { wc[Int(terms[i]) &* K &+ cluster] &+= sign &* counts[i] }
        }
      }
    }
  }

  /// Log of the GSDMM conditional p(z_d = k | z_¬d, d) up to a constant
  /// (equation 4 of the paper), for every cluster k:
  ///   log(m_k + α) + Σ_w Σ_{j=1..N_d^w} log(n_k^w + β + j − 1)
  ///                − Σ_{i=1..N_d} log(n_k + Vβ + i − 1).
  /// Numerator factors are multiplied in chunks of 32 tokens, so one
  /// logarithm per cluster serves 32 tokens without overflow (each factor
  /// lies in [β, ~1e7]); the denominator, which depends only on n_k and N_d,
  /// comes from a per-cluster cache that is extended only when n_k changed,
  /// and its partial product shares the last chunk's logarithm. A short
  /// document costs one logarithm per cluster.
  func conditional(
    _ d: Int, _ corpus: Corpus, into out: UnsafeMutableBufferPointer<Double>,
    scratch: UnsafeMutableBufferPointer<Double>
  ) {
    let K = self.K
    let beta = self.beta
    let vBeta = Double(V) * beta
    let length = Int(corpus.lengths[d])
    let num = UnsafeMutableBufferPointer(rebasing: scratch[0..<K])
    let divisor = UnsafeMutableBufferPointer(rebasing: scratch[K..<(2 * K)])
    let stride = self.stride, blocks = self.blocks
    tokenCount.withUnsafeBufferPointer { n in
      partial.withUnsafeMutableBufferPointer { partial in
        blockLog.withUnsafeMutableBufferPointer { blockLog in
          denValid.withUnsafeMutableBufferPointer { valid in
            logPrior.withUnsafeBufferPointer { prior in
              for k in 0..<K {
                num[k] = 1
                let x = Double(n[k]) + vBeta
                if length < stride {
                  let row = k * stride, brow = k * blocks
                  var next = Int(valid[k])
                  if next == 0 {
                    partial[row] = 1
                    blockLog[brow] = 0
                    next = 1
                  }
                  // The running product stays in a register (the same
                  // multiplications as reading back the last entry).
                  var p = partial[row &+ next &- 1]
                  while next <= length {
                    let factor = x + Double(next &- 1)
                    if next & 31 == 0 {
                      let b = next >> 5
                      blockLog[brow &+ b] = blockLog[brow &+ b &- 1] + log(p * factor)
                      p = 1
                    } else {
                      p *= factor
                    }
                    partial[row &+ next] = p
                    next &+= 1
                  }
                  if Int(valid[k]) < next { valid[k] = Int32(next) }
                  out[k] = prior[k] - blockLog[brow + (length >> 5)]
                  divisor[k] = partial[row + length]
                } else {
                  var s = 0.0
                  for i in 0..<length { s += log(x + Double(i)) }
                  out[k] = prior[k] - s
                  divisor[k] = 1
                }
              }
            }
          }
        }
      }
    }
    // Numerators: up to 32 tokens' factors at a time through the dense
    // kernel (each cluster's product in token order, as a plain loop takes
    // it); after each 32 the product's binary exponent is moved into a
    // counter (exact: a power of two), so each cluster takes one logarithm
    // per document, not one per 32 tokens.
    withUnsafeTemporaryAllocation(of: UnsafePointer<Int32>?.self, capacity: 32) { rows in
      withUnsafeTemporaryAllocation(of: Double.self, capacity: 32 + K) { scratch2 in
        let adds = UnsafeMutableBufferPointer(rebasing: scratch2[0..<32])
        let exps = UnsafeMutableBufferPointer(rebasing: scratch2[32..<(32 + K)])
        exps.initialize(repeating: 0)
        wordCounts.withUnsafeBufferPointer { nw in
          corpus.terms.withUnsafeBufferPointer { terms in
            corpus.counts.withUnsafeBufferPointer { counts in
              var inChunk = 0
              for i in corpus.offsets[d]..<corpus.offsets[d + 1] {
                let row = nw.baseAddress! + Int(terms[i]) &* K
                for j in 0..<Int(counts[i]) {
                  rows[inChunk] = row
                  adds[inChunk] = beta + Double(j)
                  inChunk += 1
                  if inChunk == 32 {
                    ClusterCounts.products(num.baseAddress!, rows, adds, 32, K)
                    for k in 0..<K {
                      let bits = num[k].bitPattern
                      let e = (bits >> 52) & 0x7FF
                      if e == 0 || e == 0x7FF {  // not normal (never with these bounds)
                        out[k] += log(num[k])
                        num[k] = 1
                      } else {
                        exps[k] += Double(Int(e) - 1023)
                        num[k] = Double(bitPattern: (bits & 0x800F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
                      }
                    }
                    inChunk = 0
                  }
                }
              }
              if inChunk > 0 {
                ClusterCounts.products(num.baseAddress!, rows, adds, inChunk, K)
              }
              let ln2 = M_LN2
              for k in 0..<K { out[k] += log(num[k] / divisor[k]) + exps[k] * ln2 }
            }
          }
        }
      }
    }
  }

  /// acc[k] *= (rows[t][k] + adds[t]) for t in 0..<n, k in 0..<K: each
  /// product factor by factor in token order (the plain loop's value bit for
  /// bit), sixteen clusters per pass in AVX2 registers when the CPU has them
  /// (C kernel `hl_dmm_products`).
  @inline(__always)
  static func products(
    _ acc: UnsafeMutablePointer<Double>, _ rows: UnsafeMutableBufferPointer<UnsafePointer<Int32>?>,
    _ adds: UnsafeMutableBufferPointer<Double>, _ n: Int, _ K: Int
  ) {
    hl_dmm_products(acc, rows.baseAddress, adds.baseAddress, Int32(n), Int32(K))
  }

  /// out[k] = (m[k] + α) · (num[k] / div[k]) for k < K; returns the largest
  /// of them and 0 (C kernel `hl_dmm_weights`: the plain expression per
  /// cluster, four clusters per AVX2 vector when the CPU has AVX2).
  @inline(__always)
  static func weights(
    _ out: UnsafeMutablePointer<Double>, _ num: UnsafePointer<Double>, _ div: UnsafePointer<Double>,
    _ m: UnsafePointer<Int32>, _ alpha: Double, _ K: Int
  ) -> Double {
    hl_dmm_weights(out, num, div, m, alpha, Int32(K))
  }

  /// Whether `products` runs its AVX2 path here.
  static var productsUseAVX2: Bool { hl_dmm_products_avx2() != 0 }

  // MARK: Screened draw

  /// e^(−40 − 10⁻⁶): clusters whose linear weight is below this share of the
  /// largest cannot reach `Sampler.draw`'s floor (e^−40 of the top weight),
  /// with a margin far above rounding error.
  static let screen = exp(-40.000_001)

  /// Draws document d's cluster: the same draw as `conditional` followed by
  /// `Sampler.draw` (bit for bit: the same weights, the same single uniform
  /// variate), but for a document of fewer than 32 tokens the logarithm and
  /// exponential are taken only for the clusters that can be drawn. The
  /// conditional's argument `num/divisor` times (m_k + α) is the weight in
  /// linear scale; a cluster below e^−40 of the largest weight gets weight 0
  /// in `Sampler.draw` anyway. `out` and `scratch` as for `conditional`;
  /// `picked` holds at least K indices.
  func draw(
    _ d: Int, _ corpus: Corpus, rng: GSLRandom, out: UnsafeMutableBufferPointer<Double>,
    scratch: UnsafeMutableBufferPointer<Double>, picked: UnsafeMutableBufferPointer<Int32>
  ) -> Int {
    guard let n = screen(d, corpus, out: out, scratch: scratch, picked: picked, share: ClusterCounts.screen) else {
      conditional(d, corpus, into: out, scratch: scratch)
      return Sampler.draw(out, rng)
    }
    // Sampler.draw over the survivors: the others' weights are 0, which
    // leaves the running total, and so the draw, unchanged.
    var top = -Double.infinity
    for i in 0..<n where out[Int(picked[i])] > top { top = out[Int(picked[i])] }
    let floor = top - 40
    var total = 0.0
    for i in 0..<n {
      let k = Int(picked[i])
      total += out[k] < floor ? 0 : exp(out[k] - top)
      out[k] = total
    }
    let u = rng.uniform() * total
    for i in 0..<n where out[Int(picked[i])] > u { return Int(picked[i]) }
    return K - 1
  }

  /// The most probable cluster of document d (ties: lower index): the
  /// argmax of `conditional`, with logarithms only for clusters within 10⁻⁹
  /// of the largest weight in linear scale.
  func best(
    _ d: Int, _ corpus: Corpus, out: UnsafeMutableBufferPointer<Double>,
    scratch: UnsafeMutableBufferPointer<Double>, picked: UnsafeMutableBufferPointer<Int32>
  ) -> Int {
    guard let n = screen(d, corpus, out: out, scratch: scratch, picked: picked, share: 1 - 1e-9) else {
      conditional(d, corpus, into: out, scratch: scratch)
      var best = 0
      for k in 1..<K where out[k] > out[best] { best = k }
      return best
    }
    var best = Int(picked[0])
    for i in 1..<n where out[Int(picked[i])] > out[best] { best = Int(picked[i]) }
    return best
  }

  /// For a document of fewer than 32 tokens: the clusters whose weight in
  /// linear scale is at least `share` of the largest, in increasing order,
  /// into `picked`, and their exact log weights (as `conditional` computes
  /// them) into `out`; returns their count. nil when the document is longer
  /// or the linear weights leave the safe range of doubles (then the caller
  /// computes every log weight).
  private func screen(
    _ d: Int, _ corpus: Corpus, out: UnsafeMutableBufferPointer<Double>,
    scratch: UnsafeMutableBufferPointer<Double>, picked: UnsafeMutableBufferPointer<Int32>, share: Double
  ) -> Int? {
    let length = Int(corpus.lengths[d])
    if length >= 32 || length >= stride { return nil }
    let K = self.K
    let beta = self.beta
    let vBeta = Double(V) * beta
    let num = scratch.baseAddress!
    let divisor = scratch.baseAddress! + K
    let stride = self.stride
    // The denominator's partial product (length < 32: one block), as in
    // `conditional`.
    tokenCount.withUnsafeBufferPointer { n in
      partial.withUnsafeMutableBufferPointer { partial in
        blockLog.withUnsafeMutableBufferPointer { blockLog in
          denValid.withUnsafeMutableBufferPointer { valid in
            let blocks = self.blocks
            for k in 0..<K {
              num[k] = 1
              let row = k &* stride
              var next = Int(valid[k])
              if next <= length {
                let x = Double(n[k]) + vBeta
                if next == 0 {
                  partial[row] = 1
                  blockLog[k &* blocks] = 0
                  next = 1
                }
                var p = partial[row &+ next &- 1]
                while next <= length {
                  p *= x + Double(next &- 1)
                  partial[row &+ next] = p
                  next &+= 1
                }
                valid[k] = Int32(next)
              }
              divisor[k] = partial[row &+ length]
            }
          }
        }
      }
    }
    // Numerators: the tokens' factors (rows and offsets, in document order)
    // through the dense kernel, each cluster's product taken factor by
    // factor in that order (the same value bit for bit as a plain loop).
    withUnsafeTemporaryAllocation(of: UnsafePointer<Int32>?.self, capacity: length) { rows in
      withUnsafeTemporaryAllocation(of: Double.self, capacity: length) { adds in
        var n = 0
        wordCounts.withUnsafeBufferPointer { nw in
          corpus.terms.withUnsafeBufferPointer { terms in
            corpus.counts.withUnsafeBufferPointer { counts in
              for i in corpus.offsets[d]..<corpus.offsets[d + 1] {
                let row = nw.baseAddress! + Int(terms[i]) &* K
                for j in 0..<Int(counts[i]) {
                  rows[n] = row
                  adds[n] = beta + Double(j)
                  n &+= 1
                }
              }
            }
          }
        }
        ClusterCounts.products(num, rows, adds, n, K)
      }
    }
    // Linear weights (m_k + α) · num/divisor and their maximum (C kernel
    // `hl_dmm_weights`: the same expression per cluster, vectorised).
    let top = docCount.withUnsafeBufferPointer { m in
      ClusterCounts.weights(out.baseAddress!, num, divisor, m.baseAddress!, alpha, K)
    }
    guard top >= 1e-200 && top <= 1e200 else { return nil }
    let bar = top * share
    var count = 0
    logPrior.withUnsafeBufferPointer { prior in
      for k in 0..<K where out[k] >= bar {
        picked[count] = Int32(k)
        count &+= 1
        out[k] = prior[k] + log(num[k] / divisor[k])
      }
    }
    return count
  }
}

/// Collapsed Gibbs sampler.
///
/// Each sweep runs on `workers` (fixed at 2, whatever the machine) disjoint,
/// interleaved shares of the documents at once, each worker sampling against
/// its own copy of the counts taken at the start of the sweep plus its own
/// moves (approximate distributed Gibbs, Newman et al., "Distributed
/// Algorithms for Topic Models", JMLR 2009); the moves are merged after the
/// sweep. Every worker has its own GSL stream derived from the seed, so the
/// result does not depend on the number of cores or on thread timing.
final class Sampler {
  static let workers = 2

  let corpus: Corpus
  let config: TopicModel.Config
  let K: Int
  let V: Int
  let rng: GSLRandom
  /// Cluster per document (-1: empty document, not sampled).
  var z: [Int32]
  let global: ClusterCounts
  /// Clusters below the minimum topic size that the split step emptied to
  /// make room (their documents, z = -2, are dissolved in `finish` as the
  /// cluster would have been).
  var retired: [(cluster: Int, docs: [Int])] = []
  /// Clusters the split step filled with a group below the minimum topic
  /// size (`Config.splitSmallShare`): `finish` keeps them.
  var keptSmall = Set<Int>()
  /// Splits `splitMixedClusters` accepted but found no free cluster for, in
  /// its order (`splitAndMerge` places them after the last merge).
  var unplaced: [(cluster: Int, second: [Int])] = []
  /// The last `splitMixedClusters` found no cluster to split into and
  /// tried no split.
  var skipped = false
  /// Clusters a split moved documents out of or into since the last split
  /// step (`splitAndMerge` tests them again).
  var touched = Set<Int>()

  var docCount: [Int32] { global.docCount }
  var tokenCount: [Int32] { global.tokenCount }
  var wordCounts: [Int32] { global.wordCounts }

  init(corpus: Corpus, config: TopicModel.Config) {
    self.corpus = corpus
    self.config = config
    K = config.maxTopics
    V = max(corpus.vocabulary.count, 1)
    rng = GSLRandom(seed: config.seed)
    z = [Int32](repeating: -1, count: corpus.documentCount)
    let maxLength = Int(corpus.lengths.max() ?? 1)
    global = ClusterCounts(K: K, V: V, alpha: config.alpha, beta: config.beta, maxLength: maxLength)
  }

  private func move(_ d: Int, to cluster: Int, sign: Int32) {
    global.move(d, corpus, to: cluster, sign: sign)
  }

  func conditional(
    _ d: Int, into out: UnsafeMutableBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<Double>
  ) {
    global.conditional(d, corpus, into: out, scratch: scratch)
  }

  /// One worker's share of a sweep.
  final class Worker: @unchecked Sendable {
    let counts: ClusterCounts
    let rng: GSLRandom
    let documents: [Int]
    @exclusivity(unchecked) var moves: [(doc: Int, from: Int32, to: Int32)] = []
    @exclusivity(unchecked) var logWeights: [Double]
    @exclusivity(unchecked) var scratch: [Double]
    @exclusivity(unchecked) var picked: [Int32]

    init(global: ClusterCounts, seed: UInt64, documents: [Int]) {
      counts = ClusterCounts(copying: global)
      rng = GSLRandom(seed: seed)
      self.documents = documents
      logWeights = [Double](repeating: 0, count: global.K)
      scratch = [Double](repeating: 0, count: 2 * global.K)
      picked = [Int32](repeating: 0, count: global.K)
    }

    func sweep(_ corpus: Corpus, z: UnsafeBufferPointer<Int32>) {
      moves.removeAll(keepingCapacity: true)
      for d in documents {
        let old = Int(z[d])
        counts.move(d, corpus, to: old, sign: -1)
        let new = logWeights.withUnsafeMutableBufferPointer { lw in
          scratch.withUnsafeMutableBufferPointer { s in
            picked.withUnsafeMutableBufferPointer { p in
              counts.draw(d, corpus, rng: rng, out: lw, scratch: s, picked: p)
            }
          }
        }
        counts.move(d, corpus, to: new, sign: 1)
        if new != old { moves.append((d, Int32(old), Int32(new))) }
      }
    }
  }

  /// Runs the sweeps; returns the non-empty cluster count after each. Stops
  /// early when fewer than `convergence` of the documents changed cluster in
  /// two consecutive sweeps.
  func sample() -> [Int] {
    let D = corpus.documentCount
    // Initialisation as in the paper: a uniformly random cluster per document.
    var active: [Int] = []
    for d in 0..<D where corpus.lengths[d] > 0 {
      let c = rng.uniformInt(K)
      z[d] = Int32(c)
      move(d, to: c, sign: 1)
      active.append(d)
    }
    var rest: [Int] = []
    if active.count > config.fitSample {
      // A seeded partial Fisher-Yates shuffle picks the fitting sample.
      var order = active
      for i in 0..<config.fitSample {
        let j = i + rng.uniformInt(order.count - i)
        order.swapAt(i, j)
      }
      var inSample = [Bool](repeating: false, count: D)
      for d in order[0..<config.fitSample] { inSample[d] = true }
      for d in active where !inSample[d] {
        move(d, to: Int(z[d]), sign: -1)
        z[d] = -1
        rest.append(d)
      }
      active = active.filter { inSample[$0] }
    }
    let n = Sampler.workers
    let workers = (0..<n).map { w in
      Worker(
        global: global, seed: config.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(w + 1),
        documents: active.enumerated().compactMap { $0.offset % n == w ? $0.element : nil })
    }
    var perIteration: [Int] = []
    var quiet = 0
    for _ in 0..<config.iterations {
      for w in workers { w.counts.assign(from: global) }
      let corpus = self.corpus
      z.withUnsafeBufferPointer { zp in
        nonisolated(unsafe) let zp = zp
        DispatchQueue.concurrentPerform(iterations: n) { workers[$0].sweep(corpus, z: zp) }
      }
      var moved = 0
      for w in workers {
        for m in w.moves {
          global.move(m.doc, corpus, to: Int(m.from), sign: -1)
          global.move(m.doc, corpus, to: Int(m.to), sign: 1)
          z[m.doc] = m.to
        }
        moved += w.moves.count
      }
      perIteration.append(global.docCount.lazy.filter { $0 > 0 }.count)
      if Double(moved) < config.convergence * Double(max(active.count, 1)) {
        quiet += 1
        if quiet >= 2 { break }
      } else {
        quiet = 0
      }
    }
    assign(rest)
    return perIteration
  }

  /// Puts documents outside the fitting sample in their most probable
  /// cluster (ties: lower index) under the fitted counts, on two threads.
  private func assign(_ rest: [Int]) {
    guard !rest.isEmpty else { return }
    let n = Sampler.workers
    let corpus = self.corpus
    let copies = (0..<n).map { _ in ClusterCounts(copying: global) }
    let chunks = (0..<n).map { w in rest.enumerated().compactMap { $0.offset % n == w ? $0.element : nil } }
    let results = Slots<[Int32]>(count: n)
    DispatchQueue.concurrentPerform(iterations: n) { w in
      let counts = copies[w]
      var lw = [Double](repeating: 0, count: counts.K)
      var scratch = [Double](repeating: 0, count: 2 * counts.K)
      var picked = [Int32](repeating: 0, count: counts.K)
      var chosen: [Int32] = []
      chosen.reserveCapacity(chunks[w].count)
      for d in chunks[w] {
        let best = lw.withUnsafeMutableBufferPointer { out in
          scratch.withUnsafeMutableBufferPointer { s in
            picked.withUnsafeMutableBufferPointer { p in counts.best(d, corpus, out: out, scratch: s, picked: p) }
          }
        }
        chosen.append(Int32(best))
      }
      results.set(w, chosen)
    }
    for w in 0..<n {
      for (d, c) in zip(chunks[w], results.values[w] ?? []) {
        z[d] = c
        move(d, to: Int(c), sign: 1)
      }
    }
  }


  // MARK: Split step

  private func logGamma(_ x: Double) -> Double {
    let r: Double = lgamma(x)
    return r
  }

  /// Log marginal likelihood terms of one cluster that change under a split:
  /// log Γ(m+α) + Σ_w [log Γ(n_w+β) − log Γ(β)] − log Γ(n+Vβ).
  /// The smallest topic kept: `config.minTopicSize`, else 0.2 % of the
  /// documents, at least 5. Smaller clusters are dissolved in `finish`.
  private var minTopicSize: Int {
    config.minTopicSize ?? max(5, Int((Double(corpus.documentCount) * 0.002).rounded(.up)))
  }

  private func clusterScore(docs: Int, tokens: Int, words: [Int32], lgWord: (Int32) -> Double) -> Double {
    let beta = config.beta
    let lgBeta = logGamma(beta)
    var s = logGamma(Double(docs) + config.alpha) - logGamma(Double(tokens) + Double(V) * beta)
    for n in words where n > 0 { s += lgWord(n) - lgBeta }
    return s
  }

  /// Splits clusters that hold two groups of documents. For each cluster of
  /// at least the minimum topic size plus `splitSmallShare` of it, a
  /// two-cluster GSDMM runs on its documents alone (8 sweeps, this model's
  /// priors); the split's gain in log marginal likelihood (the DMM's
  /// collapsed likelihood with the partition prior; Bayes factor) is
  /// computed, and splits with a gain above `log 1e6`, the larger half at
  /// least the minimum size, the smaller at least `splitSmallShare` of it,
  /// and the halves' word distributions overlapping less than
  /// `splitOverlap`, or less than `splitWeightedOverlap` with the words
  /// weighted by `wordWeights`, are made: those whose halves both reach the
  /// minimum size first, each kind least weighted overlap first; the smaller half moves into a
  /// free (empty) cluster, which `finish` keeps even when it is below the
  /// minimum size. When free clusters run short, clusters below the minimum
  /// size (which `finish` dissolves anyway) are emptied to make room; the
  /// splits still without one are kept in `unplaced`.
  /// With `only`, only those clusters are tested, and both halves may be
  /// below the minimum size (each at least `splitSmallShare` of it; both
  /// kept). Returns the number of splits.
  func splitMixedClusters(only: Set<Int>? = nil) -> Int {
    let D = corpus.documentCount
    let minSize = minTopicSize
    var free = (0..<K).filter { global.docCount[$0] == 0 }
    unplaced = []
    // No free cluster and none below the minimum size: no split can be
    // placed now (`splitAndMerge` tries again if its merge empties one).
    skipped = free.isEmpty && !(0..<K).contains(where: { global.docCount[$0] > 0 && Int(global.docCount[$0]) < minSize })
    if skipped { return 0 }
    var members = [[Int]](repeating: [], count: K)
    for d in 0..<D where z[d] >= 0 { members[Int(z[d])].append(d) }
    let lgAlpha = logGamma(config.alpha)
    let lgVBeta = logGamma(Double(V) * config.beta)
    var proposals: [(overlap: Double, cluster: Int, second: [Int])] = []
    let maxLength = Int(corpus.lengths.max() ?? 1)
    var picked = [Int32](repeating: 0, count: 2)
    var seen = [Int32](repeating: -1, count: V)
    // log Γ(n + β) for the common small counts, from a table.
    let lgTable = (0..<4096).map { logGamma(Double($0) + config.beta) }
    let lgWord: (Int32) -> Double = { n in n < 4096 ? lgTable[Int(n)] : self.logGamma(Double(n) + self.config.beta) }
    let smallMin = max(1, Int((Double(minSize) * config.splitSmallShare).rounded(.up)))
    let weight = wordWeights()
    for c in 0..<K where members[c].count >= minSize + smallMin && (only?.contains(c) ?? true) {
      let docs = members[c]
      let local = ClusterCounts(K: 2, V: V, alpha: config.alpha, beta: config.beta, maxLength: maxLength)
      var side = [Int32](repeating: 0, count: docs.count)
      for (i, d) in docs.enumerated() {
        side[i] = Int32(rng.uniformInt(2))
        local.move(d, corpus, to: Int(side[i]), sign: 1)
      }
      var lw = [Double](repeating: 0, count: 2)
      var scratch = [Double](repeating: 0, count: 4)
      for _ in 0..<8 {
        for (i, d) in docs.enumerated() {
          local.move(d, corpus, to: Int(side[i]), sign: -1)
          let new = lw.withUnsafeMutableBufferPointer { out in
            scratch.withUnsafeMutableBufferPointer { s in
              picked.withUnsafeMutableBufferPointer { p in
                local.draw(d, corpus, rng: rng, out: out, scratch: s, picked: p)
              }
            }
          }
          side[i] = Int32(new)
          local.move(d, corpus, to: new, sign: 1)
        }
      }
      let m1 = Int(local.docCount[0]), m2 = Int(local.docCount[1])
      guard (max(m1, m2) >= minSize || only != nil) && min(m1, m2) >= smallMin else { continue }
      // Word counts of each side (the local counts hold them) and of the
      // whole cluster, over the cluster's words in order of first use.
      var a: [Int32] = [], b: [Int32] = [], whole: [Int32] = [], ws: [Double] = []
      for d in docs {
        for j in corpus.offsets[d]..<corpus.offsets[d + 1] {
          let w = Int(corpus.terms[j])
          if seen[w] == Int32(c) { continue }
          seen[w] = Int32(c)
          let na = local.wordCounts[w * 2], nb = local.wordCounts[w * 2 + 1]
          a.append(na)
          b.append(nb)
          ws.append(weight[w])
          whole.append(na + nb)
        }
      }
      let gain =
        clusterScore(docs: m1, tokens: Int(local.tokenCount[0]), words: a, lgWord: lgWord)
        + clusterScore(docs: m2, tokens: Int(local.tokenCount[1]), words: b, lgWord: lgWord)
        - clusterScore(docs: docs.count, tokens: Int(global.tokenCount[c]), words: whole, lgWord: lgWord)
        - lgAlpha + lgVBeta
      // How much the halves' word distributions overlap (histogram
      // intersection, 0 to 1).
      let ta = Double(local.tokenCount[0]), tb = Double(local.tokenCount[1])
      var overlap = 0.0
      for i in a.indices { overlap += min(Double(a[i]) / ta, Double(b[i]) / tb) }
      // The same with each word weighted (see `wordWeights`).
      var wa = 0.0, wb = 0.0, weighted = 0.0
      for i in a.indices {
        wa += ws[i] * Double(a[i])
        wb += ws[i] * Double(b[i])
      }
      if wa > 0 && wb > 0 {
        for i in a.indices { weighted += ws[i] * min(Double(a[i]) / wa, Double(b[i]) / wb) }
      } else {
        weighted = overlap  // every word of a half spread evenly: no weighted view
      }
      if gain > log(1e6) && (overlap < config.splitOverlap || weighted < config.splitWeightedOverlap) {
        let smaller: Int32 = m1 < m2 ? 0 : 1
        proposals.append((weighted, c, docs.enumerated().compactMap { side[$0.offset] == smaller ? $0.element : nil }))
      }
    }
    proposals.sort {
      let small0 = $0.second.count < minSize, small1 = $1.second.count < minSize
      if small0 != small1 { return small1 }
      return $0.overlap != $1.overlap ? $0.overlap < $1.overlap : $0.cluster < $1.cluster
    }
    if proposals.count > free.count {
      // Clusters below the minimum size dissolve in `finish` anyway (not
      // those a split made): their slots go to splits (smallest first),
      // their documents wait there.
      let small = (0..<K).filter {
        global.docCount[$0] > 0 && Int(global.docCount[$0]) < minSize && !keptSmall.contains($0)
      }
        .sorted { global.docCount[$0] != global.docCount[$1] ? global.docCount[$0] < global.docCount[$1] : $0 < $1 }
      for c in small.prefix(proposals.count - free.count) {
        for d in members[c] {
          move(d, to: c, sign: -1)
          z[d] = -2
        }
        retired.append((c, members[c]))
        free.append(c)
      }
    }
    var splits = 0
    for p in proposals {
      guard !free.isEmpty else {
        unplaced.append((p.cluster, p.second))
        continue
      }
      split((p.cluster, p.second), into: free.removeFirst())
      splits += 1
    }
    return splits
  }

  /// Moves a split's smaller half from its cluster into the empty `target`
  /// (kept by `finish` even below the minimum size, as is what stays when
  /// that is below it).
  private func split(_ p: (cluster: Int, second: [Int]), into target: Int) {
    if p.second.count < minTopicSize { keptSmall.insert(target) }
    if Int(global.docCount[p.cluster]) - p.second.count < minTopicSize { keptSmall.insert(p.cluster) }
    touched.insert(p.cluster)
    touched.insert(target)
    for d in p.second {
      move(d, to: p.cluster, sign: -1)
      move(d, to: target, sign: 1)
      z[d] = Int32(target)
    }
  }

  /// Per word, 1 − (entropy of its counts over the clusters of at least the
  /// minimum size) / log(their number), in [0, 1]: near 0 for a word spread
  /// evenly over the topics, 1 for a word of one topic. All 1 when fewer
  /// than two clusters have that size.
  func wordWeights() -> [Double] {
    let minSize = minTopicSize
    let cands = (0..<K).filter { Int(global.docCount[$0]) >= minSize }
    var g = [Double](repeating: 1, count: V)
    guard cands.count >= 2 else { return g }
    let logC = log(Double(cands.count))
    global.wordCounts.withUnsafeBufferPointer { wc in
      for w in 0..<V {
        var total = 0.0, sum = 0.0
        for c in cands {
          let n = Double(wc[w &* K &+ c])
          if n > 0 {
            total += n
            sum += n * log(n)
          }
        }
        // Entropy of n_c / total: log(total) − Σ n_c log n_c / total.
        if total > 0 { g[w] = max(0, 1 - (log(total) - sum / total) / logC) }
      }
    }
    return g
  }

  /// The steps after sampling: merges above `premergeOverlap` (freeing
  /// slots), splits (when `splitMixed`), merges above `mergeOverlap`, and
  /// the splits that found no free cluster into the clusters that merge
  /// emptied (or, when the split step had no cluster to split into at all,
  /// the split step again); then one round of merges of alike clusters
  /// (`mergeAlikeOverlap`), the splits still waiting into the clusters it
  /// emptied, and up to `resplitRounds` split steps over the clusters the
  /// splits made or cut (while a cluster is free).
  /// Returns the number of splits and of merges.
  func splitAndMerge() -> (splits: Int, merges: Int) {
    touched = []
    let premerges = mergeCloseClusters(bar: config.premergeOverlap)
    var splits = config.splitMixed ? splitMixedClusters() : 0
    var merges = mergeCloseClusters()
    if merges > 0 && config.splitMixed && skipped {
      splits += splitMixedClusters()
    } else if merges > 0 && !unplaced.isEmpty {
      // Splits that found no free cluster take the clusters the merge just
      // emptied, in the split step's order, when their cluster was not merged.
      var free = (0..<K).filter { global.docCount[$0] == 0 }
      for p in unplaced where !free.isEmpty && p.second.allSatisfy({ z[$0] == Int32(p.cluster) }) {
        split(p, into: free.removeFirst())
        splits += 1
      }
    }
    // Splits still waiting (their cluster as the split step left it); the
    // round of alike merges leaves their clusters alone.
    let waiting = unplaced.filter { p in p.second.allSatisfy({ z[$0] == Int32(p.cluster) }) }
    let alike = mergeAlikeClusters(except: Set(waiting.map(\.cluster)))
    merges += alike
    if alike > 0 {
      var free = (0..<K).filter { global.docCount[$0] == 0 }
      for p in waiting where !free.isEmpty {
        split(p, into: free.removeFirst())
        splits += 1
      }
    }
    unplaced = []
    // A cluster that held three requests keeps two in one half: the
    // clusters the splits made or cut are tested again.
    var rounds = 0
    while config.splitMixed && rounds < config.resplitRounds && !touched.isEmpty
      && (0..<K).contains(where: { global.docCount[$0] == 0 })
    {
      let again = touched
      touched = []
      let n = splitMixedClusters(only: again)
      unplaced = []
      if n == 0 { break }
      splits += n
      rounds += 1
    }
    return (splits, premerges + merges)
  }

  /// One round of merges of clusters that hold one kind of request but
  /// share less than `mergeOverlap`: pairs of clusters of at least the
  /// minimum size (not in `except`) whose plain overlap is above
  /// `mergeAlikeOverlap` and whose overlap with the words weighted by
  /// `wordWeights` is above `mergeAlikeWeightedOverlap`, highest weighted
  /// overlap first, each cluster at most once. Returns the number of merges.
  func mergeAlikeClusters(except: Set<Int> = []) -> Int {
    guard config.mergeAlikeWeightedOverlap < 1 && config.mergeAlikeOverlap < 1 else { return 0 }
    let minSize = minTopicSize
    let cands = (0..<K).filter { Int(global.docCount[$0]) >= minSize && !except.contains($0) }
    let C = cands.count
    guard C >= 2 else { return 0 }
    let weight = wordWeights()
    let words = wordDistributions(cands)
    // Each cluster's weighted mass, to normalise its weighted distribution.
    let mass = words.map { ws in ws.reduce(0.0) { $0 + weight[Int($1.w)] * $1.p } }
    var dense = [Double](repeating: 0, count: V)
    var pairs: [(weighted: Double, a: Int, b: Int)] = []
    for i in 0..<C {
      for (w, p) in words[i] { dense[Int(w)] = p }
      for j in (i + 1)..<C where mass[i] > 0 && mass[j] > 0 {
        var overlap = 0.0
        for (w, p) in words[j] { overlap += min(p, dense[Int(w)]) }
        guard overlap > config.mergeAlikeOverlap else { continue }
        var weighted = 0.0
        for (w, p) in words[j] { weighted += weight[Int(w)] * min(p / mass[j], dense[Int(w)] / mass[i]) }
        if weighted > config.mergeAlikeWeightedOverlap { pairs.append((weighted, cands[i], cands[j])) }
      }
      for (w, _) in words[i] { dense[Int(w)] = 0 }
    }
    guard !pairs.isEmpty else { return 0 }
    pairs.sort { $0.weighted != $1.weighted ? $0.weighted > $1.weighted : ($0.a != $1.a ? $0.a < $1.a : $0.b < $1.b) }
    var members = [[Int]](repeating: [], count: K)
    for d in 0..<corpus.documentCount where z[d] >= 0 { members[Int(z[d])].append(d) }
    return mergePairs(pairs.map { ($0.a, $0.b) }, members: &members)
  }

  /// Each cluster's word distribution (word, share of the cluster's
  /// tokens), sparse, in the order of `clusters`.
  func wordDistributions(_ clusters: [Int]) -> [[(w: Int32, p: Double)]] {
    var words = [[(w: Int32, p: Double)]](repeating: [], count: clusters.count)
    global.wordCounts.withUnsafeBufferPointer { wc in
      for w in 0..<V {
        for (i, c) in clusters.enumerated() {
          let n = wc[w &* K &+ c]
          if n > 0 { words[i].append((Int32(w), Double(n) / Double(global.tokenCount[c]))) }
        }
      }
    }
    return words
  }

  /// Merges the pairs (b into a) in order, each cluster at most once;
  /// `members` lists each cluster's documents and is kept up to date.
  /// Returns the number of merges.
  func mergePairs(_ pairs: [(a: Int, b: Int)], members: inout [[Int]]) -> Int {
    var used = Set<Int>()
    var merges = 0
    for p in pairs where !used.contains(p.a) && !used.contains(p.b) {
      used.insert(p.a)
      used.insert(p.b)
      for d in members[p.b] {
        move(d, to: p.b, sign: -1)
        move(d, to: p.a, sign: 1)
        z[d] = Int32(p.a)
      }
      members[p.a] += members[p.b]
      members[p.b] = []
      merges += 1
    }
    return merges
  }

  /// Merges clusters that hold one kind of request: pairs of clusters of at
  /// least the minimum size whose word distributions overlap (histogram
  /// intersection) more than `bar` (default `mergeOverlap`) are merged,
  /// closest pair first, each cluster at most once per round, in rounds until no pair is that
  /// close. Returns the number of merges.
  func mergeCloseClusters(bar: Double? = nil) -> Int {
    let bar = bar ?? config.mergeOverlap
    guard bar < 1 else { return 0 }
    let minSize = minTopicSize
    var members = [[Int]](repeating: [], count: K)
    for d in 0..<corpus.documentCount where z[d] >= 0 { members[Int(z[d])].append(d) }
    var merges = 0
    var dense = [Double](repeating: 0, count: V)
    while true {
      let cands = (0..<K).filter { Int(global.docCount[$0]) >= minSize }
      let C = cands.count
      guard C >= 2 else { break }
      let words = wordDistributions(cands)
      var pairs: [(overlap: Double, a: Int, b: Int)] = []
      for i in 0..<C {
        for (w, p) in words[i] { dense[Int(w)] = p }
        for j in (i + 1)..<C {
          var overlap = 0.0
          for (w, p) in words[j] { overlap += min(p, dense[Int(w)]) }
          if overlap > bar { pairs.append((overlap, cands[i], cands[j])) }
        }
        for (w, _) in words[i] { dense[Int(w)] = 0 }
      }
      guard !pairs.isEmpty else { break }
      pairs.sort { $0.overlap != $1.overlap ? $0.overlap > $1.overlap : ($0.a != $1.a ? $0.a < $1.a : $0.b < $1.b) }
      merges += mergePairs(pairs.map { ($0.a, $0.b) }, members: &members)
    }
    return merges
  }

  /// Draws a cluster from log weights (rescaled by their maximum); the
  /// weights are overwritten.
  static func draw(_ p: UnsafeMutableBufferPointer<Double>, _ rng: GSLRandom) -> Int {
    var top = -Double.infinity
    for x in p where x > top { top = x }
    // Weights below e^-40 of the largest (< 5e-18) count as zero: they
    // cannot be drawn in practice, and exp() is the costliest step here.
    let floor = top - 40
    for k in p.indices { p[k] = p[k] < floor ? 0 : exp(p[k] - top) }
    return rng.sampleIndex(cumulatingWeights: p)
  }

  /// Dissolves small clusters, renumbers, and describes the topics.
  func finish(clustersPerIteration: [Int]) -> TopicModel.Result {
    let D = corpus.documentCount
    let minSize = minTopicSize
    let emptyDocs = z.lazy.filter { $0 == -1 }.count
    let nonEmpty = (0..<K).filter { docCount[$0] > 0 }
    var survivors = nonEmpty.filter { Int(docCount[$0]) >= minSize || keptSmall.contains($0) }
    if survivors.isEmpty { survivors = nonEmpty }
    if config.keepDistinctSmall { survivors = keepSmallGroups(survivors: survivors, nonEmpty: nonEmpty) }
    let survivorSet = Set(survivors)

    var members = [[Int]](repeating: [], count: K)
    for d in 0..<D where z[d] >= 0 { members[Int(z[d])].append(d) }
    // Small clusters, and those the split step retired (already out of the
    // counts), smallest first (ties: lower cluster index). Take every
    // dissolved cluster out of the counts first, so that reassignment sees
    // the survivors only.
    let dissolved = (nonEmpty.filter { !survivorSet.contains($0) }.map { (cluster: $0, docs: members[$0]) } + retired)
      .sorted { $0.docs.count != $1.docs.count ? $0.docs.count < $1.docs.count : $0.cluster < $1.cluster }
    for c in nonEmpty where !survivorSet.contains(c) { for d in members[c] { move(d, to: c, sign: -1) } }

    let budget = Int((Double(D) * config.outlierShare).rounded(.down))
    var outliers = emptyDocs
    var toOutliers = 0, reassigned = 0
    var final = z.map(Int.init)
    var logWeights = [Double](repeating: 0, count: K)
    var scratch = [Double](repeating: 0, count: 2 * K)
    var pending: [(doc: Int, cluster: Int)] = []
    for (_, docs) in dissolved {
      if outliers + docs.count <= budget {
        for d in docs { final[d] = -1 }
        outliers += docs.count
        toOutliers += 1
      } else {
        reassigned += 1
        for d in docs {
          logWeights.withUnsafeMutableBufferPointer { lw in
            scratch.withUnsafeMutableBufferPointer { s in conditional(d, into: lw, scratch: s) }
          }
          var best = survivors[0]
          for k in survivors where logWeights[k] > logWeights[best] { best = k }
          pending.append((d, best))
        }
      }
    }
    // Apply reassignments after all were decided (independent of order).
    for (d, c) in pending {
      final[d] = c
      move(d, to: c, sign: 1)
      members[c].append(d)
    }

    // Renumber by size (ties: lower cluster index).
    let order = survivors.sorted {
      docCount[$0] != docCount[$1] ? docCount[$0] > docCount[$1] : $0 < $1
    }
    var newId = [Int](repeating: -1, count: K)
    for (i, c) in order.enumerated() { newId[c] = i }
    let assignments = final.map { $0 < 0 ? -1 : newId[$0] }

    let topics = describe(order: order, members: members)
    return TopicModel.Result(
      assignments: assignments, topics: topics, clustersPerIteration: clustersPerIteration,
      vocabularySize: corpus.vocabulary.count, emptyDocuments: emptyDocs, minTopicSize: minSize,
      clustersToOutliers: toOutliers, clustersReassigned: reassigned)
  }

  /// The groups below the minimum size that `finish` would dissolve (the
  /// clusters below it and those the split step retired), of at least
  /// `splitSmallShare` of it, largest first (ties: lower cluster index):
  /// one that shares words with a surviving cluster, or a group kept before
  /// it, as the merges require joins the one it shares most with (by the
  /// weighted overlap); else one whose words differ from all of theirs as a
  /// split's halves must, and one of whose words is in at least half of its
  /// documents, is kept, in its own cluster or a free one (while one is
  /// left). Returns the survivors with the clusters kept, in order.
  func keepSmallGroups(survivors: [Int], nonEmpty: [Int]) -> [Int] {
    let minSize = minTopicSize
    let smallMin = max(1, Int((Double(minSize) * config.splitSmallShare).rounded(.up)))
    let survivorSet = Set(survivors)
    var members = [[Int]](repeating: [], count: K)
    for d in 0..<corpus.documentCount where z[d] >= 0 { members[Int(z[d])].append(d) }
    typealias Group = (cluster: Int, docs: [Int], retired: Bool)
    var groups: [Group] = []
    for c in nonEmpty where !survivorSet.contains(c) && members[c].count >= smallMin {
      groups.append((c, members[c], false))
    }
    for r in retired where r.docs.count >= smallMin { groups.append((r.cluster, r.docs, true)) }
    groups.sort { $0.docs.count != $1.docs.count ? $0.docs.count > $1.docs.count : $0.cluster < $1.cluster }
    guard !groups.isEmpty && !survivors.isEmpty else { return survivors }
    let weight = wordWeights()
    // Word distributions: the survivors', then each group's.
    var words = wordDistributions(survivors)
    var counts = [Int32](repeating: 0, count: V)
    var df = [Int32](repeating: 0, count: V)
    // A group hangs together when one of its words is in at least half of
    // its documents (not documents that share nothing, left over).
    var coherent: [Bool] = []
    for g in groups {
      var used: [Int32] = []
      var total = 0
      for d in g.docs {
        for j in corpus.offsets[d]..<corpus.offsets[d + 1] {
          let w = Int(corpus.terms[j])
          if counts[w] == 0 { used.append(Int32(w)) }
          counts[w] += corpus.counts[j]
          df[w] += 1
          total += Int(corpus.counts[j])
        }
      }
      used.sort()
      words.append(used.map { ($0, Double(counts[Int($0)]) / Double(max(total, 1))) })
      coherent.append(used.contains { 2 * Int(df[Int($0)]) >= g.docs.count })
      for w in used {
        counts[Int(w)] = 0
        df[Int(w)] = 0
      }
    }
    let mass = words.map { ws in ws.reduce(0.0) { $0 + weight[Int($1.w)] * $1.p } }
    var free = (0..<K).filter { global.docCount[$0] == 0 }
    // Reference distributions (indices into `words`) and their clusters.
    var refs = Array(survivors.indices)
    var home = survivors
    var kept: [Int] = []
    var dense = [Double](repeating: 0, count: V)
    for (gi, g) in groups.enumerated() {
      let i = survivors.count + gi
      for (w, p) in words[i] { dense[Int(w)] = p }
      var alike = false
      var best = -1, bestWeighted = -1.0
      for (r, j) in refs.enumerated() {
        var overlap = 0.0, weighted = 0.0
        for (w, p) in words[j] {
          let q = dense[Int(w)]
          overlap += min(p, q)
          weighted += weight[Int(w)] * min(p / mass[j], q / mass[i])
        }
        if !(mass[i] > 0 && mass[j] > 0) { weighted = overlap }  // no weighted view
        if overlap >= config.splitOverlap && weighted >= config.splitWeightedOverlap { alike = true }
        let joins = overlap > config.mergeOverlap
          || (overlap > config.mergeAlikeOverlap && weighted > config.mergeAlikeWeightedOverlap)
        if joins && weighted > bestWeighted {
          best = r
          bestWeighted = weighted
        }
      }
      for (w, _) in words[i] { dense[Int(w)] = 0 }
      var target = -1
      if best >= 0 {
        target = home[best]
      } else if !alike && coherent[gi] {
        if !g.retired {
          refs.append(i)
          home.append(g.cluster)
          kept.append(g.cluster)
          continue
        }
        guard !free.isEmpty else { continue }
        target = free.removeFirst()
        refs.append(i)
        home.append(target)
        kept.append(target)
      } else {
        continue
      }
      for d in g.docs {
        if !g.retired { move(d, to: g.cluster, sign: -1) }
        z[d] = Int32(target)
        move(d, to: target, sign: 1)
      }
      if g.retired { retired.removeAll { $0.cluster == g.cluster && $0.docs.first == g.docs.first } }
    }
    return kept.isEmpty ? survivors : (survivors + kept).sorted()
  }

  /// Terms (c-TF-IDF), labels and representatives of the surviving clusters.
  private func describe(order: [Int], members: [[Int]]) -> [TopicModel.Topic] {
    let T = order.count
    guard T > 0 else { return [] }
    let V = corpus.vocabulary.count
    // f_t: the term's count over all topics; A: average words per topic.
    var termTotal = [Double](repeating: 0, count: V)
    var allWords = 0.0
    for c in order {
      allWords += Double(tokenCount[c])
      for w in 0..<V { termTotal[w] += Double(wordCounts[w * K + c]) }
    }
    let A = allWords / Double(T)
    var idf = [Double](repeating: 0, count: V)
    for w in 0..<V where termTotal[w] > 0 { idf[w] = log(1 + A / termTotal[w]) }

    var topics: [TopicModel.Topic] = []
    for (id, c) in order.enumerated() {
      let n = Double(max(tokenCount[c], 1))
      var scored: [(w: Int, s: Double)] = []
      for w in 0..<V {
        let tf = wordCounts[w * K + c]
        if tf > 0 { scored.append((w, Double(tf) / n * idf[w])) }
      }
      scored.sort { $0.s != $1.s ? $0.s > $1.s : $0.w < $1.w }
      let terms = scored.prefix(config.topTerms).map {
        TopicModel.Term(term: corpus.vocabulary[$0.w], weight: $0.s)
      }
      topics.append(
        TopicModel.Topic(
          id: id, size: members[c].count, terms: terms, label: Sampler.label(terms),
          representatives: representatives(of: c, members: members[c])))
    }
    return topics
  }

  static func label(_ terms: [TopicModel.Term]) -> String {
    // Words first: a single character (a fragment such as 健 of 卫健委, or
    // 滨 of an estate's name) or a number names nothing a reader can act
    // on, so they fill the label only when fewer than two words qualify.
    func isWord(_ term: String) -> Bool {
      term.count >= 2 && !term.allSatisfy { $0.isNumber || $0.isPunctuation }
    }
    var chosen: [(rank: Int, term: String)] = []
    var used = Set<Character>()
    func pick(_ allowed: (String) -> Bool, upTo limit: Int) {
      for (rank, t) in terms.enumerated() where chosen.count < limit && allowed(t.term) {
        if chosen.contains(where: { $0.rank == rank }) { continue }
        if t.term.contains(where: { used.contains($0) }) { continue }
        chosen.append((rank, t.term))
        used.formUnion(t.term)
      }
    }
    pick(isWord, upTo: 3)
    if chosen.count < 2 { pick({ _ in true }, upTo: 3) }
    return chosen.sorted { $0.rank < $1.rank }.map(\.term).joined(separator: "·")
  }

  /// The documents with the highest mean log-probability per token under the
  /// cluster's word distribution, among those at least half as long as the
  /// cluster's longest (short documents of one common word would win
  /// otherwise). Ties: lower document index.
  private func representatives(of c: Int, members: [Int]) -> [Int] {
    guard config.representatives > 0, !members.isEmpty else { return [] }
    let beta = config.beta
    let logDen = log(Double(tokenCount[c]) + Double(V) * beta)
    var longest: Int32 = 0
    for d in members { longest = max(longest, corpus.lengths[d]) }
    let minLength = min(longest, max(1, min(8, longest / 2)))
    var scored: [(d: Int, s: Double)] = []
    for d in members where corpus.lengths[d] >= minLength {
      var s = 0.0
      for i in corpus.offsets[d]..<corpus.offsets[d + 1] {
        let nw = Double(wordCounts[Int(corpus.terms[i]) * K + c])
        s += Double(corpus.counts[i]) * (log(nw + beta) - logDen)
      }
      scored.append((d, s / Double(corpus.lengths[d])))
    }
    scored.sort { $0.s != $1.s ? $0.s > $1.s : $0.d < $1.d }
    return scored.prefix(config.representatives).map(\.d)
  }
}
