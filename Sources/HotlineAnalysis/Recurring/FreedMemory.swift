import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Hands the allocator's free pages back to the system.
///
/// glibc's malloc keeps memory freed in small blocks (strings, small arrays)
/// for reuse; while it sits there it still counts as resident, so a stage that
/// frees millions of small values and then allocates large arrays (which are
/// mapped afresh) would keep both. `malloc_trim(0)` releases every whole free
/// page. A no-op where there is no `malloc_trim`.
public enum FreedMemory {
  #if os(Linux)
    private typealias Trim = @convention(c) (Int) -> Int32
    private static let trim: Trim? = {
      guard let handle = dlopen(nil, RTLD_NOW), let f = dlsym(handle, "malloc_trim") else { return nil }
      return unsafeBitCast(f, to: Trim.self)
    }()
  #endif

  /// Returns the free pages to the system (takes a few milliseconds per GB of heap).
  public static func release() {
    #if os(Linux)
      _ = trim?(0)
    #endif
  }
}

/// Lists of small integers, one per item, in two flat arrays (the list of
/// item `i` is `values[offsets[i]..<offsets[i + 1]]`): millions of tiny
/// `[Int32]` arrays cost a heap block each, these cost four bytes per value.
struct FlatLists: Sendable {
  private(set) var offsets: [Int32] = [0]
  private(set) var values: [Int32] = []

  init() {}

  init(reservingCapacity n: Int) {
    offsets.reserveCapacity(n + 1)
  }

  var count: Int { offsets.count - 1 }

  /// Appends the next item's list.
  mutating func append(_ list: some Collection<Int32>) {
    values.append(contentsOf: list)
    offsets.append(Int32(values.count))
  }

  subscript(i: Int) -> ArraySlice<Int32> { values[Int(offsets[i])..<Int(offsets[i + 1])] }

  /// Whether the sorted lists of items `i` and `j` (possibly of another `FlatLists`) share a value.
  @inline(__always) func meets(_ i: Int, _ other: FlatLists, _ j: Int) -> Bool {
    var s = Int(offsets[i])
    let sEnd = Int(offsets[i + 1])
    var t = Int(other.offsets[j])
    let tEnd = Int(other.offsets[j + 1])
    while s < sEnd && t < tEnd {
      let x = values[s]
      let y = other.values[t]
      if x == y { return true }
      if x < y { s += 1 } else { t += 1 }
    }
    return false
  }
}
