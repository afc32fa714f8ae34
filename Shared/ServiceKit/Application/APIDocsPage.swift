import Foundation
import HTTPTypes
import Hummingbird

/// The browsable API page, `GET /docs`: Swagger UI (from the PyPI package `swagger-ui-bundle-v2`, whose files
/// `GBM_API_DOCS_DIR` names; nothing is loaded from a CDN) reading this service's `/openapi.json`, with an
/// "Authorize" button for a bearer token and "Try it out" against the service itself.
///
/// The page and its start-up script are this project's; Swagger UI's script and style are served from memory, read
/// once at start. The page's Content-Security-Policy lets it load and call nothing but this service (Swagger UI
/// sets inline styles, so `style-src` allows them). Without `GBM_API_DOCS_DIR` the page answers 503
/// `api-docs-unavailable` and `/openapi.json` is still there.
public struct APIDocsPage: Sendable {
    /// The files of Swagger UI the page needs.
    public static let requiredFiles = ["swagger-ui-bundle.js", "swagger-ui.css"]
    /// What `GET /docs/assets/{file}` serves, with its media type.
    static let assets: [String: String] = [
        "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
        "swagger-ui.css": "text/css; charset=utf-8",
        "favicon-32x32.png": "image/png",
    ]
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    let service: String
    /// File name → bytes; nil when the page is not served.
    let files: [String: ByteBuffer]?

    init(service: String, directory: String?) {
        self.service = service
        files = directory.map { directory in
            var files: [String: ByteBuffer] = [:]
            for name in Self.assets.keys {
                if let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)) {
                    files[name] = ByteBuffer(bytes: data)
                }
            }
            return files
        }
    }

    struct Unavailable: Error, ProblemConvertible {
        var problem: Problem {
            Problem(status: .serviceUnavailable, code: "api-docs-unavailable", title: "API page unavailable",
                    detail: "This service runs without Swagger UI's files (GBM_API_DOCS_DIR); /openapi.json describes the API.")
        }
    }

    var html: String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(service) API · 绿色建材下乡</title>
        <link rel="stylesheet" href="docs/assets/swagger-ui.css">
        <link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png">
        </head>
        <body>
        <div id="swagger-ui"></div>
        <script src="docs/assets/swagger-ui-bundle.js"></script>
        <script src="docs/init.js"></script>
        </body>
        </html>

        """
    }

    static let script = """
        // Swagger UI on this service's own document; a token entered under "Authorize" is kept for this page only.
        window.ui = SwaggerUIBundle({
          url: "openapi.json",
          dom_id: "#swagger-ui",
          deepLinking: true,
          displayOperationId: true,
          persistAuthorization: false,
          tryItOutEnabled: false,
          validatorUrl: null
        });

        """

    func install(on router: Router<AppRequestContext>) {
        let page = self
        router.get("/docs") { _, _ -> Response in
            guard page.files != nil else { throw Unavailable() }
            return Self.response(ByteBuffer(string: page.html), type: "text/html; charset=utf-8")
        }
        router.get("/docs/init.js") { _, _ -> Response in
            guard page.files != nil else { throw Unavailable() }
            return Self.response(ByteBuffer(string: Self.script), type: "text/javascript; charset=utf-8")
        }
        router.get("/docs/assets/{file}") { _, context -> Response in
            let name = context.parameters.get("file") ?? ""
            guard let type = Self.assets[name] else {
                throw Problem.validation(field: "file", reason: "must be one of \(Self.assets.keys.sorted().joined(separator: ", "))")
            }
            guard let files = page.files else { throw Unavailable() }
            guard let bytes = files[name] else { throw Problem.notFound("\(name) is not in GBM_API_DOCS_DIR") }
            return Self.response(bytes, type: type)
        }
    }

    private static func response(_ body: ByteBuffer, type: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: type, .contentLength: String(body.readableBytes),
            .contentSecurityPolicy: contentSecurityPolicy, HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            .cacheControl: "public, max-age=3600",
        ], body: .init(byteBuffer: body))
    }
}
