import Foundation
import Hummingbird
import ServiceKit

/// A JSON response body with the status the route chose.
struct JSONReply<Body: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var body: Body

    init(_ body: Body, status: HTTPResponse.Status = .ok) {
        self.body = body
        self.status = status
    }

    /// ISO 8601 dates, keys in declaration order.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        try StreamingJSONEncoder().response(body, status: status)
    }
}

/// Parses request values into domain types, as field errors.
enum RequestValue {
    /// A path id; anything that is not a UUID names nothing, so it is a 404 of the given kind.
    static func uuid(_ text: String, notFound: (String) -> Problem) throws(Problem) -> UUID {
        guard let id = UUID(uuidString: text) else { throw notFound(text) }
        return id
    }
}
