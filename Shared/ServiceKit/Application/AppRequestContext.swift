import Foundation
import Hummingbird

/// A request context that carries the request id and the authenticated caller, so the platform middleware
/// (request id, authentication, problems) and the authorization helpers work with any context that has them.
public protocol PrincipalRequestContext: RequestContext {
    /// The request id: the caller's `X-Request-Id` when it sent a usable one, else generated.
    var requestID: String { get set }
    /// The caller, when the request carried a valid bearer token; nil for anonymous requests.
    var principal: Principal? { get set }
}

/// The request context of every GBM service.
public struct AppRequestContext: PrincipalRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = source.logger[metadataKey: "hb.request.id"]?.description ?? UUID().uuidString.lowercased()
        self.principal = nil
    }

    /// JSON bodies decode with ISO 8601 dates and fail as problem+json naming the field.
    public var requestDecoder: ProblemReportingJSONDecoder { ProblemReportingJSONDecoder() }

    /// JSON responses with ISO 8601 dates; keys in declaration order (stable, and sorting them cost a tenth of
    /// a search response's CPU time), written as they are encoded.
    public var responseEncoder: StreamingJSONEncoder { StreamingJSONEncoder() }
}
