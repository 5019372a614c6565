import Foundation

/// Killing a process in the middle of a write, for the fault tests: they must land the
/// SIGKILL while a batch's transaction is writing, not before it starts or after it commits,
/// and the bytes the process has written (Linux `/proc/PID/io`) say when that is.
extension CurePathProcess {
    /// Bytes `process` has written so far (`wchar`: its database, WAL and log writes); 0 when
    /// the figure cannot be read.
    public static func bytesWritten(by process: Process) -> Int {
        let io = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/io", encoding: .utf8)) ?? ""
        return io.split(separator: "\n").first { $0.hasPrefix("wchar:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    /// Sends SIGKILL to `process` as soon as it has written more than `bytes` beyond
    /// `baseline`, and waits for it to die. Returns false when it exited, or `seconds`
    /// passed, first.
    ///
    /// It polls on the calling thread and never suspends: with the whole suite running, a
    /// task that slept between polls could wait seconds for one of the two cooperative threads
    /// (other tests block them waiting on child processes), and the settlement would finish
    /// unobserved.
    public static func kill(_ process: Process, afterWriting bytes: Int, since baseline: Int = 0, within seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline {
            if bytesWritten(by: process) - baseline > bytes {
                Foundation.kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return true
            }
            usleep(2_000)
        }
        return false
    }
}
