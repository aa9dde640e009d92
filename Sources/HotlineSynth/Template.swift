import Foundation
import HotlineCore

/// A slot in a text template, filled from the ticket's place and matter.
enum Slot: String, CaseIterable, Sendable {
  case place, estate, bld, unit, room, road, roadNo, community, street, district
  case shop, restaurant, property, developer, company, school, training, gym, market, site, line
  case hospital, park, amount, months, days, num, clock, date, person, times, year, plate
}

/// A parsed template: literal text, `{slot}` references and `[a|b|c]`
/// alternations (options may contain slots; alternations do not nest).
struct Template: Sendable {
  indirect enum Segment: Sendable {
    case literal(String)
    case slot(Slot)
    case alternation([[Segment]])
  }

  let segments: [Segment]

  init(_ source: String) {
    segments = Template.parse(Substring(source), allowAlternation: true)
  }

  private static func parse(_ s: Substring, allowAlternation: Bool) -> [Segment] {
    var out: [Segment] = []
    var lit = ""
    var i = s.startIndex
    func flush() {
      if !lit.isEmpty {
        out.append(.literal(lit))
        lit = ""
      }
    }
    while i < s.endIndex {
      let c = s[i]
      if c == "{", let close = s[i...].firstIndex(of: "}") {
        let name = String(s[s.index(after: i)..<close])
        guard let slot = Slot(rawValue: name) else { fatalError("unknown slot \(name)") }
        flush()
        out.append(.slot(slot))
        i = s.index(after: close)
      } else if c == "[", allowAlternation, let close = s[i...].firstIndex(of: "]") {
        flush()
        let body = s[s.index(after: i)..<close]
        let options = body.split(separator: "|", omittingEmptySubsequences: false)
        out.append(.alternation(options.map { parse($0, allowAlternation: false) }))
        i = s.index(after: close)
      } else {
        lit.append(c)
        i = s.index(after: i)
      }
    }
    flush()
    return out
  }

  func render(into out: inout String, rng: inout SplitMix64, fill: (Slot, inout SplitMix64) -> String) {
    Template.render(segments, into: &out, rng: &rng, fill: fill)
  }

  private static func render(
    _ segs: [Segment], into out: inout String, rng: inout SplitMix64,
    fill: (Slot, inout SplitMix64) -> String
  ) {
    for seg in segs {
      switch seg {
      case .literal(let s): out += s
      case .slot(let slot): out += fill(slot, &rng)
      case .alternation(let options):
        let k = Int(rng.next() % UInt64(options.count))
        render(options[k], into: &out, rng: &rng, fill: fill)
      }
    }
  }
}

extension SplitMix64 {
  /// Uniform integer in 0..<n.
  @inline(__always) mutating func below(_ n: Int) -> Int {
    precondition(n > 0)
    return Int(next() % UInt64(n))
  }

  /// Uniform integer in a closed range.
  @inline(__always) mutating func int(_ r: ClosedRange<Int>) -> Int {
    r.lowerBound + below(r.upperBound - r.lowerBound + 1)
  }

  @inline(__always) mutating func chance(_ p: Double) -> Bool { nextDouble() < p }

  @inline(__always) mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }

  /// Standard normal (Box–Muller).
  mutating func normal() -> Double {
    let u1 = max(nextDouble(), 1e-12), u2 = nextDouble()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// Poisson sample (Knuth for small means, normal approximation above 30).
  mutating func poisson(_ mean: Double) -> Int {
    if mean <= 0 { return 0 }
    if mean > 30 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
    let l = exp(-mean)
    var k = 0
    var p = 1.0
    repeat {
      k += 1
      p *= nextDouble()
    } while p > l
    return k - 1
  }
}

/// Weighted choice by a cumulative table.
struct WeightedTable: Sendable {
  private(set) var cumulative: [Double] = []
  init(_ weights: [Double]) {
    var s = 0.0
    cumulative.reserveCapacity(weights.count)
    for w in weights {
      s += max(0, w)
      cumulative.append(s)
    }
  }
  var total: Double { cumulative.last ?? 0 }
  func sample(_ rng: inout SplitMix64) -> Int {
    let x = rng.nextDouble() * total
    var lo = 0, hi = cumulative.count - 1
    while lo < hi {
      let mid = (lo + hi) / 2
      if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }
}

