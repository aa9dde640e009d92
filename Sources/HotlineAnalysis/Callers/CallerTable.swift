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

    /// The tickets grouped by caller: caller c's are
    /// `order[start[c] ..< start[c + 1]]`, in index order.
    struct Callers {
      var order: [Int]
      var start: [Int]
      /// Whether each ticket has a caller.
      var hasCaller: [Bool]
      var count: Int { start.count - 1 }
    }

    /// Groups the tickets by caller without a hash table: a counting sort
    /// of the tickets by a hash of their keys' 16 bytes into about one
    /// bucket per two tickets (no step waits on the one before, unlike
    /// probing a table), then the few keys of each bucket told apart. The
    /// upper and lower halves of the buckets are sorted on two threads.
    /// Callers are numbered in bucket order, keys of another form after
    /// them (in order of first call); the numbering changes no result.
    func callers(halves: Int? = nil) -> Callers {
      let n = tickets.count
      let halves = halves ?? (n < 50_000 ? 1 : 2)
      // Every ticket's key bytes, read on every core (when the bucket
      // halves are).
      let pieces = halves == 1 ? 1 : 8
      var otherOf = [[Int]](repeating: [], count: pieces)
      let bytes = [(UInt64, UInt64)?](unsafeUninitializedCapacity: n) { kp, count in
        otherOf.withUnsafeMutableBufferPointer { op in
          nonisolated(unsafe) let (kp, op) = (kp, op)
          DispatchQueue.concurrentPerform(iterations: pieces) { p in
            let range = (n * p / pieces)..<(n * (p + 1) / pieces)
            op[p] = Ticket.callerKeyBytes(
              of: tickets, range, into: UnsafeMutableBufferPointer(rebasing: kp[range]))
          }
        }
        count = n
      }
      var b = 4
      while (1 << b) < n / 2 { b += 1 }
      let bits = b
      let shift = UInt64(64 - bits)
      var hasCaller = [Bool](repeating: false, count: n)
      var parts = [(order: [Int], start: [Int])](repeating: ([], []), count: halves)
      bytes.withUnsafeBufferPointer { kp in
        hasCaller.withUnsafeMutableBufferPointer { hp in
          parts.withUnsafeMutableBufferPointer { pp in
            nonisolated(unsafe) let (kp, hp, pp) = (kp, hp, pp)
            DispatchQueue.concurrentPerform(iterations: halves) { half in
              pp[half] = Self.group(kp, hasCaller: hp, bits: bits, shift: shift, half: half, halves: halves)
            }
          }
        }
      }
      var order: [Int] = []
      order.reserveCapacity(n)
      var start = [0]
      for part in parts {
        let base = order.count
        order += part.order
        start += part.start.dropFirst().map { $0 + base }
      }
      // Keys of another form (never 32 hex digits, so never equal to one
      // of the above).
      var byString: [String: Int] = [:]
      var groups: [[Int]] = []
      for i in otherOf.joined() {
        guard let k = tickets[i].callerKey, !k.isEmpty else { continue }
        hasCaller[i] = true
        if let g = byString[k] {
          groups[g].append(i)
        } else {
          byString[k] = groups.count
          groups.append([i])
        }
      }
      for g in groups {
        order += g
        start.append(order.count)
      }
      return Callers(order: order, start: start, hasCaller: hasCaller)
    }

    /// The callers of one share of the buckets (`half` of `halves`, by the
    /// bucket's top bits): their tickets grouped, in bucket order.
    private static func group(
      _ kp: UnsafeBufferPointer<(UInt64, UInt64)?>, hasCaller hp: UnsafeMutableBufferPointer<Bool>, bits: Int,
      shift: UInt64, half: Int, halves: Int
    ) -> (order: [Int], start: [Int]) {
      let n = kp.count
      @inline(__always) func bucket(_ d: (UInt64, UInt64)) -> Int {
        Int(((d.1 ^ (d.0 &* 0x9E37_79B9_7F4A_7C15)) &* 0xD6E8_FEB8_6659_FD93) >> shift)
      }
      let first = (1 << bits) * half / halves, end = (1 << bits) * (half + 1) / halves
      var bucketStart = [Int32](repeating: 0, count: end - first + 1)
      var keyed = 0
      bucketStart.withUnsafeMutableBufferPointer { bs in
        for i in 0..<n {
          guard let d = kp[i] else { continue }
          let b = bucket(d)
          guard b >= first && b < end else { continue }
          bs[b - first + 1] += 1
          hp[i] = true
          keyed += 1
        }
        for b in 0..<(bs.count - 1) { bs[b + 1] += bs[b] }
      }
      // The keys in bucket order beside the indices: the buckets are then
      // read in order, not by jumping through `kp`.
      var sorted: [Int32] = []
      var sortedKeys: [(UInt64, UInt64)] = []
      var fill = Array(bucketStart.dropLast())
      sortedKeys = [(UInt64, UInt64)](unsafeUninitializedCapacity: keyed) { skp, keyCount in
        sorted = [Int32](unsafeUninitializedCapacity: keyed) { sp, count in
          fill.withUnsafeMutableBufferPointer { fp in
            for i in 0..<n {
              guard let d = kp[i] else { continue }
              let b = bucket(d)
              guard b >= first && b < end else { continue }
              let at = Int(fp[b - first])
              sp[at] = Int32(i)
              skp[at] = d
              fp[b - first] += 1
            }
          }
          count = keyed
        }
        keyCount = keyed
      }
      var order: [Int] = []
      order.reserveCapacity(keyed)
      var start = [0]
      start.reserveCapacity(keyed + 1)
      // Within a bucket: one caller at a time, its tickets in index order.
      var rest: [Int] = []
      sortedKeys.withUnsafeBufferPointer { sk in
        for b in 0..<(bucketStart.count - 1) {
          let lo = Int(bucketStart[b]), hi = Int(bucketStart[b + 1])
          if hi - lo == 1 {
            order.append(Int(sorted[lo]))
            start.append(order.count)
            continue
          }
          if hi == lo { continue }
          rest.removeAll(keepingCapacity: true)
          rest.append(contentsOf: lo..<hi)
          while !rest.isEmpty {
            let key = sk[rest[0]]
            var keep = 0
            for j in rest {
              if sk[j] == key {
                order.append(Int(sorted[j]))
              } else {
                rest[keep] = j
                keep += 1
              }
            }
            rest.removeLast(rest.count - keep)
            start.append(order.count)
          }
        }
      }
      return (order, start)
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
      let counts = (0..<who.count).map { who.start[$0 + 1] - who.start[$0] }
      let items = who.order.count
      // The population's period, out-of-scope and outcome counts, in
      // pieces on every core (integer sums, minima and maxima: the same
      // in any order).
      let pieces = tickets.count < 50_000 ? 1 : 4 * max(1, config.threads)
      var tallies = [(t0: Int64, t1: Int64, scoped: Int, withOutcome: Int, unsettled: Int)](
        repeating: (.max, .min, 0, 0, 0), count: pieces)
      tallies.withUnsafeMutableBufferPointer { out in
        nonisolated(unsafe) let out = out
        let n = tickets.count
        DispatchQueue.concurrentPerform(iterations: pieces) { p in
          var x = (t0: Int64.max, t1: Int64.min, scoped: 0, withOutcome: 0, unsettled: 0)
          tickets.withUnsafeBufferPointer { tp in
            for i in (n * p / pieces)..<(n * (p + 1) / pieces) where who.hasCaller[i] {
              let t = tp[i].receivedAt
              x.t0 = min(x.t0, t)
              x.t1 = max(x.t1, t)
              if scope[i] != 0 { x.scoped += 1 }
              let (outcome, bad) = Self.outcome(tp[i].resolution, marks[i])
              if outcome {
                x.withOutcome += 1
                if bad { x.unsettled += 1 }
              }
            }
          }
          out[p] = x
        }
      }
      let t0 = tallies.map(\.t0).min()!, t1 = tallies.map(\.t1).max()!
      let scoped = tallies.reduce(0) { $0 + $1.scoped }
      let withOutcome = tallies.reduce(0) { $0 + $1.withOutcome }
      let unsettled = tallies.reduce(0) { $0 + $1.unsettled }
      let concentration = CallerConcentration(ticketsPerCaller: counts)
      let (order, start) = (who.order, who.start)
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
        // Tickets usually come in time order: sorted only when they do not.
        if !Self.inTimeOrder(idx, tickets) {
          idx.sort { (tickets[$0].receivedAt, tickets[$0].id) < (tickets[$1].receivedAt, tickets[$1].id) }
        }
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

    /// Whether `tickets[idx]` are ordered by (receivedAt, id): sorting
    /// them (a stable sort) would leave them as they are.
    static func inTimeOrder(_ idx: [Int], _ tickets: [Ticket]) -> Bool {
      tickets.withUnsafeBufferPointer { tp in
        for k in idx.indices.dropFirst() {
          let a = tp[idx[k - 1]].receivedAt, b = tp[idx[k]].receivedAt
          if a > b || (a == b && tp[idx[k]].id < tp[idx[k - 1]].id) { return false }
        }
        return true
      }
    }

    /// (an outcome is known, unsettled), as `CallerTicket` reads them.
    @inline(__always)
    static func outcome(_ r: Resolution?, _ mark: UInt8) -> (known: Bool, unsettled: Bool) {
      let dissatisfied = mark & Self.dissatisfied != 0
      return (r != nil || dissatisfied, dissatisfied || r == .unresolved || r == .partial)
    }
  }
}
