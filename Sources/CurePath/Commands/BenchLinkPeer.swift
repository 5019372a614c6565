import Foundation
import Linkage
import NIOConcurrencyHelpers

/// The files `bench link` hands to its Python peer: what anonlink must read to match exactly what
/// the Swift matcher matched (scripts/linkage/anonlink_bench.py documents the same layout).
///
/// Binary rather than CSV or JSON: two million 1024-bit CLKs and six million keys would take longer
/// to print and parse than anonlink takes to match them, and raw bytes cannot be read back rounded.
enum LinkBenchFiles {
    static func write(left: LinkBenchSource, right: LinkBenchSource, threshold: Double, to directory: URL) throws {
        func save(_ data: Data, _ name: String) throws {
            do {
                try data.write(to: directory.appendingPathComponent(name))
            } catch {
                throw refusal("--work-dir: \(directory.appendingPathComponent(name).path) cannot be written")
            }
        }
        func littleEndian(_ values: [UInt64]) -> Data { values.map(\.littleEndian).withUnsafeBytes { Data($0) } }
        for (side, source) in [("a", left), ("b", right)] {
            try save(Data(source.clks.clkhashBytes), "\(side).clk")
            try save(littleEndian(source.keys.keys), "\(side).keys")
            try save(littleEndian(source.keys.starts.map { UInt64($0) }), "\(side).starts")
        }
        let manifest: [String: Any] = ["bits": left.clks.bitCount, "threshold": threshold, "records": [left.clks.count, right.clks.count]]
        try save(try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys]), "manifest.json")
    }

    /// anonlink's matches as the peer wrote them: uint32 little-endian, left then right.
    static func readPairs(in directory: URL) -> [UInt64]? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("anonlink-pairs.bin").path),
            data.count % 8 == 0
        else { return nil }
        let values = data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) } }
        return stride(from: 0, to: values.count, by: 2).map { UInt64(values[$0]) << 32 | UInt64(values[$0 + 1]) }.sorted()
    }
}

/// Runs the anonlink peer script as a child process and reads what it measured.
enum LinkBenchPeer {
    /// Why there are no anonlink numbers, in one line.
    enum Problem: Error, CustomStringConvertible {
        case pythonMissing(String)
        case scriptMissing(String)
        case anonlinkMissing(String)
        case failed(String)

        var description: String {
            switch self {
            case .pythonMissing(let python): "\(python) was not found (--python names the interpreter that has anonlink)"
            case .scriptMissing(let script): "\(script) was not found (run from the repository root, or pass --peer-script)"
            case .anonlinkMissing(let line): line.isEmpty ? "anonlink is not installed (pip install anonlink==0.15.3)" : line
            case .failed(let why): "the anonlink peer failed: \(why)"
            }
        }
    }

    /// `name` itself when it is a path, else the first executable of that name on PATH.
    static func executable(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The peer's JSON line on stdout.
    struct Report: Decodable {
        var version: String
        var python: String
        var loadSeconds: Double
        var candidateSeconds: Double
        var solveSeconds: Double
        var comparisons: Int
        var candidates: Int
        var pairs: Int
    }

    /// Whether the peer can run at all (the interpreter, the script, anonlink), asked before the
    /// minute of encoding rather than after it; the problem is one line.
    static func check(python: String, script: String) -> Problem? {
        guard let interpreter = executable(python) else { return .pythonMissing(python) }
        guard FileManager.default.fileExists(atPath: script) else { return .scriptMissing(script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = [script, "--check"]
        let stderr = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        do { try process.run() } catch { return .pythonMissing(interpreter) }
        let message = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lastLine = String(decoding: message, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        switch process.terminationStatus {
        case 0: return nil
        case 3: return .anonlinkMissing(lastLine)
        default: return .failed("exit \(process.terminationStatus): \(lastLine)")
        }
    }

    static func run(python: String, script: String, workDirectory: URL) -> Result<LinkBenchRun, Problem> {
        guard let interpreter = executable(python) else { return .failure(.pythonMissing(python)) }
        guard FileManager.default.fileExists(atPath: script) else { return .failure(.scriptMissing(script)) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = [script, "--work-dir", workDirectory.path]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        // The peer's progress lines go on to our stderr as they come; the last one is kept for errors.
        let tail = NIOLockedValueBox("")
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            FileHandle.standardError.write(data)
            tail.withLockedValue { $0 = String(($0 + String(decoding: data, as: UTF8.self)).suffix(2_000)) }
        }
        do { try process.run() } catch { return .failure(.pythonMissing(interpreter)) }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        stderr.fileHandleForReading.readabilityHandler = nil
        // Whatever the handler had not picked up when the child exited.
        let rest = stderr.fileHandleForReading.readDataToEndOfFile()
        FileHandle.standardError.write(rest)
        tail.withLockedValue { $0 += String(decoding: rest, as: UTF8.self) }
        let lastLine = tail.withLockedValue { $0.split(separator: "\n").last.map(String.init) ?? "" }
        switch process.terminationStatus {
        case 0: break
        case 3: return .failure(.anonlinkMissing(lastLine))
        default: return .failure(.failed("exit \(process.terminationStatus): \(lastLine)"))
        }
        guard let line = String(decoding: output, as: UTF8.self).split(separator: "\n").last,
            let report = try? JSONDecoder().decode(Report.self, from: Data(line.utf8))
        else { return .failure(.failed("no result line on its standard output")) }
        guard let pairs = LinkBenchFiles.readPairs(in: workDirectory), pairs.count == report.pairs else {
            return .failure(.failed("anonlink-pairs.bin is missing or does not hold \(report.pairs) pairs"))
        }
        var run = LinkBenchRun(name: "anonlink \(report.version)")
        run.loadSeconds = report.loadSeconds
        run.compareSeconds = report.candidateSeconds
        run.solveSeconds = report.solveSeconds
        run.comparisons = report.comparisons
        run.candidates = report.candidates
        run.pairKeys = pairs
        run.version = "anonlink \(report.version) on Python \(report.python)"
        return .success(run)
    }
}
