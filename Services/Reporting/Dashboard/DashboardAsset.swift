import Crypto
import ServiceKit

/// One file of the web dashboard, compiled into the binary (`Package.swift` embeds `Dashboard/Assets/` with
/// `.embedInCode`; the static image has no bundle to look files up in): its bytes, its content type and an entity
/// tag from their SHA-256, so a browser revalidates a cached copy with `If-None-Match` and gets 304 while it is
/// current. Every script, style and image the page uses is one of these: the page loads nothing from elsewhere.
struct DashboardAsset: Sendable {
    /// The file's name, as in `/dashboard/assets/{name}`.
    let name: String
    let contentType: String
    let bytes: [UInt8]
    /// A strong entity tag, quoted: the first 32 hex digits of the bytes' SHA-256.
    let entityTag: String

    init(name: String, contentType: String, bytes: [UInt8]) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
        self.entityTag = "\"" + String(SHA256.hash(data: bytes).lowercaseHex.prefix(32)) + "\""
    }

    /// The page itself, served at `/dashboard`.
    static let page = DashboardAsset(name: "index.html", contentType: "text/html; charset=utf-8", bytes: PackageResources.index_html)

    /// What the page loads, served at `/dashboard/assets/{name}`.
    static let files: [DashboardAsset] = [
        DashboardAsset(name: "dashboard.js", contentType: "text/javascript; charset=utf-8", bytes: PackageResources.dashboard_js),
        DashboardAsset(name: "dashboard.css", contentType: "text/css; charset=utf-8", bytes: PackageResources.dashboard_css),
        DashboardAsset(name: "icon.svg", contentType: "image/svg+xml", bytes: PackageResources.icon_svg),
    ]

    /// The file called `name`, if the dashboard has one.
    static func file(named name: String) -> DashboardAsset? {
        files.first { $0.name == name }
    }

    /// The media type without its parameters (`text/css`), as the OpenAPI document lists it.
    var mediaType: String {
        String(contentType.prefix { $0 != ";" })
    }
}
