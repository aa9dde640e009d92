import ArgumentParser
import Foundation
import HotlineAnalysis
import HotlineCore
import HotlineReport
import HotlineStore
import HotlineText

extension Hotline {
  struct Topics: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Cluster tickets into labelled topics from their text (GSDMM over ICU words + the hotline lexicon).",
      discussion: """
        The export's own categories are never an input; when tickets carry them, a crosswalk
        compares topics with categories and lists tickets whose category disagrees with their
        topic. Results are stored in the database (ticket_topic, topic, topic_run).
        """)

    @OptionGroup var global: GlobalOptions

    @Option(
      help: "Upper bound on the number of topics (the model chooses the count below it; default: tickets / 25, 10 to 150).")
    var maxTopics: Int?

    @Option(help: "Gibbs sampling sweeps (at most; sampling stops early once converged).")
    var iterations = 15

    @Option(help: "Terms listed per topic.")
    var terms = 10

    @Option(help: "Topics shown in the table (default: all; JSON always lists all).")
    var top: Int?

    func validate() throws {
      guard (maxTopics ?? 2) >= 2 else { throw ValidationError("'--max-topics' must be at least 2.") }
      guard iterations >= 1 else { throw ValidationError("'--iterations' must be positive.") }
      if let top, top < 1 { throw ValidationError("'--top' must be positive.") }
    }

    func run() throws {
      try global.guarded {
        let timer = StageTimer()
        let db = try global.openDatabase(create: false)
        // ICU's transliterator and break iterator and the built-in lexicon
        // are set up while the tickets load.
        let warm = DispatchGroup()
        DispatchQueue.global().async(group: warm) { TicketTokenizer.warmUp() }
        let tickets = try timer.stage("load") { try db.tickets() }
        let documents = try timer.stage("segment") {
          warm.wait()
          return try TicketTokenizer.tokenizeInParallel(tickets, placeNames: Topics.placeNames(tickets))
        }
        let json = try timer.stage("topics") {
          try Topics.cluster(
            tickets: tickets, documents: documents, db: db, seed: global.seed, maxTopics: maxTopics,
            iterations: iterations, terms: terms)
        }
        // Stage timings on stderr when HOTLINE_PROFILE is set (for measuring).
        if ProcessInfo.processInfo.environment["HOTLINE_PROFILE"] != nil {
          Output.error(timer.text(language: .en))
        }
        if global.json {
          try Output.json(json)
        } else {
          Output.line(render(json))
        }
      }
    }

    /// Clusters tokenised tickets, stores the run and returns its JSON.
    static func cluster(
      tickets: [Ticket], documents: TokenizedDocuments, db: HotlineDatabase, seed: UInt64,
      maxTopics: Int? = nil,
      iterations: Int = 15, terms: Int = 10
    ) throws -> TopicsJSON {
      var config = TopicClustering.Config()
      config.model.maxTopics = maxTopics ?? TopicModel.Config.automaticMaxTopics(documents: tickets.count)
      config.model.iterations = iterations
      config.model.seed = seed
      config.model.topTerms = terms
      config.model.isStopword = { StopWords.hotline.contains($0) }
      let result = try TopicClustering.run(on: tickets, documents: documents, config: config, clock: db.clock)
      let json = TopicsJSON(result, tickets: tickets.count, seed: seed, config: config)
      try store(json, result: result, db: db, tickets: tickets, seed: seed)
      return json
    }

    /// District, street and community names of the data, kept whole by the segmenter.
    static func placeNames(_ tickets: [Ticket]) -> Set<String> {
      var names = Set<String>()
      for t in tickets {
        for n in [t.district, t.street, t.community] { if let n, !n.isEmpty { names.insert(n) } }
      }
      return names
    }

    static func store(
      _ json: TopicsJSON, result: TopicClustering.Result, db: HotlineDatabase, tickets: [Ticket], seed: UInt64
    ) throws {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let stored = try json.topics.map { t in
        StoredTopic(
          id: t.id, label: t.label, size: t.size,
          terms: t.terms.map { TermWeight(term: $0.term, weight: $0.weight) },
          detail: String(decoding: try encoder.encode(t.detail), as: UTF8.self))
      }
      let configText = String(decoding: try encoder.encode(json.config), as: UTF8.self)
      try db.saveTopicRun(
        method: "gsdmm", seed: seed, config: configText, topics: stored,
        assignments: zip(tickets, result.assignments).map { ($0.id, $1) })
    }

    func render(_ j: TopicsJSON) -> String {
      let lang = global.lang
      var out: [String] = []
      out.append(
        lang.pick(
          "\(j.tickets) 条工单聚为 \(j.topics.count) 个主题，离群 \(j.outliers.size) 条（\(pct(j.outliers.size, j.tickets))），种子 \(j.seed)",
          "\(j.tickets) tickets in \(j.topics.count) topics, \(j.outliers.size) outliers (\(pct(j.outliers.size, j.tickets))), seed \(j.seed)"))
      let rows = j.topics.prefix(top ?? j.topics.count).map { t -> [String] in
        [
          "\(t.id)", t.label, "\(t.size)", pct(t.size, j.tickets),
          t.terms.prefix(6).map(\.term).joined(separator: " "),
          t.detail.topDistricts.first.map { "\($0.name) \($0.count)" } ?? "",
          t.detail.representativeTicketIds.first ?? "",
        ]
      }
      out.append("")
      out.append(
        TextTable(
          headers: [
            lang.pick("编号", "ID"), lang.pick("主题", "Topic"), lang.pick("件数", "Tickets"),
            lang.pick("占比", "Share"), lang.pick("关键词", "Terms"), lang.pick("最多区县", "Top district"),
            lang.pick("代表工单", "Example ticket"),
          ], rows: rows, rightAligned: [0, 2, 3]
        ).render())
      if let c = j.crosswalk, !c.disagreements.isEmpty {
        out.append("")
        out.append(
          lang.pick(
            "分类与主题不一致的工单 \(c.disagreements.count) 条（数据质量线索，--json 列出全部），例如：",
            "\(c.disagreements.count) tickets whose category disagrees with their topic (a data-quality signal; --json lists all), e.g.:"))
        for d in c.disagreements.prefix(5) {
          out.append("  \(d.ticketId): \(d.category) ≠ \(lang.pick("主题多数", "topic majority")) \(d.topicMajority)（\(d.topic)）")
        }
      }
      return out.joined(separator: "\n")
    }

    func pct(_ n: Int, _ total: Int) -> String {
      total == 0 ? "-" : String(format: "%.1f%%", 100 * Double(n) / Double(total))
    }
  }
}

/// Normalises and segments ticket text for the topic model (one instance per thread).
final class TicketTokenizer {
  private let normalizer: TextNormalizer
  private let segmenter: WordSegmenter

  init(placeNames: Set<String>) throws {
    normalizer = try TextNormalizer()
    segmenter = try WordSegmenter(lexicon: Lexicon.hotline.adding(placeNames))
  }

  /// A tokenizer over a lexicon built once for every thread.
  init(lexicon: Lexicon) throws {
    normalizer = try TextNormalizer()
    segmenter = try WordSegmenter(lexicon: lexicon)
  }

  /// Sets up what every tokenizer shares (ICU's compiled transliterator and
  /// its fast-path table, the word-break dictionaries, the built-in lexicon),
  /// so that it can happen on another thread while tickets load.
  static func warmUp() {
    _ = try? TicketTokenizer(lexicon: .hotline).tokens("繁體字，测试")
  }

  /// Tokenises every ticket's title and text, one tokenizer per core; the
  /// result is in ticket order and the same whatever the number of cores.
  static func tokenizeInParallel(_ tickets: [Ticket], placeNames: Set<String>) throws -> TokenizedDocuments {
    let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    let chunk = (tickets.count + parts - 1) / max(parts, 1)
    let results = Slots<TokenizedDocuments>(count: parts)
    let failure = Slots<any Error>(count: parts)
    let lexicon = Lexicon.hotline.adding(placeNames)
    DispatchQueue.concurrentPerform(iterations: parts) { p in
      let lo = p * chunk, hi = min(tickets.count, lo + chunk)
      guard lo < hi else { return results.set(p, TokenizedDocuments()) }
      do {
        let tokenizer = try TicketTokenizer(lexicon: lexicon)
        var builder = TokenizedDocuments.UTF8Builder()
        for t in tickets[lo..<hi] { tokenizer.append(TopicClustering.document(of: t), to: &builder) }
        results.set(p, builder.documents)
      } catch {
        failure.set(p, error)
      }
    }
    if let e = failure.values.compactMap({ $0 }).first { throw e }
    return TokenizedDocuments.concatenating(results.values.map { $0 ?? TokenizedDocuments() })
  }

  /// The words of `text` the topic model uses: normalised, segmented, and
  /// only words of two or more characters or one Chinese character.
  func tokens(_ text: String) -> [String] {
    segmenter.words(in: normalizer.normalize(text)).filter { w in
      w.unicodeScalars.count >= 2 || w.unicodeScalars.first.map { $0.value >= 0x4E00 } == true
    }
  }

  /// Clause ends (byte offsets) of the text being appended.
  private var clauseEnds: [Int] = []

  /// Appends `tokens(text)` to `builder` as one document, without building
  /// a String per word. A clause of the text (`WordSegmenter.forEachClause`:
  /// its tokens are the same alone as in the text) that the builder has
  /// cached takes its tokens from the cache; each run of clauses not cached
  /// is segmented in one pass (one ICU call, not one per clause) and its
  /// tokens cached clause by clause.
  func append(_ text: String, to builder: inout TokenizedDocuments.UTF8Builder) {
    var text = normalizer.normalize(text)
    text.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return }
      clauseEnds.removeAll(keepingCapacity: true)
      WordSegmenter.forEachClause(inUTF8: bytes) { clauseEnds.append($0.baseAddress! - base + $0.count) }
      let ends = clauseEnds
      let m = ends.count
      func clause(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[(k == 0 ? 0 : ends[k - 1])..<ends[k]])
      }
      var k = 0
      while k < m {
        let id = builder.cachedClause(clause(k))
        if id >= 0 {
          builder.appendCachedClause(id)
          k += 1
          continue
        }
        // Clauses k..<r are not cached; r, if any, is.
        var r = k + 1
        var next = -1
        while r < m {
          next = builder.cachedClause(clause(r))
          if next >= 0 { break }
          r += 1
        }
        var c = k
        var mark = builder.tokenCount
        let run = UnsafeBufferPointer(rebasing: bytes[(k == 0 ? 0 : ends[k - 1])..<ends[r - 1]])
        segmenter.forEachTokenUTF8(inUTF8: run, includePunctuation: false) { w in
          let at = w.baseAddress! - base
          while at >= ends[c] {
            builder.cacheClause(clause(c), since: mark)
            mark = builder.tokenCount
            c += 1
          }
          if TicketTokenizer.keeps(w) { builder.appendToken(w) }
        }
        while c < r {
          builder.cacheClause(clause(c), since: mark)
          mark = builder.tokenCount
          c += 1
        }
        if r < m { builder.appendCachedClause(next) }
        k = r + 1
      }
    }
    builder.endDocument()
  }

  /// The filter of `tokens(_:)` on UTF-8 bytes: at least two code points,
  /// or one at or above U+4E00.
  @inline(__always)
  static func keeps(_ w: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let b0 = w.first else { return false }
    var scalars = 0
    for b in w where b & 0xC0 != 0x80 { scalars += 1 }
    if scalars >= 2 { return true }
    // One code point: U+4E00 and above is E4 B8 80 or higher (3 bytes), or 4 bytes.
    if b0 >= 0xF0 { return true }
    if b0 < 0xE0 || w.count < 3 { return false }
    let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(w[1] & 0x3F) << 6) | UInt32(w[2] & 0x3F)
    return v >= 0x4E00
  }
}

// MARK: - JSON

struct TopicsJSON: Encodable {
  struct Term: Encodable {
    var term: String
    var weight: Double
  }
  struct NameCount: Codable {
    var name: String
    var count: Int
  }
  struct Detail: Codable {
    var monthly: [NameCount]
    var topDistricts: [NameCount]
    var representativeTicketIds: [String]
    var categories: [NameCount]?
    enum CodingKeys: String, CodingKey {
      case monthly, categories
      case topDistricts = "top_districts"
      case representativeTicketIds = "representative_ticket_ids"
    }
  }
  struct Topic: Encodable {
    var id: Int
    var label: String
    var terms: [Term]
    var size: Int
    var share: Double
    var ticketIds: [String]
    var detail: Detail
    enum CodingKeys: String, CodingKey {
      case id, label, terms, size, share
      case ticketIds = "ticket_ids"
      case monthly, topDistricts = "top_districts", representativeTicketIds = "representative_ticket_ids", categories
    }
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id)
      try c.encode(label, forKey: .label)
      try c.encode(terms, forKey: .terms)
      try c.encode(size, forKey: .size)
      try c.encode(share, forKey: .share)
      try c.encode(ticketIds, forKey: .ticketIds)
      try c.encode(detail.monthly, forKey: .monthly)
      try c.encode(detail.topDistricts, forKey: .topDistricts)
      try c.encode(detail.representativeTicketIds, forKey: .representativeTicketIds)
      try c.encodeIfPresent(detail.categories, forKey: .categories)
    }
  }
  struct Outliers: Encodable {
    var size: Int
    var ticketIds: [String]
    enum CodingKeys: String, CodingKey {
      case size
      case ticketIds = "ticket_ids"
    }
  }
  struct Disagreement: Encodable {
    var ticketId: String
    var topic: Int
    var category: String
    var topicMajority: String
    enum CodingKeys: String, CodingKey {
      case topic, category
      case ticketId = "ticket_id"
      case topicMajority = "topic_majority"
    }
  }
  struct Crosswalk: Encodable {
    var disagreements: [Disagreement]
  }
  struct Config: Codable {
    var method: String
    var maxTopics: Int
    var iterations: Int
    var alpha: Double
    var beta: Double
    var convergence: Double
    /// Sweeps actually run (sampling stops early once converged).
    var sweeps: Int
    enum CodingKeys: String, CodingKey {
      case method, iterations, alpha, beta, convergence, sweeps
      case maxTopics = "max_topics"
    }
  }

  var tickets: Int
  var seed: UInt64
  var config: Config
  var topics: [Topic]
  var outliers: Outliers
  var crosswalk: Crosswalk?

  init(_ r: TopicClustering.Result, tickets: Int, seed: UInt64, config: TopicClustering.Config) {
    self.tickets = tickets
    self.seed = seed
    self.config = Config(
      method: "gsdmm", maxTopics: config.model.maxTopics, iterations: config.model.iterations,
      alpha: config.model.alpha, beta: config.model.beta, convergence: config.model.convergence,
      sweeps: r.model.clustersPerIteration.count)
    let mixes = Dictionary(uniqueKeysWithValues: (r.crosswalk?.topics ?? []).map { ($0.topicId, $0) })
    topics = r.topics.map { t in
      Topic(
        id: t.id, label: t.label, terms: t.terms.map { Term(term: $0.term, weight: $0.weight) }, size: t.size,
        share: tickets == 0 ? 0 : Double(t.size) / Double(tickets), ticketIds: t.ticketIds,
        detail: Detail(
          monthly: t.monthly.map { NameCount(name: $0.name, count: $0.count) },
          topDistricts: t.topDistricts.map { NameCount(name: $0.name, count: $0.count) },
          representativeTicketIds: t.representativeTicketIds,
          categories: mixes[t.id].map { $0.level1.map { NameCount(name: $0.name, count: $0.count) } }))
    }
    outliers = Outliers(size: r.outlierTicketIds.count, ticketIds: r.outlierTicketIds)
    crosswalk = r.crosswalk.map { c in
      Crosswalk(
        disagreements: c.disagreements.map {
          Disagreement(ticketId: $0.ticketId, topic: $0.topicId, category: $0.category, topicMajority: $0.topicMajority)
        })
    }
  }

  enum CodingKeys: String, CodingKey {
    case tickets, seed, config, topics, outliers, crosswalk
  }
}

