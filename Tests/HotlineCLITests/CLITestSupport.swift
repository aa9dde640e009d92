import Foundation
import Testing

/// Runs the built `hotline` executable, as a user would.
struct CLI {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
  }

  /// The `hotline` binary next to the test bundle.
  static var binary: URL {
    let exe = URL(fileURLWithPath: CommandLine.arguments[0])
    var dir = exe.deletingLastPathComponent()
    if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
    return dir.appendingPathComponent("hotline")
  }

  @discardableResult
  static func run(_ args: [String], in dir: URL? = nil) throws -> Result {
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    if let dir { p.currentDirectoryURL = dir }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read both pipes concurrently so neither fills up.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// Starts the binary and returns the process (for kill tests).
  static func start(_ args: [String]) throws -> Process {
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
  }
}

func makeTemporaryDirectory() throws -> URL {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
    "hotline-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir
}

/// The shared real data beside the project, when present.
var sharedData: URL? {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  let d = root.deletingLastPathComponent().appendingPathComponent("shared/data")
  return FileManager.default.fileExists(atPath: d.path) ? d : nil
}

extension Dictionary where Key == String, Value == Any {
  func int(_ k: String) -> Int? { (self[k] as? NSNumber)?.intValue }
}
