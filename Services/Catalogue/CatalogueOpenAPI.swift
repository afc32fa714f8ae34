import Contracts
import ServiceKit

/// The catalogue's OpenAPI 3.1 document: every route it serves, with who may call it, what each caller sees, and
/// the schema of every request, response and problem. `CatalogueDefinitionTests` and `ServiceHostTests` check it
/// against the router; every catalogue test's responses are checked against it (`ContractCheckingClient`).
enum CatalogueOpenAPI {
    static let uuid = JSONSchema.uuid
    static let date = JSONSchema.date
    static let dateTime = JSONSchema.dateTime
    static let name = JSONSchema.text(maxLength: 200)

    /// A credit code and a certificate number as the routes read them: upper-cased first.
    static let creditCodeInput = JSONSchema.string(pattern: "^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$")
    static let certificateNumberInput = JSONSchema.string(pattern: "^[A-Za-z0-9][A-Za-z0-9-]{3,39}$")

    // MARK: path parameters

    static let creditCodeParameter = OpenAPIRoute.QueryParameter(
        "creditCode", creditCodeInput, "The enterprise's unified social credit code (check character verified)")
    static let numberParameter = OpenAPIRoute.QueryParameter("number", certificateNumberInput, "The certificate number")
    static let regionParameter = OpenAPIRoute.QueryParameter("regionCode", .divisionCode, "The pilot region's GB/T 2260 division code")
    static let reportParameter = OpenAPIRoute.QueryParameter("reportID", uuid, "The certification-violation report that flagged it")
    static let entryParameter = OpenAPIRoute.QueryParameter("entryID", uuid, "The local list entry")
    static let batchParameter = OpenAPIRoute.QueryParameter("batchID", .text(maxLength: 100), "The batch id given on import")
    static let format = OpenAPIRoute.QueryParameter("format", .enumeration(ExportFormat.self), "csv or json (default)")

    // MARK: requests

    static let enterpriseFields: [(String, JSONSchema, String)] = [
        ("creditCode", creditCodeInput, "Unified social credit code (GB 32100-2015, check character verified)."),
        ("name", name, "Registered name."),
        ("kind", .enumeration(EnterpriseKind.self), "manufacturer, e-commerce-platform or store."),
        ("regionCode", .divisionCode, "GB/T 2260 division of its registration."),
        ("address", .text(maxLength: 300), "Address."),
    ]
    static let enterpriseOptional: [JSONSchema.Property] = [
        .optional("contactName", .string(maxLength: 100), "Contact person; stored encrypted, shown masked."),
        .optional("contactPhone", .string(pattern: "^[0-9+][0-9 +-]{5,30}$"), "7–15 digits; stored hashed, encrypted and masked."),
        .optional("isChainLeader", .boolean, "Whether it leads an industrial chain."),
        .optional("industrialCluster", .string(maxLength: 200), "Its industrial cluster."),
    ]
    static let enterpriseRegistration: JSONSchema = .object(
        enterpriseFields.map { .required($0.0, $0.1, $0.2) } + enterpriseOptional)
    /// An update: any field; `creditCode`, when given, must be the enterprise's own.
    static let enterpriseUpdate: JSONSchema = .object(
        enterpriseFields.map { .optional($0.0, $0.1, $0.2) } + enterpriseOptional)

    static let certificateInput: JSONSchema = .object([
        .required("certificateNumber", certificateNumberInput, "The certificate number (never reused once revoked)."),
        .required("holderCreditCode", creditCodeInput, "The holder, a registered enterprise."),
        .optional("manufacturerCreditCode", creditCodeInput, "The manufacturer, a registered enterprise (default: the holder)."),
        .optional("factoryName", name, "Factory where the product is made."),
        .required("certificationBody", name, "The certification body's name as printed on the certificate."),
        .optional("certificationBodyCode", creditCodeInput, "Must be the token's certification body when given."),
        .required("productName", name, "Product name."),
        .required("model", name, "Model."),
        .required("category", .enumeration(ProductCategory.self), "Certification class (GET /categories)."),
        .required("subCategory", name, "One of the class's sub-categories, short (thermal-insulation) or full code."),
        .required("starGrade", .enumeration(StarGrade.self), "one-star, two-star or three-star."),
        .required("certificationBasis", .text(maxLength: 100), "The standard it was certified against."),
        .required("issuedOn", date, "Day of issue, 2000–2099."),
        .optional("expiresOn", date, "Last day of validity, after issuedOn (default: five years after issue)."),
    ])

    /// One row of a national list batch: the certificate fields as text (CSV: the header names these columns).
    static let nationalListRow: JSONSchema = .object(
        CertificateDraftInput.fields.map { field in
            let required = ["certificateNumber", "holderCreditCode", "certificationBody", "productName", "model",
                            "category", "subCategory", "starGrade", "certificationBasis", "issuedOn"].contains(field)
            let schema = JSONSchema.string(maxLength: 200)
            return required ? .required(field, schema) : .optional(field, schema)
        })

    static let statusChange: JSONSchema = .object([
        .required("reason", .text(maxLength: 1000), "Why (1–1000 characters)."),
        .optional("suspendedUntil", date, "For a suspension: until when."),
    ])

    static let renewal: JSONSchema = .object([
        .optional("expiresOn", date, "The new last day of validity, after the current one (default: five years on)."),
        .optional("starGrade", .enumeration(StarGrade.self), "A new star grade."),
        .optional("reason", .text(maxLength: 1000), "Why (default 续证 (renewed))."),
    ])

    static let clearance: JSONSchema = .object([
        .required("reason", .text(maxLength: 1000), "The investigation's outcome."),
    ])

    static let entryInput: JSONSchema = .object([
        .required("basis", .enumeration(LocalListEntryBasis.self), "certified or technical-requirement."),
        .optional("certificateNumber", certificateNumberInput, "certified: a valid certificate."),
        .optional("requirementID", uuid, "technical-requirement: one of the region's requirements."),
        .optional("testReportNumber", .text(maxLength: 100), "technical-requirement: the test report."),
        .optional("testingBody", name, "technical-requirement: the testing body."),
        .optional("manufacturerCreditCode", creditCodeInput, "technical-requirement: the manufacturer."),
        .optional("productName", name, "technical-requirement: the product."),
        .optional("model", name, "technical-requirement: its model."),
    ])

    static let requirementInput: JSONSchema = .object([
        .required("category", .enumeration(ProductCategory.self), "Certification class it applies to."),
        .required("productScope", name, "Products it covers."),
        .required("standardCode", .text(maxLength: 100), "The standard (GB/T …)."),
        .required("indicator", name, "The indicator."),
        .required("threshold", .text(maxLength: 100), "The threshold."),
        .optional("effectiveOn", date, "In force from (default: today)."),
    ])

    // MARK: responses

    static let enterprise: JSONSchema = .object(Enterprise.schemaProperties + [
        .optional("products", .array(of: CertificateView.schema), "On a read: the certified products it holds or makes (at most 1000)."),
    ])

    static let certificateDetail: JSONSchema = .object([
        .required("certificate", CertificateView.schema, "The certificate."),
        .optional("history", .array(of: CertificateStatusChange.schema), "On a read: every status change, oldest first."),
        .optional("investigationFlags", .array(of: InvestigationFlag.schema), "On a read: open and cleared investigation flags."),
    ])

    static let importReport: JSONSchema = .object([
        .required("batchID", .text(maxLength: 100), "The batch."),
        .required("mode", .enumeration(NationalListImportMode.self), "atomic or valid-rows-only."),
        .required("totalRows", .count, "Rows in the batch."),
        .required("importedRows", .count, "Rows imported."),
        .required("rejectedRows", .count, "Rows rejected."),
        .required("alreadyImported", .boolean, "True when this exact batch had been imported before and nothing changed."),
        .required("errors", .array(of: .object([
            .required("line", .integer(minimum: 1), "CSV: the line the record starts on (header = 1); JSON: the row's position from 1."),
            .required("field", .text(maxLength: 200), "The field, or (row)."),
            .required("reason", .text(maxLength: 2000), "Why."),
        ])), "Every rejected row's problems."),
        .required("status", .string(pattern: "^(importing|imported)$"), "importing while it is written in chunks, then imported."),
        .required("writtenRows", .count, "How many of importedRows are written so far."),
    ])

    static let verification: JSONSchema = .object([
        .required("certificateNumber", .text(maxLength: 40), "The number asked about."),
        .required("date", date, "The day asked about."),
        .required("found", .boolean, "Whether the certificate exists."),
        .required("valid", .boolean, "Whether it was in force on date: inside its validity period and valid by its history."),
        .optional("statusOnDate", .enumeration(CertificateStatus.self), "Its status on date."),
        .optional("currentStatus", .enumeration(CertificateStatus.self), "Its status now."),
        .optional("issuedOn", date, "Day of issue."),
        .optional("expiresOn", date, "Last day of validity."),
        .optional("productName", name, "The product."),
        .optional("holderCreditCode", .creditCode, "The holder."),
        .required("underInvestigation", .boolean, "Whether a certification-violation report is under investigation."),
        .optional("region", .divisionCode, "The region asked about."),
        .optional("onLocalList", .boolean, "With region: whether it is on the local list of the region or a division containing it."),
    ])

    static let productPage: JSONSchema = .object([
        .required("items", .array(of: CertificateView.schema), "The page."),
        .optional("nextCursor", .text(maxLength: 2000), "Pass as cursor (with the same sort) for the next page; absent on the last."),
    ])

    static let changePage: JSONSchema = .object([
        .required("items", .array(of: CertificateView.schema), "Products changed, oldest change first."),
        .required("nextCursor", .string(pattern: "^[0-9]+$"), "Pass as since for the next call."),
    ])

    static let categories: JSONSchema = .object([
        .required("categories", .array(of: .object([
            .required("code", .text(maxLength: 200), "Class or sub-category code."),
            .optional("parentCode", .text(maxLength: 200), "A sub-category's class."),
            .required("productCategory", .enumeration(ProductCategory.self), "The class."),
            .required("nameZh", .text(maxLength: 200), "Chinese name."),
            .required("nameEn", .text(maxLength: 200), "English name."),
        ])), "Classes, each followed by its sub-categories."),
    ])

    static let localList: JSONSchema = .object([
        .required("regionCode", .divisionCode, "The region."),
        .required("entries", .array(of: LocalListEntry.schema), "Current entries, oldest first."),
    ])

    static let requirements: JSONSchema = .object([
        .required("regionCode", .divisionCode, "The region."),
        .required("requirements", .array(of: TechnicalRequirement.schema), "Published requirements, oldest first."),
    ])

    // MARK: operations

    static let writers = CertificateRoutes.writers
    static let ownCertificatesOnly =
        "A certification body changes only the certificates it issued (403 certificate-of-another-body); ministry officials change any."

    static let routes: [OpenAPIRoute] = [
        OpenAPIRoute("post", "/enterprises", "Register an enterprise (credit code check character validated)",
                     roles: [.enterprise, .certificationBody], requestBody: enterpriseRegistration, success: 201,
                     response: enterprise, problems: [409],
                     notes: "An enterprise registers only itself (403 enterprise-not-allowed); a certification body any. 409 enterprise-already-registered."),
        OpenAPIRoute("get", "/enterprises/{creditCode}", "An enterprise with the products it holds or makes",
                     pathParameters: [creditCodeParameter], response: enterprise, problems: [404],
                     notes: "Public, with the contact person's name and phone masked; the enterprise itself and market regulators also get contactName in full."),
        OpenAPIRoute("patch", "/enterprises/{creditCode}", "Update an enterprise's details",
                     roles: [.enterprise, .certificationBody], pathParameters: [creditCodeParameter],
                     requestBody: enterpriseUpdate, response: enterprise, problems: [404],
                     notes: "An enterprise updates only itself (403 enterprise-not-allowed); the credit code cannot change."),
        OpenAPIRoute("post", "/certificates", "Issue a certificate (valid five years unless expiresOn is given)",
                     roles: [.certificationBody], requestBody: certificateInput, success: 201, response: certificateDetail,
                     problems: [404, 409],
                     notes: "The issuer recorded is the certification body the token names (claim certificationBody), never the request body: 403 certification-body-mismatch when certificationBodyCode names another. 409 certificate-number-taken, certificate-number-revoked, certificate-number-reserved."),
        OpenAPIRoute("get", "/certificates/{number}", "A certificate with its status history and investigation flags (public)",
                     pathParameters: [numberParameter], response: certificateDetail, problems: [404]),
    ] + [CertificateAction.suspend, .restore, .revoke, .cancel].map { action in
        OpenAPIRoute("post", "/certificates/{number}/\(action.rawValue)", Self.summary(of: action),
                     roles: writers, pathParameters: [numberParameter], requestBody: statusChange,
                     response: certificateDetail, problems: [404, 409],
                     notes: ownCertificatesOnly + " 409 transition-not-allowed from its current status.")
    } + [
        OpenAPIRoute("post", "/certificates/{number}/renew", "Renew a valid certificate to a new expiry date",
                     roles: writers, pathParameters: [numberParameter], requestBody: renewal,
                     response: certificateDetail, problems: [404, 409], notes: ownCertificatesOnly),
        OpenAPIRoute("post", "/certificates/{number}/investigation-flags/{reportID}/clear",
                     "Clear an under-investigation flag with the investigation's outcome",
                     roles: [.marketRegulator, .ministry], pathParameters: [numberParameter, reportParameter],
                     requestBody: clearance, response: certificateDetail, problems: [404],
                     notes: "Market regulators only: a market-regulator bureau within its division, or a ministry official of SAMR anywhere. 403 role-not-allowed: not a market regulator (a certification body, a ministry official of a department other than SAMR); 403 flag-outside-jurisdiction: the report's region is outside the bureau's division."),
        OpenAPIRoute("get", "/products", "Search certified products (text incl. 2-character Chinese terms, filters, cursor, sort; public)",
                     query: [.init("q", .string(maxLength: 100), "Text in product name, model, enterprise name or certificate number"),
                             .init("category", .enumeration(ProductCategory.self), "Certification class"),
                             .init("subCategory", .text(maxLength: 200), "Sub-category code (short or full), 1–200 characters"),
                             .init("grade", .enumeration(StarGrade.self), "Star grade"),
                             .init("status", .enumeration(CertificateStatus.self), "Certificate status"),
                             .init("enterprise", creditCodeInput, "Holder or manufacturer credit code"),
                             .init("region", .divisionCode, "On this region's local list"),
                             .init("underInvestigation", .boolean, "Only products under (true) or not under (false) investigation"),
                             .init("sort", JSONSchema(kind: .string(format: nil, pattern: nil, minLength: nil, maxLength: nil,
                                                                     allowed: ProductSearch.SortKey.parameterValues)),
                                   "relevance (the default with q: text in the product name first, valid certificates first, whole terms before fragments; needs q), number (the default without q), productName, issuedOn or expiresOn; prefix - for descending (not relevance)"),
                             .init("limit", .integer(minimum: 1, maximum: 200), "1–200, default 20"),
                             .init("cursor", .text(maxLength: 2000), "nextCursor of the previous page (same sort)")],
                     response: productPage,
                     notes: "The answer carries an ETag, the catalogue's version (its change feed's position): it changes with any certificate, enterprise name, local-list entry or investigation flag. Send it back in If-None-Match for 304 Not Modified while nothing changed.",
                     conditional: true),
        OpenAPIRoute("get", "/verify", "Is certificate N valid on date D, and on region R's local list? (public)",
                     query: [.init("certificate", certificateNumberInput, "Certificate number", required: true),
                             .init("date", date, "The day, default today"),
                             .init("region", .divisionCode, "GB/T 2260 division code")],
                     response: verification),
        OpenAPIRoute("get", "/changes", "Products changed since a cursor, oldest first (public)",
                     query: [.init("since", .integer(minimum: 0), "nextCursor of the previous call, 0 for everything"),
                             .init("limit", .integer(minimum: 1, maximum: 1000), "1–1000, default 100")],
                     response: changePage),
        OpenAPIRoute("get", "/categories", "The certification classes and their sub-categories (public)", response: categories),
        OpenAPIRoute("post", "/national-list/batches",
                     "Import a national list batch (CSV or JSON), atomically or valid rows only, idempotently",
                     roles: [.certificationCommittee],
                     query: [.init("batch", .text(maxLength: 100), "Batch id", required: true),
                             .init("mode", .enumeration(NationalListImportMode.self), "atomic (default) or valid-rows-only")],
                     requestBody: .array(of: nationalListRow), requestMediaType: "text/csv", success: 201,
                     response: importReport, problems: [409, 413],
                     notes: "Only the certification technical committee imports the national list. The body is CSV (text/csv, a header line naming the fields) or JSON (an array of rows, or {\"rows\": [...]}); at most 64 MiB. Checked whole, then written in chunks: 201 with the report; 200 when this exact batch was imported before; 422 batch-rejected with every bad row (atomic mode); 409 batch-content-changed for the same id with other content, batch-import-in-progress while another request imports it."),
        OpenAPIRoute("get", "/national-list/batches/{batchID}", "The report of a batch, with its status (importing or imported) and writtenRows (public)",
                     pathParameters: [batchParameter], response: importReport, problems: [404]),
        OpenAPIRoute("get", "/national-list/export", "Bulk export of the national list, streamed (chunked, no Content-Length; public)",
                     query: [format, .init("status", .enumeration(CertificateStatus.self), "Only certificates with this status")],
                     response: .array(of: CertificateView.schema),
                     notes: "JSON: an array of certificates; CSV: a header line and one line per certificate."),
        OpenAPIRoute("get", "/regions/{regionCode}/local-list", "A pilot region's local list (public)",
                     pathParameters: [regionParameter], response: localList),
        OpenAPIRoute("post", "/regions/{regionCode}/local-list/entries", "Add a product to the region's local list",
                     roles: [.regionOfficial], pathParameters: [regionParameter], requestBody: entryInput, success: 201,
                     response: .object([.required("entry", LocalListEntry.schema, "The entry.")]), problems: [409],
                     notes: "The region's own officials (and those of a division containing it), once the region is an approved pilot region (409 region-not-approved). 409 already-on-local-list."),
        OpenAPIRoute("delete", "/regions/{regionCode}/local-list/entries/{entryID}", "Remove an entry from the region's local list",
                     roles: [.regionOfficial], query: [.init("reason", .text(maxLength: 1000), "Why it is removed")],
                     pathParameters: [regionParameter, entryParameter], success: 204, problems: [404],
                     notes: "The region's own officials."),
        OpenAPIRoute("get", "/regions/{regionCode}/local-list/export", "Bulk export of a region's local list (public)",
                     query: [format], pathParameters: [regionParameter], response: .array(of: LocalListEntry.schema),
                     notes: "JSON: an array of entries; CSV: a header line and one line per entry."),
        OpenAPIRoute("get", "/regions/{regionCode}/technical-requirements", "A region's technical requirements (public)",
                     pathParameters: [regionParameter], response: requirements),
        OpenAPIRoute("post", "/regions/{regionCode}/technical-requirements", "Publish a technical requirement",
                     roles: [.regionOfficial], pathParameters: [regionParameter], requestBody: requirementInput, success: 201,
                     response: .object([.required("requirement", TechnicalRequirement.schema, "The requirement.")]), problems: [409],
                     notes: "The region's own officials, once the region is an approved pilot region (409 region-not-approved)."),
    ]

    static func summary(of action: CertificateAction) -> String {
        switch action {
        case .suspend: "Suspend a valid certificate"
        case .restore: "Restore a suspended certificate"
        case .revoke: "Revoke a certificate (final; its number is never reused)"
        case .cancel: "Cancel a certificate (final)"
        default: "Change a certificate's status"
        }
    }

    /// What ``OpenAPIRoute`` writes one of per route: the exports' CSV beside their JSON, and the import's 200 for
    /// a batch imported before.
    static let alternatives: OpenAPIDocument = {
        let csv: JSONValue = ["schema": ["type": "string", "description": "UTF-8 CSV, RFC 4180 quoting, a header line first."]]
        let importReportJSON: JSONValue = ["schema": importReport.json]
        let patch: JSONValue = [
            "openapi": "3.1.0", "info": ["title": "catalogue", "version": "1.0.0"],
            "paths": [
                "/national-list/export": ["get": ["responses": ["200": ["content": ["text/csv": csv]]]]],
                "/regions/{regionCode}/local-list/export": ["get": ["responses": ["200": ["content": ["text/csv": csv]]]]],
                "/national-list/batches": ["post": ["responses": ["200": [
                    "description": "This exact batch was imported before: its report, alreadyImported true",
                    "content": ["application/json": importReportJSON],
                ]]]],
            ],
        ]
        return (try? OpenAPIDocument(json: patch.serialized())) ?? OpenAPIDocument(title: "catalogue", version: "1.0.0")
    }()

    static let document = OpenAPIDocument(
        title: "catalogue", version: "1.0.0",
        description: "Certified green building material products, enterprises, certificates and regional local lists.",
        routes: routes
    ).merging(alternatives)
}

// MARK: the schemas of the types the routes encode

extension Enterprise {
    static let schemaProperties: [JSONSchema.Property] = [
        .required("creditCode", .creditCode, "Unified social credit code."),
        .required("name", CatalogueOpenAPI.name, "Registered name."),
        .required("kind", .enumeration(EnterpriseKind.self), "manufacturer, e-commerce-platform or store."),
        .required("regionCode", .divisionCode, "Division of its registration."),
        .required("address", .text(maxLength: 300), "Address."),
        .optional("contactName", .string(maxLength: 100), "The contact person in full: only to the enterprise itself and market regulators."),
        .optional("contactNameMasked", .string(maxLength: 100), "The contact person, masked."),
        .optional("contactPhoneMasked", .string(maxLength: 40), "The contact phone, masked."),
        .required("isChainLeader", .boolean, "Whether it leads an industrial chain."),
        .optional("industrialCluster", .string(maxLength: 200), "Its industrial cluster."),
        .required("registeredAt", .dateTime, "Registered."),
        .required("updatedAt", .dateTime, "Last updated."),
    ]
}

extension CertificateView {
    static let schema: JSONSchema = .object([
        .required("certificateNumber", .certificateNumber, "The certificate number."),
        .required("holderCreditCode", .creditCode, "The holder."),
        .required("holderName", CatalogueOpenAPI.name, "The holder's name."),
        .required("manufacturerCreditCode", .creditCode, "The manufacturer."),
        .required("manufacturerName", CatalogueOpenAPI.name, "The manufacturer's name."),
        .optional("factoryName", CatalogueOpenAPI.name, "The factory."),
        .required("certificationBody", CatalogueOpenAPI.name, "The certification body as printed."),
        .optional("certificationBodyCode", .creditCode, "The issuing body, when known: the one body that may change it."),
        .required("productName", CatalogueOpenAPI.name, "Product."),
        .required("model", CatalogueOpenAPI.name, "Model."),
        .required("category", .enumeration(ProductCategory.self), "Certification class."),
        .required("subCategory", CatalogueOpenAPI.name, "Sub-category (full code)."),
        .required("starGrade", .enumeration(StarGrade.self), "Star grade."),
        .required("certificationBasis", .text(maxLength: 100), "Standard certified against."),
        .required("issuedOn", .date, "Day of issue."),
        .required("expiresOn", .date, "Last day of validity."),
        .required("status", .enumeration(CertificateStatus.self), "Status."),
        .required("statusChangedAt", .dateTime, "When the status last changed."),
        .required("underInvestigation", .boolean, "Whether a certification-violation report is under investigation (not a status)."),
        .optional("nationalBatchID", .text(maxLength: 100), "The national list batch it came in."),
        .required("updatedAt", .dateTime, "Last changed."),
        .required("changeSequence", .integer(minimum: 0), "Position in the change feed (GET /changes)."),
    ])
}

extension CertificateStatusChange {
    static let schema: JSONSchema = .object([
        .required("action", .enumeration(CertificateAction.self), "What was done."),
        .optional("fromStatus", .enumeration(CertificateStatus.self), "Status before (absent on issue)."),
        .required("toStatus", .enumeration(CertificateStatus.self), "Status after."),
        .required("reason", .string(maxLength: 10_000), "Why."),
        .required("actorRole", .enumeration(ActorRole.self), "Who."),
        .required("changedAt", .dateTime, "When."),
    ])
}

extension InvestigationFlag {
    static let schema: JSONSchema = .object([
        .required("violationReportID", .text(maxLength: 100), "The certification-violation report."),
        .required("violationKind", .enumeration(ViolationKind.self), "What was reported."),
        .required("regionCode", .divisionCode, "Where it was reported."),
        .required("reportedAt", .dateTime, "Reported."),
        .required("flaggedAt", .dateTime, "Flagged."),
        .optional("clearedAt", .dateTime, "Cleared by a market regulator."),
        .optional("clearanceReason", .string(maxLength: 10_000), "The investigation's outcome."),
    ])
}

extension LocalListEntry {
    static let schema: JSONSchema = .object([
        .required("entryID", .uuid, "The entry."),
        .required("regionCode", .divisionCode, "The region."),
        .required("basis", .enumeration(LocalListEntryBasis.self), "certified or technical-requirement."),
        .optional("certificateNumber", .certificateNumber, "certified: the certificate."),
        .optional("requirementID", .uuid, "technical-requirement: the requirement."),
        .optional("testReportNumber", .text(maxLength: 100), "technical-requirement: the test report."),
        .optional("testingBody", CatalogueOpenAPI.name, "technical-requirement: the testing body."),
        .required("manufacturerCreditCode", .creditCode, "The manufacturer."),
        .required("productName", CatalogueOpenAPI.name, "Product."),
        .required("model", CatalogueOpenAPI.name, "Model."),
        .required("category", .enumeration(ProductCategory.self), "Certification class."),
        .required("addedAt", .dateTime, "Added."),
    ])
}

extension TechnicalRequirement {
    static let schema: JSONSchema = .object([
        .required("requirementID", .uuid, "The requirement."),
        .required("regionCode", .divisionCode, "The region."),
        .required("category", .enumeration(ProductCategory.self), "Certification class it applies to."),
        .required("productScope", CatalogueOpenAPI.name, "Products it covers."),
        .required("standardCode", .text(maxLength: 100), "The standard."),
        .required("indicator", CatalogueOpenAPI.name, "The indicator."),
        .required("threshold", .text(maxLength: 100), "The threshold."),
        .required("effectiveOn", .date, "In force from."),
        .required("publishedAt", .dateTime, "Published."),
    ])
}
