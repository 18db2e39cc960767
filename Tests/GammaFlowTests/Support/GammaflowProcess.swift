import Foundation
import Testing

/// What one run of the `gammaflow` executable printed and returned.
struct GammaflowRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `gammaflow` executable for the CLI tests.
enum GammaflowProcess {
    /// Runs `gammaflow` with `arguments`. Output goes through files, not
    /// pipes: a large output would fill a pipe and block the child.
    static func run(_ arguments: [String]) throws -> GammaflowRun {
        let url = try #require(GammaflowExecutable.url, "gammaflow executable not found")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gammaflow-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("stdout")
        let err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return GammaflowRun(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

/// The built `gammaflow` executable that the CLI tests run.
enum GammaflowExecutable {
    /// The executable, or nil.
    static let url: URL? = {
        var dirs: [URL] = []
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if FileManager.default.fileExists(atPath: exe.path) { dirs.append(exe.deletingLastPathComponent()) }
        dirs.append(
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        dirs.append(Bundle.main.bundleURL)
        dirs.append(Bundle.main.bundleURL.deletingLastPathComponent())
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["GAMMAFLOW_EXECUTABLE"] {
            candidates.append(URL(fileURLWithPath: env))
        }
        for dir in dirs {
            var d = dir
            for _ in 0..<4 {
                candidates.append(d.appendingPathComponent("gammaflow"))
                d = d.deletingLastPathComponent()
            }
        }
        for c in candidates {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: c.path, isDirectory: &isDir), !isDir.boolValue,
                FileManager.default.isExecutableFile(atPath: c.path)
            {
                return c
            }
        }
        return nil
    }()
}
