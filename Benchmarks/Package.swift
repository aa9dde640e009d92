// swift-tools-version:6.1
// Benchmarks of Hotline's hot kernels (package-benchmark), nested so that the
// main package's graph stays light. Run from this directory:
//   swift package --allow-writing-to-package-directory benchmark
import PackageDescription

let package = Package(
  name: "hotline-benchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(name: "hotline", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "HotlineKernels",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "HotlineCore", package: "hotline"),
        .product(name: "HotlineText", package: "hotline"),
        .product(name: "HotlineStats", package: "hotline"),
        .product(name: "HotlineImport", package: "hotline"),
        .product(name: "HotlineAnalysis", package: "hotline"),
        .product(name: "HotlineSynth", package: "hotline"),
      ],
      path: "Benchmarks/HotlineKernels",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
  ],
  swiftLanguageModes: [.v6]
)
