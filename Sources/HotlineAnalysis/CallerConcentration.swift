/// How concentrated tickets are among callers: the share of tickets from the
/// most active callers, the Lorenz curve and the Gini coefficient.
///
/// On helplines a few callers make many calls (on Australia's Lifeline, 3 % of
/// callers made 60 % of calls; Pirkis et al., *Crisis* 37(3), 2016); this is
/// the first number a researcher asks of a hotline's caller base.
public struct CallerConcentration: Sendable, Codable, Equatable {
  /// The share of tickets from a top share of callers.
  public struct TopShare: Sendable, Codable, Equatable {
    /// The share of callers, e.g. 0.01 for the top 1 %.
    public var callerShare: Double
    /// How many callers that is (at least one).
    public var callers: Int
    /// The share of all tickets they account for.
    public var ticketShare: Double

    enum CodingKeys: String, CodingKey {
      case callers
      case callerShare = "caller_share"
      case ticketShare = "ticket_share"
    }
  }

  /// Number of distinct callers.
  public var callers: Int
  /// Number of tickets with a caller.
  public var tickets: Int
  /// Share of callers with more than one ticket.
  public var repeatCallerShare: Double
  /// Top 0.1 %, 1 %, 5 % and 10 % of callers.
  public var top: [TopShare]
  /// Gini coefficient of tickets per caller (0 = all equal).
  public var gini: Double
  /// The Lorenz curve at 20 points: (share of callers, share of tickets),
  /// callers sorted from fewest to most tickets.
  public var lorenz: [[Double]]

  enum CodingKeys: String, CodingKey {
    case callers, tickets, top, gini, lorenz
    case repeatCallerShare = "repeat_caller_share"
  }

  /// Computes the measures from the ticket count of every caller.
  ///
  /// - Complexity: O(n log n) for n callers.
  public init(ticketsPerCaller counts: [Int]) {
    let sorted = Self.ascending(counts)
    let n = sorted.count
    let total = sorted.reduce(0, +)
    callers = n
    tickets = total
    repeatCallerShare = n == 0 ? 0 : Double(sorted.filter { $0 > 1 }.count) / Double(n)
    var top: [TopShare] = []
    for share in [0.001, 0.01, 0.05, 0.10] {
      let k = n == 0 ? 0 : max(1, Int((Double(n) * share).rounded()))
      let sum = sorted.suffix(k).reduce(0, +)
      top.append(
        TopShare(callerShare: share, callers: k, ticketShare: total == 0 ? 0 : Double(sum) / Double(total)))
    }
    self.top = top
    // Gini = (2 Σ i·x_i) / (n Σ x_i) − (n + 1) / n, with x ascending, i from 1.
    if n > 0 && total > 0 {
      var weighted = 0.0
      for (i, x) in sorted.enumerated() { weighted += Double(i + 1) * Double(x) }
      gini = 2 * weighted / (Double(n) * Double(total)) - Double(n + 1) / Double(n)
    } else {
      gini = 0
    }
    var curve: [[Double]] = [[0, 0]]
    if n > 0 && total > 0 {
      var cumulative = [Int](repeating: 0, count: n + 1)
      for i in 0..<n { cumulative[i + 1] = cumulative[i] + sorted[i] }
      for step in 1...20 {
        let p = Double(step) / 20
        let k = Int((Double(n) * p).rounded())
        curve.append([p, Double(cumulative[k]) / Double(total)])
      }
    }
    lorenz = curve
  }

  /// The positive counts in ascending order: a counting sort when the
  /// largest is small beside their number (calls per caller), else a sort.
  static func ascending(_ counts: [Int]) -> [Int] {
    guard let top = counts.max(), top > 0, top <= 4 * counts.count + 1024, counts.allSatisfy({ $0 >= 0 }) else {
      return counts.filter { $0 > 0 }.sorted()
    }
    var tally = [Int](repeating: 0, count: top + 1)
    for c in counts { tally[c] += 1 }
    var out: [Int] = []
    out.reserveCapacity(counts.count - tally[0])
    for v in 1...top where tally[v] > 0 { out.append(contentsOf: repeatElement(v, count: tally[v])) }
    return out
  }
}
