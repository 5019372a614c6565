import Criteria
import Foundation

/// The demo network's criteria sets: the example files in `Examples/criteria` (a link to
/// this module's `Criteria` folder), so the files the documentation walks through are the
/// ones a first `curepath serve` evaluates patients against.
public enum DemoCriteria {
    /// Each file's text and parsed set, in file-name order. The files ship with the program,
    /// so a file that does not parse is a defect, not bad input.
    public static let files: [(document: String, set: CriteriaSet)] = {
        guard let folder = Bundle.module.url(forResource: "Criteria", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { preconditionFailure("the demo criteria files are missing from the DemoNetwork bundle") }
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { name in
            guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else {
                preconditionFailure("demo criteria file \(name) cannot be read")
            }
            do {
                return (text, try CriteriaFile.parse(text))
            } catch {
                preconditionFailure("demo criteria file \(name) does not parse: \(error)")
            }
        }
    }()
}
