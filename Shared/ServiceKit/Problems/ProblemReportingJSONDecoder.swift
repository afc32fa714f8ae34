import Foundation
import Hummingbird

/// The request decoder of ``AppRequestContext``: JSON with ISO 8601 dates, whose failures are ``Problem``s naming
/// the field and the reason instead of Hummingbird's plain-text 400. A NUL in any string is refused first
/// (``NULCharacter``).
///
/// `request.decode(as:context:)` lets a thrown `HTTPResponseError` through untouched, so the problem survives.
public struct ProblemReportingJSONDecoder: RequestDecoder, Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        try decode(type, from: try await request.body.collect(upTo: context.maxUploadSize))
    }

    /// Decodes a body already collected (a route that also needs the bytes, e.g. to fingerprint them).
    public func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        if buffer.readableBytes == 0 {
            throw Problem.malformedRequest(detail: "The request body is empty; a JSON document was expected.")
        }
        if let problem = NULCharacter.problem(inJSON: buffer.readableBytesView) { throw problem }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Problem(error)
        }
    }
}
