/// The Getis–Ord local Gi* statistic (each unit counts in its own
/// neighbourhood) with binary weights, its z-score and a conditional
/// permutation test.
///
/// For unit i with neighbourhood N_i (i included), W_i = |N_i|:
///
///     Gi* = (Σ_{j∈N_i} x_j − x̄ W_i) / (S √((n W_i − W_i²) / (n − 1)))
///
/// with x̄ and S the mean and (population) standard deviation of all n
/// values. Permutation inference holds x_i fixed and draws its W_i − 1
/// neighbours' values at random, without replacement, from the other n − 1
/// units (PySAL esda's conditional randomisation); the pseudo p-value is
/// folded, (1 + min(#≥, #≤)) / (1 + permutations), the side given by the sign
/// of z. With `maxPermutations` above `permutations`, a unit none of whose
/// permutations reached it on the smaller side draws more, ten times as many
/// at a time (999, 9,999, 99,999 …), until one does or `maxPermutations` is
/// reached; its p-value is then (1 + min(#≥, #≤)) / (1 + all draws). Only
/// the most extreme units pay for the extra draws, and their p-values can go
/// below 1/(1 + permutations) where a false discovery rate over many tests
/// needs it (a sequential Monte Carlo test in the manner of Besag and
/// Clifford, Biometrika 1991: under the null, P(p ≤ (1 + b)/(1 + N)) ≤
/// (1 + b)/(1 + N) still holds). Each unit uses its own generator seeded
/// from (seed, unit), so results do not depend on evaluation order.
///
/// Reference: J. K. Ord and A. Getis, "Local Spatial Autocorrelation
/// Statistics: Distributional Issues and an Application", *Geographical
/// Analysis* 27(4), 1995; PySAL esda `G_Local(star=True, transform="B")`.
public struct LocalGStar: Sendable {
  /// Neighbourhoods (each includes the unit itself), by distance band.
  public struct Neighbours: Sendable {
    public let lists: [[Int32]]

    public init(lists: [[Int32]]) { self.lists = lists }

    /// Every unit within `threshold` (inclusive) of unit i, i included.
    public static func distanceBand(x: [Double], y: [Double], threshold: Double) -> Neighbours {
      let n = x.count
      var lists = [[Int32]](repeating: [], count: n)
      let t2 = threshold * threshold
      for i in 0..<n {
        for j in 0..<n {
          let dx = x[i] - x[j], dy = y[i] - y[j]
          if dx * dx + dy * dy <= t2 { lists[i].append(Int32(j)) }
        }
      }
      return Neighbours(lists: lists)
    }

    /// The k nearest units (ties by index) plus the unit itself.
    public static func kNearest(x: [Double], y: [Double], k: Int) -> Neighbours {
      let n = x.count
      var lists = [[Int32]](repeating: [], count: n)
      for i in 0..<n {
        let near = (0..<n).filter { $0 != i }.map { j -> (Double, Int) in
          let dx = x[i] - x[j], dy = y[i] - y[j]
          return (dx * dx + dy * dy, j)
        }.sorted { $0 < $1 }.prefix(k)
        lists[i] = [Int32(i)] + near.map { Int32($0.1) }
      }
      return Neighbours(lists: lists)
    }
  }

  public var z: [Double]
  /// Two-sided normal p-values of z.
  public var pNormal: [Double]
  /// Folded permutation pseudo p-values (nil without permutations).
  public var pPermutation: [Double]?

  /// Computes Gi* for `values`; `permutations` 0 skips the permutation test.
  /// With `permuteWhereAbsZ` > 0, units whose |z| is below it skip the
  /// permutation test and get p = 1 (a screen for speed: such units are far
  /// from significant). `maxPermutations` (0: `permutations`) bounds the
  /// extra draws of the most extreme units (see above).
  public init(
    values x: [Double], neighbours: Neighbours, permutations: Int = 0, seed: UInt64 = 20_251_122,
    permuteWhereAbsZ: Double = 0, maxPermutations: Int = 0
  ) {
    let n = x.count
    precondition(neighbours.lists.count == n, "one neighbourhood per value")
    let nd = Double(n)
    let mean = x.reduce(0, +) / nd
    let variance = max(0, x.reduce(0) { $0 + $1 * $1 } / nd - mean * mean)
    let s = variance.squareRoot()
    var z = [Double](repeating: 0, count: n)
    for i in 0..<n {
      let nb = neighbours.lists[i]
      let w = Double(nb.count)
      var sum = 0.0
      for j in nb { sum += x[Int(j)] }
      let denom = s * ((nd * w - w * w) / (nd - 1)).squareRoot()
      z[i] = denom > 0 ? (sum - mean * w) / denom : 0
    }
    self.z = z
    self.pNormal = z.map { min(1, 2 * Distributions.normalUpperTail(abs($0))) }
    guard permutations > 0, n > 1, s > 0 else {
      pPermutation = permutations > 0 ? [Double](repeating: 1, count: n) : nil
      return
    }
    var p = [Double](repeating: 1, count: n)
    var pool = [Int32](repeating: 0, count: n - 1)
    for i in 0..<n {
      let nb = neighbours.lists[i]
      var observed = 0.0
      for j in nb { observed += x[Int(j)] }
      let draws = nb.count - 1
      if draws <= 0 || draws > n - 1 || abs(z[i]) < permuteWhereAbsZ { p[i] = 1; continue }
      var m = 0
      for j in 0..<n where j != i {
        pool[m] = Int32(j)
        m += 1
      }
      let rng = GSLRandom(seed: Kernel.replicateSeed(seed, i))
      var above = 0, below = 0
      var done = 0, target = permutations
      while true {
        for _ in done..<target {
          var sum = x[i]
          // Partial Fisher–Yates: the first `draws` slots are the sample.
          for d in 0..<draws {
            let r = d + rng.uniformInt(n - 1 - d)
            pool.swapAt(d, r)
            sum += x[Int(pool[d])]
          }
          if sum >= observed - 1e-12 { above += 1 }
          if sum <= observed + 1e-12 { below += 1 }
        }
        done = target
        // Extend while no draw reached the unit on the smaller side.
        guard min(above, below) == 0, target < maxPermutations else { break }
        target = min(maxPermutations, (target + 1) * 10 - 1)
      }
      p[i] = Double(1 + min(above, below)) / Double(done + 1)
    }
    pPermutation = p
  }
}
