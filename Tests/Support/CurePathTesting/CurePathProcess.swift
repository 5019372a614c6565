import Foundation

/// What a run of the `curepath` executable produced.
public struct CurePathRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs the built `curepath` executable as a user would, for the tests that check the
/// command line itself (exit codes, the one-line refusals) and whole-process behaviour.
public enum CurePathProcess {
    /// The executable beside the test bundle, or `.build/debug/curepath` from the package root.
    public static var executable: URL {
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [
            products.appendingPathComponent("curepath"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/curepath"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `curepath` with `arguments`, writing `input` to its standard input. Output goes
    /// through temporary files so a long output cannot fill a pipe while we wait. The
    /// database variables of the test run are removed, so only the arguments choose one.
    @discardableResult
    public static func run(_ arguments: [String], input: String? = nil) throws -> CurePathRun {
        let directory = FileManager.default.temporaryDirectory
        let id = UUID().uuidString
        let out = directory.appendingPathComponent("curepath-\(id).out"), err = directory.appendingPathComponent("curepath-\(id).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "CUREPATH_DATABASE_URL")
        environment.removeValue(forKey: "CUREPATH_DATABASE_PATH")
        process.environment = environment
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        return CurePathRun(
            status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8), stderr: try String(contentsOf: err, encoding: .utf8)
        )
    }
}
