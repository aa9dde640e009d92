import Foundation

/// The temporal scan statistic for one series of event times: the most
/// events in any window of fixed length, and how unlikely that is if the
/// same number of events fell uniformly over the observation period.
///
/// The tail is the approximation of S. Wallenstein and N. Neff ("An
/// approximation for the distribution of the scan statistic", *Statistics in
/// Medicine* 6, 1987), accurate where it matters (small p):
///
///     P(S_w ≥ k) ≈ (k / w − N − 1) · b(k; N, w) + 2 · P(Bin(N, w) ≥ k)
///
/// for N events uniform on [0, 1] and a window of relative length w. It is
/// used to tell a burst (many calls within days) from an evenly spread
/// history with the same number of calls.
public enum BurstScan {
  /// The largest number of events in any window `[t, t + window)` of the
  /// sorted times, and the index range of the first window that holds it.
  public static func maxWindow(sortedTimes t: [Int64], window: Int64) -> (count: Int, range: Range<Int>) {
    guard !t.isEmpty, window > 0 else { return (0, 0..<0) }
    var best = 0, bestStart = 0, j = 0
    for i in t.indices {
      while j < t.count && t[j] < t[i] + window { j += 1 }
      if j - i > best {
        best = j - i
        bestStart = i
      }
    }
    return (best, bestStart..<(bestStart + best))
  }

  /// log10 P(S_w ≥ k) for `n` events uniform over a period, `w` the window's
  /// share of the period (0 < w < 1). Returns 0 (p = 1) when k ≤ 1 or the
  /// approximation does not apply (w ≥ 1).
  public static func log10PValue(maxCount k: Int, events n: Int, windowFraction w: Double) -> Double {
    if k <= 1 || n < k { return k <= 1 ? 0 : -.infinity }
    if w >= 1 { return 0 }
    if w <= 0 { return -.infinity }
    let lb = BinomialTail.log10PMF(k, n: n, p: w)
    let lg = BinomialTail.log10AtLeast(k, n: n, p: w)
    let factor = Double(k) / w - Double(n) - 1
    // log10(a·10^lb + 2·10^lg) without underflow.
    let a = factor > 0 ? log10(factor) + lb : -Double.infinity
    let b = log10(2.0) + lg
    let m = max(a, b)
    if m == -.infinity { return m }
    let s = m + log10(pow(10, a - m) + pow(10, b - m))
    return min(0, s)
  }
}
