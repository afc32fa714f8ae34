import Hummingbird

extension Problem {
    /// One invalid field: 422 `validation-failed`.
    public static func validation(field: String, reason: String) -> Problem {
        .validation([FieldError(field: field, reason: reason)])
    }

    /// Several invalid fields at once: 422 `validation-failed`.
    public static func validation(_ errors: [FieldError], detail: String? = nil) -> Problem {
        let summary = errors.count == 1 ? "1 field is invalid" : "\(errors.count) fields are invalid"
        return Problem(
            status: .unprocessableContent,
            code: "validation-failed",
            title: "Validation failed",
            detail: detail ?? "The request was understood but \(summary): see errors.",
            errors: errors
        )
    }

    /// The request could not be read (not JSON, wrong types, missing keys): 400 `malformed-request`.
    public static func malformedRequest(detail: String, errors: [FieldError] = []) -> Problem {
        Problem(status: .badRequest, code: "malformed-request", title: "Malformed request", detail: detail, errors: errors)
    }

    /// Nothing at this address: 404.
    public static func notFound(_ detail: String? = nil, code: String = "not-found") -> Problem {
        Problem(status: .notFound, code: code, title: "Not found", detail: detail)
    }

    /// The request conflicts with the current state of the resource: 409 with a domain-specific code.
    public static func conflict(code: String, detail: String) -> Problem {
        Problem(status: .conflict, code: code, title: "Conflict", detail: detail)
    }

    /// A conflict caused by one field's value: 409 naming the field and why.
    public static func conflict(code: String, detail: String, field: String, reason: String) -> Problem {
        var problem = conflict(code: code, detail: detail)
        problem.errors = [FieldError(field: field, reason: reason)]
        return problem
    }

    /// Authenticated but not allowed: 403.
    public static func forbidden(_ detail: String? = nil, code: String = "forbidden") -> Problem {
        Problem(status: .forbidden, code: code, title: "Forbidden", detail: detail)
    }

    /// No valid credentials: 401, with `WWW-Authenticate: Bearer`.
    public static func unauthorized(_ detail: String? = nil, code: String = "unauthorized") -> Problem {
        Problem(status: .unauthorized, code: code, title: "Unauthorized", detail: detail)
    }

    /// Something failed on our side; the detail never carries internals, only the request id to quote.
    public static func internalError(requestID: String?) -> Problem {
        var problem = Problem(
            status: .internalServerError,
            code: "internal-error",
            title: "Internal server error",
            detail: "The server could not complete the request. Quote the request id when reporting it."
        )
        problem.requestID = requestID
        return problem
    }

    /// A Hummingbird `HTTPError` (404 for an unknown route, 413 for a body too large, a 400 from `request.decode`)
    /// as a problem with the same status.
    public init(_ error: HTTPError) {
        self.init(status: error.status, code: Self.code(for: error.status), title: error.status.reasonPhrase, detail: error.body)
    }

    /// The problem code of a status a framework error carries (`request-too-large` for 413, …).
    public static func code(for status: HTTPResponse.Status) -> String {
            switch status {
            case .notFound: "not-found"
            case .badRequest: "malformed-request"
            case .methodNotAllowed: "method-not-allowed"
            case .contentTooLarge: "request-too-large"
            case .unauthorized: "unauthorized"
            case .forbidden: "forbidden"
            case .unsupportedMediaType: "unsupported-media-type"
            default: status.reasonPhrase.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
            }
    }
}
