/// Groups one caller's tickets into matters (同一事项): the calls that are
/// about the same problem. The recurring-class analysis, when present, is the
/// better source (a class id per ticket); until then, and for tickets it does
/// not cover, the caller's own tickets are compared with each other.
public protocol SameMatterGrouping: Sendable {
  /// Partitions `tickets` (one caller's, in time order) into groups of
  /// indices; every index appears in exactly one group.
  func groups(_ tickets: [CallerTicket]) -> [[Int]]
}

/// Same matter within one caller: same category (when both have one) and
/// similar titles (character-bigram Jaccard at least `threshold`), joined
/// transitively (single linkage), or the same re-handled parent.
public struct TitleSimilarityMatter: SameMatterGrouping {
  public var threshold: Double
  /// Each ticket is compared with at most this many earlier ones.
  public var lookBack: Int

  public init(threshold: Double = 0.3, lookBack: Int = 200) {
    self.threshold = threshold
    self.lookBack = lookBack
  }

  public func groups(_ tickets: [CallerTicket]) -> [[Int]] {
    let n = tickets.count
    var parent = Array(0..<n)
    func find(_ x: Int) -> Int {
      var x = x
      while parent[x] != x {
        parent[x] = parent[parent[x]]
        x = parent[x]
      }
      return x
    }
    let grams = tickets.map { Self.bigrams($0.title) }
    var byId: [String: Int] = [:]
    for (i, t) in tickets.enumerated() { byId[t.id] = i }
    // Compare within a category (tickets without one against everything),
    // each ticket with at most the `lookBack` previous ones, so that an
    // account with thousands of tickets stays linear.
    var previous: [String: [Int]] = [:]
    var all: [Int] = []
    for i in 0..<n {
      if let p = tickets[i].parentId, let j = byId[p] { parent[find(i)] = find(j) }
      let cat = tickets[i].category
      let candidates = cat.isEmpty ? all.suffix(lookBack) : (previous[cat, default: []] + previous["", default: []]).suffix(lookBack)
      for j in candidates where Self.jaccard(grams[i], grams[j]) >= threshold {
        parent[find(i)] = find(j)
      }
      previous[cat, default: []].append(i)
      all.append(i)
    }
    var groups: [Int: [Int]] = [:]
    for i in 0..<n { groups[find(i), default: []].append(i) }
    return groups.values.sorted { $0[0] < $1[0] }
  }

  static func bigrams(_ s: String) -> Set<UInt64> {
    let scalars = s.unicodeScalars.filter { !$0.properties.isWhitespace && !"\"“”'，。,.!！".unicodeScalars.contains($0) }
      .map(\.value)
    if scalars.count < 2 { return Set(scalars.map { UInt64($0) }) }
    var out = Set<UInt64>()
    for i in 0..<(scalars.count - 1) { out.insert(UInt64(scalars[i]) << 32 | UInt64(scalars[i + 1])) }
    return out
  }

  static func jaccard(_ a: Set<UInt64>, _ b: Set<UInt64>) -> Double {
    if a.isEmpty || b.isEmpty { return 0 }
    let inter = a.intersection(b).count
    return Double(inter) / Double(a.count + b.count - inter)
  }
}

/// Same matter by a known class per ticket (for example the recurring-class
/// analysis' class ids), falling back to another grouping for the tickets
/// the map does not cover.
public struct KnownClassMatter: SameMatterGrouping {
  public var classOf: [String: String]
  public var fallback: any SameMatterGrouping

  public init(classOf: [String: String], fallback: any SameMatterGrouping = TitleSimilarityMatter()) {
    self.classOf = classOf
    self.fallback = fallback
  }

  public func groups(_ tickets: [CallerTicket]) -> [[Int]] {
    var known: [String: [Int]] = [:]
    var rest: [Int] = []
    for (i, t) in tickets.enumerated() {
      if let c = classOf[t.id] { known[c, default: []].append(i) } else { rest.append(i) }
    }
    var out = Array(known.values)
    if !rest.isEmpty {
      let sub = rest.map { tickets[$0] }
      for g in fallback.groups(sub) { out.append(g.map { rest[$0] }) }
    }
    return out.sorted { $0[0] < $1[0] }
  }
}
