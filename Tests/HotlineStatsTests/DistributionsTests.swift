import HotlineStats
import Testing

/// Reference values from scipy.stats 1.17 (`poisson.sf`, `norm.sf`, `chi2.sf`).
struct DistributionsTests {
  @Test func poissonUpperTailMatchesScipy() {
    #expect(abs(Distributions.poissonUpperTail(10, mean: 4.0) - 0.0028397661205137) < 1e-12)
    #expect(Distributions.poissonUpperTail(-1, mean: 4.0) == 1)
    #expect(Distributions.poissonUpperTail(3, mean: 0) == 0)
    #expect(abs(Distributions.poissonAtLeast(11, mean: 4.0) - 0.0028397661205137) < 1e-12)
  }

  @Test func normalAndChiSquaredTails() {
    #expect(abs(Distributions.normalUpperTail(1.96) - 0.024997895148220435) < 1e-12)
    #expect(abs(Distributions.chiSquaredUpperTail(3.841458820694124, df: 1) - 0.05) < 1e-12)
  }

  @Test func seededGeneratorIsReproducible() {
    let a = GSLRandom(seed: 42), b = GSLRandom(seed: 42), c = GSLRandom(seed: 43)
    let xa = (0..<5).map { _ in a.uniformInt(1000) }
    let xb = (0..<5).map { _ in b.uniformInt(1000) }
    let xc = (0..<5).map { _ in c.uniformInt(1000) }
    #expect(xa == xb)
    #expect(xa != xc)
    #expect(xa.allSatisfy { (0..<1000).contains($0) })
  }
}
