import Foundation
import ServiceKit

/// The catalogue's OpenAPI 3.1 document: every route it serves, with who may call it and what it answers.
/// `ServiceHostTests.documentsEveryRouteItServes` checks it against the router.
enum CatalogueOpenAPI {
    struct Operation {
        var method: String
        var path: String
        var summary: String
        /// Roles allowed, or empty for a public read.
        var roles: [String] = []
        var query: [(String, String)] = []
        var requestBody: String? = nil
        var success: String = "200"
        /// When it answers 403, with the problem codes (every operation with roles answers `role-not-allowed`).
        var forbidden: String? = nil
        /// More about who may call it or what each caller sees.
        var notes: String? = nil
    }

    static let ownCertificatesOnly = "certificate-of-another-body: a certification body acting on a certificate another body issued"

    static let operations: [Operation] = [
        .init(method: "post", path: "/enterprises", summary: "Register an enterprise (credit code check character validated)",
              roles: ["enterprise", "certification-body"], requestBody: "application/json", success: "201"),
        .init(method: "get", path: "/enterprises/{creditCode}", summary: "An enterprise with the products it holds or makes",
              notes: "Public, with the contact person's name and phone masked; the enterprise itself and market regulators also get contactName in full."),
        .init(method: "patch", path: "/enterprises/{creditCode}", summary: "Update an enterprise's details",
              roles: ["enterprise", "certification-body"], requestBody: "application/json"),
        .init(method: "post", path: "/certificates", summary: "Issue a certificate (valid five years unless expiresOn is given)",
              roles: ["certification-body"], requestBody: "application/json", success: "201",
              forbidden: "certification-body-mismatch: certificationBodyCode names a body other than the token's",
              notes: "The issuer recorded is the certification body the token names (claim certificationBody), never the request body."),
        .init(method: "get", path: "/certificates/{number}", summary: "A certificate with its status history and investigation flags"),
        .init(method: "post", path: "/certificates/{number}/suspend", summary: "Suspend a valid certificate",
              roles: ["certification-body", "ministry"], requestBody: "application/json",
              forbidden: ownCertificatesOnly),
        .init(method: "post", path: "/certificates/{number}/restore", summary: "Restore a suspended certificate",
              roles: ["certification-body", "ministry"], requestBody: "application/json",
              forbidden: ownCertificatesOnly),
        .init(method: "post", path: "/certificates/{number}/revoke", summary: "Revoke a certificate (final; its number is never reused)",
              roles: ["certification-body", "ministry"], requestBody: "application/json",
              forbidden: ownCertificatesOnly),
        .init(method: "post", path: "/certificates/{number}/cancel", summary: "Cancel a certificate (final)",
              roles: ["certification-body", "ministry"], requestBody: "application/json",
              forbidden: ownCertificatesOnly),
        .init(method: "post", path: "/certificates/{number}/renew", summary: "Renew a valid certificate to a new expiry date",
              roles: ["certification-body", "ministry"], requestBody: "application/json",
              forbidden: ownCertificatesOnly),
        .init(method: "post", path: "/certificates/{number}/investigation-flags/{reportID}/clear",
              summary: "Clear an under-investigation flag with the investigation's outcome",
              roles: ["market-regulator", "ministry"], requestBody: "application/json",
              forbidden: "role-not-allowed: not a market regulator (a certification body, a ministry official of a department other than SAMR); flag-outside-jurisdiction: the report's region is outside the bureau's division",
              notes: "Market regulators only: a market-regulator bureau within its division, or a ministry official of SAMR anywhere."),
        .init(method: "get", path: "/products", summary: "Search certified products (text incl. 2-character Chinese terms, filters, cursor, sort)",
              query: [("q", "Text in product name, model, enterprise name or certificate number"),
                      ("category", "Certification class"), ("subCategory", "Sub-category code"),
                      ("grade", "one-star, two-star or three-star"), ("status", "Certificate status"),
                      ("enterprise", "Holder or manufacturer credit code"), ("region", "On this region's local list"),
                      ("underInvestigation", "true or false"),
                      ("sort", "number, productName, issuedOn or expiresOn; prefix - for descending"),
                      ("limit", "1–200, default 20"), ("cursor", "nextCursor of the previous page")]),
        .init(method: "get", path: "/verify", summary: "Is certificate N valid on date D, and on region R's local list?",
              query: [("certificate", "Certificate number (required)"), ("date", "YYYY-MM-DD, default today"),
                      ("region", "GB/T 2260 division code")]),
        .init(method: "get", path: "/changes", summary: "Products changed since a cursor, oldest first",
              query: [("since", "nextCursor of the previous call, 0 for everything"), ("limit", "1–1000, default 100")]),
        .init(method: "get", path: "/categories", summary: "The certification classes and their sub-categories"),
        .init(method: "post", path: "/national-list/batches", summary: "Import a national list batch (CSV or JSON), atomically or valid rows only, idempotently",
              roles: ["certification-committee"], query: [("batch", "Batch id (required)"), ("mode", "atomic (default) or valid-rows-only")],
              requestBody: "text/csv", success: "201",
              forbidden: "role-not-allowed: only the certification technical committee imports the national list",
              notes: "Checked whole, then written in chunks; 409 batch-import-in-progress while another request imports the same batch."),
        .init(method: "get", path: "/national-list/batches/{batchID}", summary: "The report of a batch, with its status (importing or imported) and writtenRows"),
        .init(method: "get", path: "/national-list/export", summary: "Bulk export of the national list, streamed (chunked, no Content-Length)",
              query: [("format", "csv or json (default)"), ("status", "Only certificates with this status")]),
        .init(method: "get", path: "/regions/{regionCode}/local-list", summary: "A pilot region's local list"),
        .init(method: "post", path: "/regions/{regionCode}/local-list/entries", summary: "Add a product to the region's local list",
              roles: ["region-official"], requestBody: "application/json", success: "201"),
        .init(method: "delete", path: "/regions/{regionCode}/local-list/entries/{entryID}", summary: "Remove an entry from the region's local list",
              roles: ["region-official"], query: [("reason", "Why it is removed")], success: "204"),
        .init(method: "get", path: "/regions/{regionCode}/local-list/export", summary: "Bulk export of a region's local list",
              query: [("format", "csv or json (default)")]),
        .init(method: "get", path: "/regions/{regionCode}/technical-requirements", summary: "A region's technical requirements"),
        .init(method: "post", path: "/regions/{regionCode}/technical-requirements", summary: "Publish a technical requirement",
              roles: ["region-official"], requestBody: "application/json", success: "201"),
    ]

    static let document: OpenAPIDocument = {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            var parameters: [[String: Any]] = []
            for name in pathParameters(operation.path) {
                parameters.append(["name": name, "in": "path", "required": true, "schema": ["type": "string"]])
            }
            for (name, description) in operation.query {
                parameters.append(["name": name, "in": "query", "required": false, "description": description,
                                   "schema": ["type": "string"]])
            }
            var responses: [String: Any] = [
                operation.success: ["description": operation.success == "204" ? "Done" : "Success"],
                "400": ["$ref": "#/components/responses/Problem"],
                "404": ["$ref": "#/components/responses/Problem"],
                "422": ["$ref": "#/components/responses/Problem"],
            ]
            var item: [String: Any] = [
                "summary": operation.summary,
                "operationId": operationID(operation),
                "parameters": parameters,
            ]
            if !operation.roles.isEmpty {
                item["security"] = [["bearer": operation.roles]]
                item["description"] = "Roles: " + operation.roles.joined(separator: ", ")
                    + (operation.notes.map { ". " + $0 } ?? "")
                responses["401"] = ["$ref": "#/components/responses/Problem"]
                responses["403"] = [
                    "description": "Forbidden: role-not-allowed (the caller's role may not do this)"
                        + (operation.forbidden.map { "; " + $0 } ?? ""),
                    "content": ["application/problem+json": ["schema": ["type": "object"]]],
                ]
                responses["409"] = ["$ref": "#/components/responses/Problem"]
            } else if let notes = operation.notes {
                item["description"] = notes
            }
            item["responses"] = responses
            if let body = operation.requestBody {
                var content: [String: Any] = [body: ["schema": ["type": body == "text/csv" ? "string" : "object"]]]
                if body == "text/csv" { content["application/json"] = ["schema": ["type": "array"]] }
                item["requestBody"] = ["required": true, "content": content]
            }
            paths[operation.path, default: [:]][operation.method] = item
        }
        let root: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "catalogue", "version": "1.0.0",
                     "description": "Certified green building material products, enterprises, certificates and regional local lists."],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                "responses": ["Problem": [
                    "description": "RFC 9457 problem details naming the field and reason",
                    "content": ["application/problem+json": ["schema": ["type": "object"]]],
                ]],
            ],
        ]
        let data = try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
        return try! OpenAPIDocument(json: data)
    }()

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    static func operationID(_ operation: Operation) -> String {
        operation.method + operation.path.split(separator: "/").map { part in
            let clean = part.filter { $0 != "{" && $0 != "}" && $0 != "-" }
            return clean.prefix(1).uppercased() + clean.dropFirst()
        }.joined()
    }
}
