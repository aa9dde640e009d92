import Foundation
import HotlineCore
import HotlineStats

extension CallerReview {
  /// The review's input when the tickets are in memory: the tickets
  /// themselves plus one out-of-scope class and one mark byte per ticket.
  /// Nothing is copied per ticket: callers are grouped by the 16 bytes of
  /// their keys, and the review's records (`CallerTicket`) are made only
  /// for callers whose cheap evidence (counts, windows, bursts, out-of-scope
  /// calls, a bound on the matter channel) could put them on the list.
  /// Gives the same result as adding every ticket to a `Builder`.
  public struct TicketTable: Sendable {
    public let tickets: [Ticket]
    /// Per ticket: 0, or 1 + the index of its out-of-scope class in `codes`.
    let scope: [UInt8]
    let codes: [String]
    /// Per ticket: `organisational` and `dissatisfied` bits.
    let marks: [UInt8]

    public static let organisational: UInt8 = 1
    public static let dissatisfied: UInt8 = 2

    public init(tickets: [Ticket], scope: [UInt8], codes: [String], marks: [UInt8]) {
      precondition(scope.count == tickets.count && marks.count == tickets.count)
      self.tickets = tickets
      self.scope = scope
      self.codes = codes
      self.marks = marks
    }

    /// 满意度 says 不满意, or reads "dissatisfied" in any case (as
    /// `CallerTicket(_:scope:organisational:)` decides), without building
    /// strings for the usual values.
    public static func saysDissatisfied(_ satisfaction: String?) -> Bool {
      guard var sat = satisfaction, !sat.isEmpty else { return false }
      let fast: Bool? = sat.withUTF8 { b -> Bool? in
        var ascii = true
        for c in b where c >= 0x80 {
          ascii = false
          break
        }
        if ascii {
          // ASCII lowercases within ASCII: only letters change.
          let word: StaticString = "dissatisfied"
          guard b.count == word.utf8CodeUnitCount else { return false }
          for i in 0..<b.count where b[i] | 0x20 != word.utf8Start[i] { return false }
          return true
        }
        // 不满意 in UTF-8.
        let needle: StaticString = "不满意"
        let m = needle.utf8CodeUnitCount
        for i in 0..<max(0, b.count - m + 1) {
          var k = 0
          while k < m && b[i + k] == needle.utf8Start[k] { k += 1 }
          if k == m {
            // A whole-character match: nothing before or after that could
            // join a character of the phrase.
            let before = i == 0 || b[i - 1] < 0x80
            let after = i + m == b.count || b[i + m] < 0x80
            if before && after { return true }
            return nil
          }
        }
        // No such bytes: only a compatibility ideograph (U+F900…, U+2F800…,
        // from byte 0xEF on), canonically equal to one of the three, could
        // still match.
        for c in b where c >= 0xEF { return nil }
        return false
      }
      if let fast { return fast }
      return sat.contains("不满意") || sat.lowercased() == "dissatisfied"
    }

    /// Caller of each ticket (−1: none).
    struct Callers {
      var owner: [Int32]
      var count = 0
    }

    func callers() -> Callers {
      let n = tickets.count
      var owner = [Int32](repeating: -1, count: n)
      var capacity = 16
      while capacity < n + n / 2 { capacity <<= 1 }
      let mask = capacity - 1
      // Open addressing on the keys' bytes (already uniform: keyed hashes);
      // a slot holds a caller id, the caller's bytes are in `keys`.
      var slot = [Int32](repeating: -1, count: capacity)
      var keys: [(UInt64, UInt64)] = []
      var other: [Int] = []
      let bytes = Ticket.callerKeyBytes(of: tickets)
      bytes.withUnsafeBufferPointer { tp in
        for i in 0..<n {
          guard let d = tp[i] else {
            other.append(i)
            continue
          }
          var h = Int(truncatingIfNeeded: d.1 ^ (d.0 &* 0x9E37_79B9_7F4A_7C15)) & mask
          while true {
            let id = slot[h]
            if id < 0 {
              slot[h] = Int32(keys.count)
              owner[i] = Int32(keys.count)
              keys.append(d)
              break
            }
            if keys[Int(id)] == d {
              owner[i] = id
              break
            }
            h = (h + 1) & mask
          }
        }
      }
      // Keys of another form (never 32 hex digits, so never equal to one
      // of the above); ids after the others', which changes no result.
      var next = Int32(keys.count)
      var byString: [String: Int32] = [:]
      for i in other {
        guard let k = tickets[i].callerKey, !k.isEmpty else { continue }
        if let id = byString[k] {
          owner[i] = id
        } else {
          byString[k] = next
          owner[i] = next
          next += 1
        }
      }
      return Callers(owner: owner, count: Int(next))
    }

    public func review(
      config: Config = Config(), clock: ZoneClock = .shanghai, calendar: HolidayCalendar = .china,
      grouping: any SameMatterGrouping = TitleSimilarityMatter()
    ) -> CallerReviewResult {
      reviewIndexed(config: config, clock: clock, calendar: calendar, grouping: grouping).result
    }

    /// The review, and for each caller listed the indices of its tickets in
    /// `tickets`, in the order of its `ticketIds`.
    public func reviewIndexed(
      config: Config = Config(), clock: ZoneClock = .shanghai, calendar: HolidayCalendar = .china,
      grouping: any SameMatterGrouping = TitleSimilarityMatter()
    ) -> (result: CallerReviewResult, ticketIndices: [[Int]]) {
      let who = callers()
      let owner = who.owner
      var counts = [Int](repeating: 0, count: who.count)
      var t0 = Int64.max, t1 = Int64.min
      var scoped = 0, withOutcome = 0, unsettled = 0, items = 0
      for i in tickets.indices where owner[i] >= 0 {
        counts[Int(owner[i])] += 1
        items += 1
        let t = tickets[i].receivedAt
        t0 = min(t0, t)
        t1 = max(t1, t)
        if scope[i] != 0 { scoped += 1 }
        let (outcome, bad) = Self.outcome(tickets[i].resolution, marks[i])
        if outcome {
          withOutcome += 1
          if bad { unsettled += 1 }
        }
      }
      let concentration = CallerConcentration(ticketsPerCaller: counts)
      var start = [Int](repeating: 0, count: counts.count + 1)
      for (c, k) in counts.enumerated() { start[c + 1] = start[c] + k }
      var fill = start
      var order = [Int](repeating: 0, count: items)
      for i in tickets.indices where owner[i] >= 0 {
        order[fill[Int(owner[i])]] = i
        fill[Int(owner[i])] += 1
      }
      let period = items == 0 ? 86_400 : Double(max(t1 - t0, 86_400))
      let scopeRate = items == 0 ? 0 : max(Double(scoped) / Double(items), 1e-6)
      let unsettledRate = withOutcome == 0 ? 0.5 : min(max(Double(unsettled) / Double(withOutcome), 1e-6), 1 - 1e-6)
      var beyondFirst: [Int] = []
      beyondFirst.reserveCapacity(counts.count)
      for k in counts where k > 0 { beyondFirst.append(k - 1) }
      let nb = NegativeBinomial.fitMoments(beyondFirst)
        ?? NegativeBinomial(p: 0.999_999, r: 1e6)
      let testedCallers = (0..<counts.count).filter { counts[$0] >= config.minCalls }
      let tested = testedCallers.count
      let population = CallerPopulation(
        callers: counts.count, tickets: items, tested: tested, nbP: nb.p, nbR: nb.r,
        meanCalls: counts.isEmpty ? 0 : Double(items) / Double(counts.count), scopeRate: scopeRate,
        unsettledRate: unsettledRate, outcomeTickets: withOutcome, periodDays: period / 86_400)
      let judge = Judge(population: population, config: config, tested: tested)
      // The volume tail depends on the count only.
      var volume: [Int: Double] = [:]
      for c in testedCallers where volume[counts[c]] == nil { volume[counts[c]] = nb.log10AtLeast(counts[c] - 1) }
      let log10Unsettled = log10(unsettledRate)
      let burstWindow = Int64(config.burstDays) * 86_400
      let windowLength = Int64(config.windowDays) * 86_400

      let (byCaller, offsets, volumeTail) = (order, start, volume)
      @Sendable func finding(_ c: Int) -> (CallerFinding, [Int])? {
        var idx = Array(byCaller[offsets[c]..<offsets[c + 1]])
        idx.sort { (tickets[$0].receivedAt, tickets[$0].id) < (tickets[$1].receivedAt, tickets[$1].id) }
        let n = idx.count
        let times = idx.map { tickets[$0].receivedAt }
        let window = BurstScan.maxWindow(sortedTimes: times, window: windowLength)
        let burst = BurstScan.maxWindow(sortedTimes: times, window: burstWindow)
        let logBurst = BurstScan.log10PValue(
          maxCount: burst.count, events: n, windowFraction: min(1, Double(burstWindow) / period))
        var scopeCalls = 0, bad = 0
        for i in idx {
          if scope[i] != 0 { scopeCalls += 1 }
          if Self.outcome(tickets[i].resolution, marks[i]).unsettled { bad += 1 }
        }
        let logScope = BinomialTail.log10AtLeast(scopeCalls, n: n, p: scopeRate)
        // The matter channel's p-value is a binomial tail of at most `bad`
        // unsettled calls: at least unsettledRate^bad. One order of
        // magnitude of slack for rounding; far from GSL's underflow.
        let matterFloor = Double(bad) * log10Unsettled - 1
        if matterFloor > -200
          && judge.leavesOut(
            channelFloor: min(logBurst, logScope, matterFloor), log10PVolume: volumeTail[n]!,
            windowRuleHit: window.count >= config.windowCalls)
        {
          return nil
        }
        let records = idx.map { i in
          CallerTicket(
            tickets[i], scope: scope[i] == 0 ? nil : codes[Int(scope[i]) - 1],
            organisational: marks[i] & Self.organisational != 0)
        }
        let f = CallerReview.features(
          records, nb: nb, period: period, scopeRate: scopeRate, unsettledRate: unsettledRate, config: config,
          clock: clock, calendar: calendar, grouping: grouping)
        var mask: String?
        for i in byCaller[offsets[c]..<offsets[c + 1]] {
          if let m = tickets[i].callerMask {
            mask = m
            break
          }
        }
        let key = tickets[idx[0]].callerKey ?? ""
        return judge.finding(f, key: key, mask: mask, ticketIds: records.map { $0.id }).map { ($0, idx) }
      }
      var found = CallerReview.reviewInParallel(testedCallers, threads: config.threads, finding)
      found.sort {
        ($0.0.score, $0.0.features.calls, $1.0.key) > ($1.0.score, $1.0.features.calls, $0.0.key)
      }
      return (
        CallerReviewResult(population: population, concentration: concentration, callers: found.map(\.0)),
        found.map(\.1)
      )
    }

    /// (an outcome is known, unsettled), as `CallerTicket` reads them.
    @inline(__always)
    static func outcome(_ r: Resolution?, _ mark: UInt8) -> (known: Bool, unsettled: Bool) {
      let dissatisfied = mark & Self.dissatisfied != 0
      return (r != nil || dissatisfied, dissatisfied || r == .unresolved || r == .partial)
    }
  }
}
