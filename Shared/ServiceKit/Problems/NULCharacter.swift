import Contracts

/// U+0000 in request text: PostgreSQL text cannot hold it and libpq binds C strings, so a NUL would cut a value
/// short in the row while the event carried the whole of it. Every request is refused with 422 before it reaches a
/// route if a JSON string, an object key or a query parameter holds one.
enum NULCharacter {
    /// The reason given for a field holding a NUL.
    static let reason = "must not contain the NUL character (U+0000)"

    /// Whether a JSON text holds an escaped NUL (`\u0000`) in some string: a scan of the escapes, so `\\u0000`
    /// (an escaped backslash followed by the letters) is not one. A raw NUL byte is not valid JSON at all.
    static func appears(inJSON bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\\") else { continue }
            guard let escaped = iterator.next() else { return false }
            guard escaped == UInt8(ascii: "u") else { continue }
            var hex: [UInt8] = []
            while hex.count < 4, let digit = iterator.next() { hex.append(digit) }
            if hex == Array("0000".utf8) { return true }
        }
        return false
    }

    /// The path of the first string or key holding a NUL in `value` (`lines[2].productName`), or nil.
    static func path(in value: JSONValue, at prefix: String = "") -> String? {
        switch value {
        case .string(let text):
            return text.unicodeScalars.contains("\u{0}") ? (prefix.isEmpty ? "body" : prefix) : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = path(in: item, at: "\(prefix)[\(index)]") { return found }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                let child = prefix.isEmpty ? key : "\(prefix).\(key)"
                if key.unicodeScalars.contains("\u{0}") { return child }
                if let found = path(in: members[key]!, at: child) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    /// A 422 naming where the NUL is in a JSON body, or nil when it holds none.
    static func problem(inJSON bytes: some Collection<UInt8>) -> Problem? {
        guard appears(inJSON: bytes) else { return nil }
        let field = (try? JSONValue(parsing: Array(bytes))).flatMap { path(in: $0) } ?? "body"
        return Problem.validation(field: field, reason: reason)
    }
}
