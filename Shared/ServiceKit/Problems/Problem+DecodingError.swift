import Foundation

extension Problem {
    /// A body that could not be decoded, as a 400 problem naming the field path and the reason
    /// (`items[0].quantity`: "must be an integer"; `regionCode`: "is required").
    public init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            let field = Self.fieldPath(context.codingPath + [key])
            self = .malformedRequest(
                detail: "The request body is missing the required field `\(field)`.",
                errors: [FieldError(field: field, reason: "is required")]
            )
        case .valueNotFound(let type, let context):
            let field = Self.fieldPath(context.codingPath)
            self = .malformedRequest(
                detail: context.codingPath.isEmpty ? "The request body must not be null." : "The field `\(field)` must not be null.",
                errors: [FieldError(field: field, reason: "must be \(Self.jsonKind(of: type)), not null")]
            )
        case .typeMismatch(let type, let context):
            let reason = "must be \(Self.jsonKind(of: type))"
            if context.codingPath.isEmpty {
                // The body itself (an array or a string where an object belongs): the field is named `body`.
                self = .malformedRequest(detail: "The request body \(reason).", errors: [FieldError(field: "body", reason: reason)])
            } else {
                let field = Self.fieldPath(context.codingPath)
                self = .malformedRequest(detail: "The field `\(field)` \(reason).", errors: [FieldError(field: field, reason: reason)])
            }
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self = .malformedRequest(detail: "The request body is not valid JSON.")
            } else {
                let field = Self.fieldPath(context.codingPath)
                self = .malformedRequest(
                    detail: "The field `\(field)` has an invalid value.",
                    errors: [FieldError(field: field, reason: context.debugDescription)]
                )
            }
        @unknown default:
            self = .malformedRequest(detail: "The request body could not be read.")
        }
    }

    /// `[items, 0, quantity]` as `items[0].quantity`; the body itself (an empty path) as `body`.
    static func fieldPath(_ codingPath: [any CodingKey]) -> String {
        if codingPath.isEmpty { return "body" }
        var path = ""
        for key in codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
    }

    /// The JSON kind a Swift type is decoded from, as a caller would say it.
    static func jsonKind(of type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type, is Date.Type, is UUID.Type, is URL.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
            is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type:
            "an integer"
        case is Double.Type, is Float.Type, is Decimal.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array<") ? "an array"
                : String(describing: type).hasPrefix("Dictionary<") ? "an object" : "\(type)"
        }
    }
}
