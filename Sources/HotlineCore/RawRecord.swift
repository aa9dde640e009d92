/// The source row of a ticket, kept for audit: column names and values in
/// file order, with personal numbers masked.
///
/// All tickets read from one file share one `columns` array (copy-on-write),
/// so keeping the row costs one array of values per ticket. Empty values carry
/// no information: equality, hashing and storage consider non-empty values only.
public struct RawRecord: Sendable, Codable, ExpressibleByDictionaryLiteral {
  public typealias Key = String
  public typealias Value = String

  public var columns: [String]
  public var values: [String]

  /// An empty record.
  public init() {
    columns = []
    values = []
  }

  public init(columns: [String], values: [String]) {
    precondition(columns.count == values.count, "one value per column")
    self.columns = columns
    self.values = values
  }

  public init(dictionaryLiteral elements: (String, String)...) {
    columns = elements.map(\.0)
    values = elements.map(\.1)
  }

  /// The (column, value) pairs with a non-empty value, in file order.
  public var pairs: [(column: String, value: String)] {
    zip(columns, values).filter { !$0.1.isEmpty }.map { (column: $0.0, value: $0.1) }
  }

  public var isEmpty: Bool { values.allSatisfy(\.isEmpty) }

  /// The value of a column (`nil` when absent or empty); setting a new column
  /// appends it.
  public subscript(column: String) -> String? {
    get {
      guard let i = columns.firstIndex(of: column), !values[i].isEmpty else { return nil }
      return values[i]
    }
    set {
      if let i = columns.firstIndex(of: column) {
        values[i] = newValue ?? ""
      } else if let newValue {
        columns.append(column)
        values.append(newValue)
      }
    }
  }

  // Encoded as a JSON object in column order.
  struct ColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: ColumnKey.self)
    for (k, v) in pairs { try c.encode(v, forKey: ColumnKey(stringValue: k)) }
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: ColumnKey.self)
    columns = c.allKeys.map(\.stringValue)
    values = try c.allKeys.map { try c.decode(String.self, forKey: $0) }
  }
}

extension RawRecord: Hashable {
  public static func == (a: RawRecord, b: RawRecord) -> Bool {
    a.pairs.elementsEqual(b.pairs) { $0.column == $1.column && $0.value == $1.value }
  }

  public func hash(into h: inout Hasher) {
    for (k, v) in pairs {
      h.combine(k)
      h.combine(v)
    }
  }
}
