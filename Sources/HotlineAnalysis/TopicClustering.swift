import HotlineCore

/// Topics of tickets: ``TopicModel`` over title + text, described with the
/// tickets' months, districts and (when the export has them) a crosswalk to
/// the export's own categories.
///
/// Categories are never an input to the model; the crosswalk only compares.
public enum TopicClustering {
  /// Settings of the ticket-level run.
  public struct Config: Sendable {
    /// The topic model's settings.
    public var model = TopicModel.Config()
    /// Districts listed per topic. Default 5.
    public var topDistricts = 5
    /// Disagreements are flagged only in topics whose majority level-1
    /// category holds at least this share of the topic's categorised tickets
    /// (in a mixed topic a minority category is no sign of an error).
    /// Default 0.6.
    public var crosswalkMinimumPurity = 0.6

    public init() {}
  }

  /// A count of tickets under a name (month, district, category).
  public struct Count: Sendable, Hashable, Codable {
    public var name: String
    public var count: Int
    public init(name: String, count: Int) {
      self.name = name
      self.count = count
    }
  }

  /// One topic of tickets.
  public struct Topic: Sendable {
    public var id: Int
    public var label: String
    public var terms: [TopicModel.Term]
    public var size: Int
    /// Ticket ids in input order.
    public var ticketIds: [String]
    /// Tickets per month (`yyyy-MM` in the given zone), ascending; months
    /// without tickets inside the topic's range are listed with 0.
    public var monthly: [Count]
    /// The districts with most tickets (blank districts left out).
    public var topDistricts: [Count]
    /// The topic's most representative tickets.
    public var representativeTicketIds: [String]
  }

  /// How one topic's tickets spread over the export's categories.
  public struct CategoryMix: Sendable {
    public var topicId: Int
    /// Tickets with a category.
    public var categorised: Int
    /// Level-1 categories, most frequent first (ties by name).
    public var level1: [Count]
    /// Level-2 paths ("L1->L2"), most frequent first.
    public var level2: [Count]
    /// The majority level-1 category and its share of `categorised`.
    public var majority: String?
    public var purity: Double
  }

  /// A ticket whose level-1 category differs from its topic's majority.
  public struct Disagreement: Sendable, Hashable {
    public var ticketId: String
    public var topicId: Int
    public var category: String
    public var topicMajority: String
  }

  /// Topics against the export's categories: a data-quality signal.
  public struct Crosswalk: Sendable {
    public var topics: [CategoryMix]
    /// In topics at least `crosswalkMinimumPurity` pure, the tickets whose
    /// level-1 category is not the majority.
    public var disagreements: [Disagreement]
  }

  public struct Result: Sendable {
    public var topics: [Topic]
    /// Tickets in no topic.
    public var outlierTicketIds: [String]
    /// Topic id per input ticket (-1: outlier).
    public var assignments: [Int]
    /// Present when at least one ticket carries a category.
    public var crosswalk: Crosswalk?
    /// The model's own result (diagnostics, document indices).
    public var model: TopicModel.Result
  }

  /// The document of a ticket: title and text.
  public static func document(of ticket: Ticket) -> String {
    guard let title = ticket.title, !title.isEmpty else { return ticket.text }
    return title + "\n" + ticket.text
  }

  /// Clusters `tickets` into topics.
  public static func run(
    on tickets: [Ticket], tokenize: (String) -> [String], config: Config = Config(),
    clock: ZoneClock = .shanghai
  ) throws -> Result {
    try run(
      on: tickets, documents: tickets.map { tokenize(document(of: $0)) }, config: config,
      clock: clock)
  }

  /// Clusters `tickets` into topics, given each ticket's tokens (tokenised
  /// by the caller, for instance on several threads), in ticket order.
  public static func run(
    on tickets: [Ticket], documents: [[String]], config: Config = Config(),
    clock: ZoneClock = .shanghai
  ) throws -> Result {
    try run(on: tickets, documents: TokenizedDocuments(documents), config: config, clock: clock)
  }

  /// Clusters `tickets` into topics, given each ticket's tokens as ids.
  public static func run(
    on tickets: [Ticket], documents: TokenizedDocuments, config: Config = Config(),
    clock: ZoneClock = .shanghai
  ) throws -> Result {
    precondition(documents.count == tickets.count, "one document per ticket")
    let model = try TopicModel.run(documents: documents, config: config.model)
    var members = [[Int]](repeating: [], count: model.topics.count)
    var outliers: [String] = []
    for (i, t) in model.assignments.enumerated() {
      if t < 0 { outliers.append(tickets[i].id) } else { members[t].append(i) }
    }
    // Districts by matching key (凤营区 and 凤营 are one), each shown under
    // its most frequent spelling in the whole data.
    var spellings = AreaSpellings()
    var districtKey = [String?](repeating: nil, count: tickets.count)
    for (i, t) in tickets.enumerated() {
      if let d = t.district, !d.allSatisfy(\.isWhitespace) { districtKey[i] = spellings.add([d]) }
    }
    var topics: [Topic] = []
    for topic in model.topics {
      let idx = members[topic.id]
      var months: [Int: Int] = [:]
      var byKey: [String: Int] = [:]
      for i in idx {
        let c = clock.civil(tickets[i].receivedAt)
        months[c.year * 12 + c.month - 1, default: 0] += 1
        if let k = districtKey[i] { byKey[k, default: 0] += 1 }
      }
      var districts: [String: Int] = [:]
      for (k, n) in byKey { districts[spellings.name(k) ?? k, default: 0] += n }
      var monthly: [Count] = []
      if let lo = months.keys.min(), let hi = months.keys.max() {
        for m in lo...hi {
          let name = String(m / 12).leftPadded(4) + "-" + String(m % 12 + 1).leftPadded(2)
          monthly.append(Count(name: name, count: months[m] ?? 0))
        }
      }
      topics.append(
        Topic(
          id: topic.id, label: topic.label, terms: topic.terms, size: topic.size,
          ticketIds: idx.map { tickets[$0].id }, monthly: monthly,
          topDistricts: Array(ranked(districts).prefix(config.topDistricts)),
          representativeTicketIds: topic.representatives.map { tickets[$0].id }))
    }
    let crosswalk =
      tickets.contains { !$0.category.isEmpty }
      ? makeCrosswalk(tickets: tickets, members: members, minimumPurity: config.crosswalkMinimumPurity)
      : nil
    return Result(
      topics: topics, outlierTicketIds: outliers, assignments: model.assignments,
      crosswalk: crosswalk, model: model)
  }

  static func makeCrosswalk(tickets: [Ticket], members: [[Int]], minimumPurity: Double) -> Crosswalk {
    var mixes: [CategoryMix] = []
    var disagreements: [Disagreement] = []
    for (topicId, idx) in members.enumerated() {
      var l1: [String: Int] = [:]
      var l2: [String: Int] = [:]
      var categorised = 0
      for i in idx where !tickets[i].category.isEmpty {
        let path = tickets[i].category
        categorised += 1
        l1[path[0], default: 0] += 1
        if path.count >= 2 { l2[path[0] + Ticket.categorySeparator + path[1], default: 0] += 1 }
      }
      let level1 = ranked(l1)
      let majority = level1.first?.name
      let purity = categorised == 0 ? 0 : Double(level1.first?.count ?? 0) / Double(categorised)
      mixes.append(
        CategoryMix(
          topicId: topicId, categorised: categorised, level1: level1, level2: ranked(l2),
          majority: majority, purity: purity))
      if let majority, purity >= minimumPurity {
        for i in idx where !tickets[i].category.isEmpty && tickets[i].category[0] != majority {
          disagreements.append(
            Disagreement(
              ticketId: tickets[i].id, topicId: topicId, category: tickets[i].categoryPath,
              topicMajority: majority))
        }
      }
    }
    return Crosswalk(topics: mixes, disagreements: disagreements)
  }

  /// Counts, most frequent first, ties by name.
  static func ranked(_ counts: [String: Int]) -> [Count] {
    counts.map { Count(name: $0.key, count: $0.value) }
      .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
