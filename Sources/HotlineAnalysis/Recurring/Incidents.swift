import Foundation
import HotlineCore
import HotlineText

/// Same-incident merging (并单): tickets about one incident, grouped with a confidence.
///
/// Candidate pairs come from two blockings, never from all pairs:
/// 1. MinHash-LSH over character 3-shingles of the text with its boilerplate
///    clauses removed (intake and demand formulas that many tickets share),
///    within `windowHours` of each other (near-duplicates);
/// 2. the same place (a named estate, road point, shop, school, site or
///    company, or the same community) within `windowHours` (paraphrases).
/// Each pair is scored by a logistic combination of text similarity, shared
/// place, category agreement, distance and time gap (`pairConfidence`); pairs
/// at or above `minConfidence` are linked and the connected components of two
/// or more tickets are the incidents. An incident's confidence is the mean
/// confidence of the links that hold it together.
public enum IncidentMerging {
  public struct Config: Sendable {
    public var windowHours = 48.0
    public var minConfidence = 0.5
    public var permutations = 64
    public var bands = 16
    public var rows = 4
    public var seed: UInt64 = 20_251_122
    public var maxBucket = 400
    /// Look-ahead per ticket inside one place block.
    public var maxPlaceNeighbours = 8
    public init() {}
  }

  /// One merged incident.
  public struct Incident: Sendable, Hashable, Codable {
    public var id: String
    public var ticketIndices: [Int]
    public var confidence: Double
    public var meanSimilarity: Double
    public var nearDuplicate: Bool
  }

  /// The pair features behind a confidence.
  public struct PairFeatures: Sendable {
    public var similarity: Double
    public var sharedEntity: Bool
    public var sameCommunity: Bool
    public var sameStreet: Bool
    public var distanceMetres: Double?
    public var sameL2: Bool
    public var sameL1: Bool
    public var differentL1: Bool
    public var hours: Double
    /// The two share a named place only through an address (weaker than a mention).
    public var sharedAddress = false
    public init(
      similarity: Double, sharedEntity: Bool, sameCommunity: Bool, sameStreet: Bool, distanceMetres: Double?,
      sameL2: Bool, sameL1: Bool, differentL1: Bool, hours: Double
    ) {
      self.similarity = similarity
      self.sharedEntity = sharedEntity
      self.sameCommunity = sameCommunity
      self.sameStreet = sameStreet
      self.distanceMetres = distanceMetres
      self.sameL2 = sameL2
      self.sameL1 = sameL1
      self.differentL1 = differentL1
      self.hours = hours
    }
  }

  /// The probability-like confidence that two tickets report one incident.
  public static func pairConfidence(_ f: PairFeatures) -> Double {
    var z = -3.5 + 5.0 * f.similarity
    if f.sharedEntity { z += 1.8 } else if f.sharedAddress { z += 0.6 }
    if f.sameCommunity { z += 0.6 }
    if f.sameStreet { z += 0.3 }
    let near = f.distanceMetres.map { $0 <= 1000 } ?? false
    if !(f.sharedEntity || f.sameCommunity || f.sameStreet || near) { z -= 3 }  // no common place
    if let d = f.distanceMetres { z += d <= 500 ? 0.4 : (d > 1500 ? -1.5 : 0) }
    if f.sameL2 { z += 1.2 } else if f.sameL1 { z += 0.5 }
    if f.differentL1 { z -= 2.5 }
    z -= 0.06 * f.hours
    return 1 / (1 + exp(-z))
  }

  /// Merges the prepared tickets into incidents.
  static func run(_ p: Prepared, config: Config, threads: Int, timings: inout [String: Double]) -> [Incident] {
    let n = p.tickets.count
    guard n >= 2 else { return [] }
    let hasher = MinHasher(permutations: config.permutations, shingleLength: 3, seed: config.seed)
    // Boilerplate clauses counted over all texts, then texts stripped and
    // signed a slice at a time (the stripped texts are never all held; the
    // clause table is freed, and its pages returned, once all are signed).
    let sigs = { () -> MinHashSignatures in
      var t0 = Date()
      let texts = p.tickets.map(\.text)
      let table = Boilerplate.learn(texts, threads: threads)
      var stripSeconds = Date().timeIntervalSince(t0), signSeconds = 0.0
      var flat: [UInt32] = []
      flat.reserveCapacity(n * config.permutations)
      var from = 0
      while from < n {
        let upTo = min(n, from + 65_536)
        t0 = Date()
        let clean = Boilerplate.strip(texts[from..<upTo], table, threads: threads)
        stripSeconds += Date().timeIntervalSince(t0)
        t0 = Date()
        flat += hasher.signatures(clean, threads: threads).values
        signSeconds += Date().timeIntervalSince(t0)
        from = upTo
      }
      timings["boilerplate"] = stripSeconds
      timings["signatures"] = signSeconds
      return MinHashSignatures(permutations: config.permutations, values: flat)
    }()
    FreedMemory.release()
    let window = Int64(config.windowHours * 3600)
    let fields = PairFields(p)
    let positions = fields.received
    let lsh = MinHashLSH(bands: config.bands, rows: config.rows)
    var pairs = lsh.packedCandidatePairs(sigs, positions: positions, maxGap: window, maxBucket: config.maxBucket)
    // Place blocks: tickets (already in time order) naming the same place, or in the same
    // community with the same problem.
    var blocks: [Int32: [Int32]] = [:]
    for i in 0..<n {
      for k in p.mentionIds[i] { blocks[k, default: []].append(Int32(i)) }
      if p.communityProblemId[i] >= 0 { blocks[p.communityProblemId[i], default: []].append(Int32(i)) }
    }
    for (_, members) in blocks where members.count >= 2 {
      for x in 0..<members.count {
        var y = x + 1
        while y < members.count && y - x <= config.maxPlaceNeighbours {
          let a = Int(members[x])
          let b = Int(members[y])
          if positions[b] - positions[a] > window { break }
          pairs.append(MinHashLSH.pack(a, b))
          y += 1
        }
      }
    }
    blocks = [:]
    MinHashLSH.sortAndDropRepeats(&pairs)
    // Score on every core (the pairs in fixed chunks, so the result does not
    // depend on the number of threads); link the most confident pairs first,
    // never letting an incident span more than the window.
    let chunk = 65_536
    let chunks = (pairs.count + chunk - 1) / chunk
    let slots = Slots<[(Int, Int, Double, Double)]>(count: chunks)
    let pairList = pairs
    pairs = []
    let workers = max(1, min(threads, chunks))
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      for c in stride(from: w, to: chunks, by: workers) {
        var local: [(Int, Int, Double, Double)] = []
        for k in (c * chunk)..<min(pairList.count, (c + 1) * chunk) {
          let i = Int(pairList[k] >> 32)
          let j = Int(pairList[k] & 0xFFFF_FFFF)
          let f = features(fields, p, sigs, i, j)
          guard f.hours <= config.windowHours else { continue }
          let conf = pairConfidence(f)
          if conf >= config.minConfidence { local.append((i, j, conf, f.similarity)) }
        }
        slots.set(c, local)
      }
    }
    var scored = slots.values.flatMap { $0 ?? [] }
    scored.sort { $0.2 != $1.2 ? $0.2 > $1.2 : ($0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1) }
    var uf = UnionFind(n)
    var lo = positions
    var hi = positions
    var edges: [(Int, Int, Double, Double)] = []
    for e in scored {
      let ra = uf.find(e.0)
      let rb = uf.find(e.1)
      if ra == rb {
        edges.append(e)
        continue
      }
      let l = min(lo[ra], lo[rb])
      let h = max(hi[ra], hi[rb])
      guard h - l <= window else { continue }
      uf.union(ra, rb)
      let r = uf.find(ra)
      lo[r] = l
      hi[r] = h
      edges.append(e)
    }
    var groups: [Int: [Int]] = [:]
    for i in 0..<n where uf.size(of: i) >= 2 { groups[uf.find(i), default: []].append(i) }
    var conf: [Int: (Double, Double, Int)] = [:]
    for (i, _, c, s) in edges {
      let r = uf.find(i)
      let v = conf[r, default: (0, 0, 0)]
      conf[r] = (v.0 + c, v.1 + s, v.2 + 1)
    }
    var out: [Incident] = []
    for (root, members) in groups {
      let v = conf[root] ?? (0, 0, 1)
      let meanSim = v.1 / Double(max(v.2, 1))
      out.append(
        Incident(
          id: "", ticketIndices: members.sorted { positions[$0] != positions[$1] ? positions[$0] < positions[$1] : $0 < $1 },
          confidence: v.0 / Double(max(v.2, 1)), meanSimilarity: meanSim, nearDuplicate: meanSim >= 0.5))
    }
    // A total order (the groups came out of a dictionary): size, first time, first ticket.
    out.sort { a, b in
      if a.ticketIndices.count != b.ticketIndices.count { return a.ticketIndices.count > b.ticketIndices.count }
      let pa = positions[a.ticketIndices[0]], pb = positions[b.ticketIndices[0]]
      return pa != pb ? pa < pb : a.ticketIndices[0] < b.ticketIndices[0]
    }
    for k in out.indices { out[k].id = String(format: "I%05d", k + 1) }
    return out
  }

  /// The per-ticket values a pair's features need, as plain arrays.
  struct PairFields: Sendable {
    let received: [Int64]
    let lat: [Double]
    let lon: [Double]
    /// Interned level-1 category, category path, community and street (−1: none).
    let l1: [Int32]
    let problem: [Int32]
    let community: [Int32]
    let street: [Int32]

    init(_ p: Prepared) {
      var ids: [UTF8Key: Int32] = [:]
      func id(_ s: String?) -> Int32 {
        guard let s, !s.isEmpty else { return -1 }
        return Prepared.intern(s, &ids)
      }
      received = p.tickets.map(\.receivedAt)
      lat = p.tickets.map { $0.location?.lat ?? .nan }
      lon = p.tickets.map { $0.location?.lon ?? .nan }
      l1 = p.tickets.map { id("\u{1}" + ($0.category.first ?? "")) }
      problem = p.problem.map { id($0.isEmpty ? nil : "\u{2}" + $0) }
      community = p.communityKey.map { id($0.map { "\u{3}" + $0 }) }
      street = p.streetKey.map { id($0.map { "\u{4}" + $0 }) }
    }
  }

  static func features(_ q: PairFields, _ p: Prepared, _ sigs: MinHashSignatures, _ i: Int, _ j: Int) -> PairFeatures {
    let m = p.mentionIds
    let a = p.addressIds
    let mention = m.meets(i, m, j)
    let address = !mention && (a.meets(i, a, j) || m.meets(i, a, j) || a.meets(i, m, j))
    var d: Double? = nil
    if !q.lat[i].isNaN && !q.lat[j].isNaN {
      d = Coordinate(lon: q.lon[i], lat: q.lat[i]).distance(to: Coordinate(lon: q.lon[j], lat: q.lat[j]))
    }
    let l1a = q.l1[i], l1b = q.l1[j]
    var f = PairFeatures(
      similarity: sigs.jaccard(i, j), sharedEntity: mention, sameCommunity: q.community[i] >= 0 && q.community[i] == q.community[j],
      sameStreet: q.street[i] >= 0 && q.street[i] == q.street[j], distanceMetres: d,
      sameL2: q.problem[i] >= 0 && q.problem[i] == q.problem[j], sameL1: l1a >= 0 && l1a == l1b,
      differentL1: l1a >= 0 && l1b >= 0 && l1a != l1b,
      hours: Double(abs(q.received[j] - q.received[i])) / 3600)
    f.sharedAddress = address
    return f
  }
}

/// Disjoint sets with union by size and path halving.
struct UnionFind {
  private var parent: [Int32]
  private var sizes: [Int32]
  init(_ n: Int) {
    parent = (0..<n).map { Int32($0) }
    sizes = Array(repeating: 1, count: n)
  }
  mutating func find(_ x: Int) -> Int {
    var x = x
    while Int(parent[x]) != x {
      parent[x] = parent[Int(parent[x])]
      x = Int(parent[x])
    }
    return x
  }
  mutating func union(_ a: Int, _ b: Int) {
    var ra = find(a)
    var rb = find(b)
    if ra == rb { return }
    if sizes[ra] < sizes[rb] { swap(&ra, &rb) }
    parent[rb] = Int32(ra)
    sizes[ra] += sizes[rb]
  }
  mutating func size(of x: Int) -> Int { Int(sizes[find(x)]) }
}
