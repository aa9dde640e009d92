import Foundation
internal import GRDB

/// One topic of a stored topic run.
public struct StoredTopic: Sendable, Equatable {
  public var id: Int
  public var label: String
  public var size: Int
  /// Top terms with their weights, most distinctive first.
  public var terms: [TermWeight]
  /// Everything else the analysis reports about the topic, as JSON text
  /// (trend, districts, representative tickets, crosswalk).
  public var detail: String

  public init(id: Int, label: String, size: Int, terms: [TermWeight], detail: String) {
    self.id = id
    self.label = label
    self.size = size
    self.terms = terms
    self.detail = detail
  }
}

/// A term and its weight.
public struct TermWeight: Sendable, Codable, Equatable {
  public var term: String
  public var weight: Double
  public init(term: String, weight: Double) {
    self.term = term
    self.weight = weight
  }
}

/// A stored topic run.
public struct TopicRunInfo: Sendable, Equatable {
  public var id: Int64
  public var method: String
  public var seed: UInt64
  public var config: String
  public var tickets: Int
  public var topics: Int
  public var outliers: Int
}

extension HotlineDatabase {
  /// Stores a topic run and makes its assignments the current topic of each
  /// ticket (`ticket_topic`); earlier runs stay in `topic_run`/`topic`.
  /// Outliers are stored with topic -1.
  @discardableResult
  public func saveTopicRun(
    method: String, seed: UInt64, config: String, topics: [StoredTopic],
    assignments: [(ticketID: String, topic: Int)]
  ) throws -> Int64 {
    try queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO topic_run(created_at, method, seed, config, tickets, topics, outliers)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          Int64(Date().timeIntervalSince1970), method, Int64(bitPattern: seed), config,
          assignments.count, topics.count, assignments.filter { $0.topic < 0 }.count,
        ])
      let run = db.lastInsertedRowID
      let encoder = JSONEncoder()
      for t in topics {
        let terms = String(decoding: try encoder.encode(t.terms), as: UTF8.self)
        try db.execute(
          sql: "INSERT INTO topic(run, id, label, size, terms, detail) VALUES (?, ?, ?, ?, ?, ?)",
          arguments: [run, t.id, t.label, t.size, terms, t.detail])
      }
      try db.execute(sql: "DELETE FROM ticket_topic")
      let stmt = try db.makeStatement(
        sql: "INSERT INTO ticket_topic(ticket_id, run, topic) VALUES (?, ?, ?)")
      for a in assignments { try stmt.execute(arguments: [a.ticketID, run, a.topic]) }
      return run
    }
  }

  /// The latest topic run, if any.
  public func latestTopicRun() throws -> TopicRunInfo? {
    try queue.read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM topic_run ORDER BY id DESC LIMIT 1").map {
        TopicRunInfo(
          id: $0["id"], method: $0["method"], seed: UInt64(bitPattern: $0["seed"]),
          config: $0["config"], tickets: $0["tickets"], topics: $0["topics"],
          outliers: $0["outliers"])
      }
    }
  }

  /// The topics of a run, by id.
  public func topics(run: Int64) throws -> [StoredTopic] {
    try queue.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM topic WHERE run = ? ORDER BY id", arguments: [run])
        .map { r in
          let terms = (try? JSONDecoder().decode([TermWeight].self, from: Data((r["terms"] as String).utf8))) ?? []
          return StoredTopic(id: r["id"], label: r["label"], size: r["size"], terms: terms, detail: r["detail"])
        }
    }
  }

  /// The current topic of every ticket (ticket id → topic, -1 = outlier).
  public func ticketTopics() throws -> [String: Int] {
    try queue.read { db in
      var out: [String: Int] = [:]
      let cursor = try Row.fetchCursor(db, sql: "SELECT ticket_id, topic FROM ticket_topic")
      while let r = try cursor.next() { out[r["ticket_id"]] = r["topic"] }
      return out
    }
  }
}
