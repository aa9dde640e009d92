// swift-tools-version:6.1
// Hotline: mine 12345 government-service hotline tickets for hotspots.
//
// Layout follows the layered design in README.md ("Project layout"):
// C shims at the bottom, generic text/statistics modules that know no tickets,
// the domain core, import/store/synthetic-data modules, analysis, reports, and
// the `hotline` executable on top. Heavy pieces (benchmarks, dashboard) live in
// nested packages so this graph builds fast.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "hotline",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "HotlineCore", targets: ["HotlineCore"]),
    .library(name: "HotlineText", targets: ["HotlineText"]),
    .library(name: "HotlineStats", targets: ["HotlineStats"]),
    .library(name: "HotlineStore", targets: ["HotlineStore"]),
    .library(name: "HotlineImport", targets: ["HotlineImport"]),
    .library(name: "HotlineAnalysis", targets: ["HotlineAnalysis"]),
    .library(name: "HotlineReport", targets: ["HotlineReport"]),
    .library(name: "HotlineSynth", targets: ["HotlineSynth"]),
    .executable(name: "hotline", targets: ["HotlineCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
  ],
  targets: [
    // MARK: - C shims (implementation details, never products)
    .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
    // ICU behind a C target whose public header uses only <stdint.h> types:
    // ICU's own headers clash with Foundation's private ICU module, and ICU
    // renames its symbols per major version.
    .target(
      name: "CICUShim",
      linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]),

    // MARK: - Generic layers (know no tickets)
    .target(
      name: "HotlineText", dependencies: ["CICUShim"], resources: [.copy("Resources")],
      swiftSettings: swiftSettings),
    .target(name: "HotlineStats", dependencies: ["CGSL"], swiftSettings: swiftSettings),

    // MARK: - Domain
    .target(name: "HotlineCore", swiftSettings: swiftSettings),
    .target(
      name: "HotlineImport",
      dependencies: [
        "HotlineCore", "HotlineText",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ],
      exclude: ["README.md"],
      swiftSettings: swiftSettings),
    .target(
      name: "HotlineStore",
      dependencies: [
        "HotlineCore",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "HotlineSynth", dependencies: ["HotlineCore", "HotlineText"], swiftSettings: swiftSettings),
    .target(
      name: "HotlineAnalysis", dependencies: ["HotlineCore", "HotlineText", "HotlineStats"],
      swiftSettings: swiftSettings),
    .target(
      name: "HotlineReport", dependencies: ["HotlineCore", "HotlineAnalysis", "HotlineStats"],
      swiftSettings: swiftSettings),

    // MARK: - Executable
    .executableTarget(
      name: "HotlineCLI",
      dependencies: [
        "HotlineCore", "HotlineImport", "HotlineStore", "HotlineSynth", "HotlineAnalysis",
        "HotlineReport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings),

    // MARK: - Tests
    .testTarget(name: "HotlineCoreTests", dependencies: ["HotlineCore"], swiftSettings: swiftSettings),
    .testTarget(name: "HotlineTextTests", dependencies: ["HotlineText"], swiftSettings: swiftSettings),
    .testTarget(name: "HotlineStatsTests", dependencies: ["HotlineStats"], swiftSettings: swiftSettings),
    .testTarget(
      name: "HotlineReportTests",
      dependencies: ["HotlineReport", "HotlineAnalysis", "HotlineCore", "HotlineStats", "HotlineStore", "HotlineSynth"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "HotlineAnalysisTests",
      dependencies: ["HotlineAnalysis", "HotlineCore", "HotlineStats", "HotlineText", "HotlineSynth", "HotlineStore"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "HotlineImportTests", dependencies: ["HotlineImport", "HotlineCore", "HotlineText"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "HotlineStoreTests", dependencies: ["HotlineStore", "HotlineCore"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "HotlineSynthTests", dependencies: ["HotlineSynth", "HotlineCore", "HotlineText"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "HotlineCLITests", dependencies: ["HotlineCLI", "HotlineCore", "HotlineText", "HotlineSynth"],
      swiftSettings: swiftSettings),
  ],
  swiftLanguageModes: [.v6]
)
