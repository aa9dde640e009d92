import Foundation

/// Agreement between two clusterings of the same items, as scikit-learn
/// computes it (`normalized_mutual_info_score`, `adjusted_rand_score`).
///
/// Labels are arbitrary integers (-1 is an ordinary label here: an outlier
/// bucket counts as one more class); only the partition matters.
public enum ClusteringMetrics {
  /// Normalised mutual information with arithmetic-mean normalisation:
  /// NMI = I(A; B) / ((H(A) + H(B)) / 2), natural logarithms.
  ///
  /// Conventions follow scikit-learn 1.x: two single-cluster (or two empty)
  /// labelings agree perfectly (1); zero mutual information gives 0.
  public static func nmi(_ a: [Int], _ b: [Int]) -> Double {
    precondition(a.count == b.count, "labelings differ in length")
    let t = Contingency(a, b)
    if t.rows.count == t.cols.count && t.rows.count <= 1 { return 1 }
    let n = Double(a.count)
    var mi = 0.0
    for (key, c) in t.cells {
      let nij = Double(c)
      let ni = Double(t.rows[key.0]!), nj = Double(t.cols[key.1]!)
      mi += nij / n * log(nij * n / (ni * nj))
    }
    if mi <= 0 { return 0 }
    let ha = entropy(t.rows, n), hb = entropy(t.cols, n)
    let normaliser = (ha + hb) / 2
    return normaliser > 0 ? min(1, mi / normaliser) : 0
  }

  /// The adjusted Rand index (Hubert and Arabie 1985) from the pair confusion
  /// matrix, as scikit-learn: 1 for identical partitions, about 0 for
  /// independent ones, possibly negative.
  public static func adjustedRandIndex(_ a: [Int], _ b: [Int]) -> Double {
    precondition(a.count == b.count, "labelings differ in length")
    let t = Contingency(a, b)
    let n = Double(a.count)
    var sumSquares = 0.0, rowWeighted = 0.0, colWeighted = 0.0
    for (key, c) in t.cells {
      let nij = Double(c)
      sumSquares += nij * nij
      rowWeighted += nij * Double(t.rows[key.0]!)
      colWeighted += nij * Double(t.cols[key.1]!)
    }
    // Pairs (ordered, as scikit-learn's pair_confusion_matrix).
    let tp = sumSquares - n
    let fp = colWeighted - sumSquares
    let fn = rowWeighted - sumSquares
    let tn = n * n - fp - fn - sumSquares
    if fn == 0 && fp == 0 { return 1 }
    let denominator = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)
    return denominator == 0 ? 1 : 2 * (tp * tn - fn * fp) / denominator
  }

  private static func entropy(_ counts: [Int: Int], _ n: Double) -> Double {
    var h = 0.0
    for c in counts.sorted(by: { $0.key < $1.key }).map(\.value) where c > 0 {
      let p = Double(c) / n
      h -= p * log(p)
    }
    return h
  }

  private struct Pair: Hashable {
    var a: Int, b: Int
  }

  private struct Contingency {
    var rows: [Int: Int] = [:]
    var cols: [Int: Int] = [:]
    var cells: [(key: (Int, Int), value: Int)] = []

    init(_ a: [Int], _ b: [Int]) {
      var table: [Pair: Int] = [:]
      for i in a.indices {
        rows[a[i], default: 0] += 1
        cols[b[i], default: 0] += 1
        table[Pair(a: a[i], b: b[i]), default: 0] += 1
      }
      // Sorted so that sums run in one order (Swift seeds hashing per process).
      cells = table.map { (key: ($0.key.a, $0.key.b), value: $0.value) }
        .sorted { $0.key.0 != $1.key.0 ? $0.key.0 < $1.key.0 : $0.key.1 < $1.key.1 }
    }
  }
}
