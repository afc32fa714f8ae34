import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// The web dashboard: `GET /dashboard` (the page) and `GET /dashboard/assets/{name}` (its script, style and icon),
/// all public, since they hold no data: the page's script reads the figures with the user's token (from the URL
/// fragment `#token=…`, which a browser never sends, or typed in) from the query API and follows `/feed`.
///
/// Government networks are closed, so the page loads nothing from elsewhere, and its Content-Security-Policy says
/// so to the browser: only this origin's scripts, styles, images and connections, no inline script or style, no
/// framing. Each response carries its file's entity tag; `If-None-Match` with it is answered 304.
struct DashboardRoutes: Sendable {
    /// The policy every dashboard response carries.
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "font-src 'self'",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func add(to router: Router<AppRequestContext>) {
        router.get("/dashboard") { request, _ in
            Self.response(DashboardAsset.page, to: request)
        }
        router.get("/dashboard/assets/:name") { request, requestContext in
            let name = try requestContext.parameters.require("name")
            guard let asset = DashboardAsset.file(named: name) else { throw ReportingError.dashboardAssetNotFound(name) }
            return Self.response(asset, to: request)
        }
    }

    /// The file, or 304 when the request's `If-None-Match` names its current entity tag. `no-cache`: a browser may
    /// keep it but asks each time, so a new version is taken at once.
    static func response(_ asset: DashboardAsset, to request: Request) -> Response {
        var headers: HTTPFields = [
            .eTag: asset.entityTag, .cacheControl: "no-cache",
            .contentSecurityPolicy: contentSecurityPolicy,
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("X-Frame-Options")!: "DENY",
        ]
        if let tags = request.headers[.ifNoneMatch], EntityTag.matches(tags, asset.entityTag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        headers[.contentLength] = String(asset.bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
