import Foundation

/// How domain values stored as JSON bodies (PA requests, agreements) are written and read:
/// sorted keys, so the same value is always the same text (retries compare equal), and
/// instants as seconds since 1970, which every stored instant is rounded to.
enum StoredJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}
