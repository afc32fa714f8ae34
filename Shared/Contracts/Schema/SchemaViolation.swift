/// One way a JSON instance fails its schema: where (a JSON Pointer, `""` for the whole document) and why.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { (path.isEmpty ? "(document)" : path) + ": " + message }
}
