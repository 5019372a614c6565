import Foundation
import NIOConcurrencyHelpers

/// A one-line progress bar on standard error, redrawn in place; silent when stderr is not a
/// terminal except for the final line, so logs stay readable.
final class ProgressBar: Sendable {
    private let label: String
    private let total: Int
    private let started = Date()
    private let lastDrawn = NIOLockedValueBox<Int>(-1)
    private let interactive = isatty(STDERR_FILENO) == 1

    init(_ label: String, total: Int) {
        self.label = label
        self.total = max(1, total)
    }

    func update(_ done: Int) {
        let percent = min(100, done * 100 / total)
        let shouldDraw = lastDrawn.withLockedValue { last -> Bool in
            guard percent != last else { return false }
            last = percent
            return true
        }
        guard shouldDraw, interactive else { return }
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(percent)% (\(done)/\(total))".utf8))
    }

    func finish(_ note: String = "") {
        let seconds = Date().timeIntervalSince(started)
        let line = "\(label): done in \(String(format: "%.2f", seconds)) s\(note.isEmpty ? "" : " — " + note)"
        FileHandle.standardError.write(Data(((interactive ? "\r\u{1B}[2K" : "") + line + "\n").utf8))
    }
}
