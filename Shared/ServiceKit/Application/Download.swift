import Foundation
import HTTPTypes
import Hummingbird

/// The headers of a file the client saves rather than shows: a payment transfer file, a CSV export, an uploaded
/// document served back. Every download of the services goes out with them.
public enum Download {
    /// `Content-Type`, `Content-Disposition: attachment` with the file's name, and `nosniff`, so that a browser
    /// neither renders the file nor guesses another type for it; `Cache-Control` when given (`no-store` for what
    /// only its reader may see).
    public static func headers(contentType: String, fileName: String, cacheControl: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.contentType: contentType, .contentDisposition: contentDisposition(fileName: fileName)]
        if let cacheControl { headers[.cacheControl] = cacheControl }
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return headers
    }

    /// `attachment` with the name twice (RFC 6266): percent-encoded UTF-8 in `filename*`, which user-chosen and
    /// Chinese names need and browsers prefer, then an ASCII stand-in in `filename` for clients that know only
    /// that one (`curl -J`). Neither can carry a quote, a semicolon or a line break out of its parameter.
    public static func contentDisposition(fileName: String) -> String {
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "download"
        let fallback = String(fileName.unicodeScalars.map { unreserved.contains($0) ? Character($0) : "_" })
        return "attachment; filename*=UTF-8''\(encoded); filename=\"\(fallback)\""
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
