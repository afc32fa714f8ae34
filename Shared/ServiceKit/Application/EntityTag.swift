import Foundation

/// Conditional GETs: whether a request's `If-None-Match` names a response's current entity tag.
public enum EntityTag {
    /// Whether an `If-None-Match` value names `tag`: `*`, or one of its comma-separated entity tags, compared weakly
    /// (RFC 9110 §13.1.2: a `W/` prefix on either side is ignored).
    public static func matches(_ header: String, _ tag: String) -> Bool {
        let opaque = tag.hasPrefix("W/") ? tag.dropFirst(2) : Substring(tag)
        return header.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || (trimmed.hasPrefix("W/") ? trimmed.dropFirst(2) : Substring(trimmed)) == opaque
        }
    }
}
