/// How large a document a person uploads may be, in every dimension a hostile file could
/// stretch: bytes, nesting, values and the length of one value.
///
/// Each format states its own numbers next to its format name (`ContractFile`'s and
/// `CriteriaFile`'s `limits`), chosen far above what a real file of that kind needs and far
/// below what could slow the server. ``YAMLDocument`` checks all four on libyaml's event
/// stream, before any node tree exists, so reading a refused file costs one linear pass over
/// at most `maximumBytes`.
public struct DocumentLimits: Sendable, Equatable {
    /// What the documents are called in messages, singular: "criteria file".
    public var documentName: String
    /// The largest file read at all; larger ones are refused before parsing.
    public var maximumBytes: Int
    /// The deepest nesting of lists and mappings. It bounds the composer's recursion (stack)
    /// and the cost of walking the tree.
    public var maximumDepth: Int
    /// The most values (scalars, lists and mappings) in one file. It bounds the memory of
    /// the node tree: bytes alone do not, since `[[],[],…]` spends two bytes per node.
    public var maximumNodes: Int
    /// The longest single value, in bytes of UTF-8.
    public var maximumScalarBytes: Int

    public init(documentName: String, maximumBytes: Int, maximumDepth: Int, maximumNodes: Int, maximumScalarBytes: Int) {
        self.documentName = documentName
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
        self.maximumNodes = maximumNodes
        self.maximumScalarBytes = maximumScalarBytes
    }

    /// "criteria files", for rules stated about every file of the kind.
    var pluralName: String { documentName + "s" }

    /// A size in words: `256 KB`, `1 MB`, `900 bytes`.
    public static func describe(bytes: Int) -> String {
        bytes >= 1_048_576 ? "\(bytes / 1_048_576) MB" : bytes >= 1024 ? "\(bytes / 1024) KB" : "\(bytes) bytes"
    }
}
