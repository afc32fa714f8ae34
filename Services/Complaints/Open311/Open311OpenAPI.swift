import Contracts
import Foundation
import ServiceKit

/// The Open311 facade's operations in the service's `/openapi.json`, written out in full because they differ from
/// the native routes in what ``OpenAPIRoute`` assumes: the filing's body is `application/x-www-form-urlencoded`,
/// errors are GeoReport's JSON arrays (not problem+json), and the receipt has `null` members. The platform's own
/// answers on these paths (405 for another method, 422 for a NUL in the query, 503 when the database is gone) stay
/// problem+json, documented as `default`.
enum Open311OpenAPI {
    static let caseNumber = "^TS[0-9]{14}$"
    static let codes = ComplaintKind.allCases.map(\.rawValue)

    static let errors: JSONValue = .object([
        "type": "array", "minItems": 1,
        "description": "GeoReport v2 errors: one element per problem; a field error reads `<field>: <reason>`.",
        "items": .object([
            "type": "object", "required": ["code", "description"], "additionalProperties": false,
            "properties": .object([
                "code": .object(["type": "integer", "minimum": 400, "maximum": 499, "description": "The HTTP status."]),
                "description": .object(["type": "string", "minLength": 1]),
            ]),
        ]),
    ])

    static let service: JSONValue = JSONSchema.object([
        .required("service_code", .enumeration(ComplaintKind.self), "The kind of case."),
        .required("service_name", .text(maxLength: 100), "Its name, Chinese and English."),
        .required("description", .text(maxLength: 1000), "What it is for."),
        .required("metadata", .boolean, "Always true: GET services/{code}.json lists the attributes."),
        .required("type", .string(pattern: "^realtime$"), "realtime: the request id is given at once."),
        .required("keywords", .text(maxLength: 500), "Comma separated."),
        .required("group", .text(maxLength: 200), "The campaign."),
    ]).json

    static let definition: JSONValue = JSONSchema.object([
        .required("service_code", .enumeration(ComplaintKind.self), "The service."),
        .required("attributes", .array(of: .object([
            .required("variable", .boolean, "Always true: a value is asked for."),
            .required("code", .text(maxLength: 50), "Sent as attribute[code]."),
            .required("datatype", .string(pattern: "^(string|number|datetime|text|singlevaluelist|multivaluelist)$"), "GeoReport datatype."),
            .required("required", .boolean, "Whether a filing must give it."),
            .required("datatype_description", .text(maxLength: 200), "How to write the value."),
            .required("order", .integer(minimum: 1, maximum: 100), "Position in a form."),
            .required("description", .text(maxLength: 500), "What it is."),
            .optional("values", .array(of: .object([
                .required("key", .text(maxLength: 50), "Sent as the value."),
                .required("name", .text(maxLength: 200), "Shown to the user."),
            ])), "The choices of a singlevaluelist."),
        ])), "What the intake needs beyond the standard fields."),
    ]).json

    static let request: JSONValue = JSONSchema.object([
        .required("service_request_id", .string(pattern: caseNumber), "The case number."),
        .required("status", .string(pattern: "^(open|closed)$"), "closed once the handling reached an outcome (not accepted, mediated, mediation terminated, case opened or declined) or the case is closed."),
        .required("status_notes", .text(maxLength: 200), "The native status, in words."),
        .required("service_code", .enumeration(ComplaintKind.self), "The kind of case."),
        .required("service_name", .text(maxLength: 100), "Its name."),
        .required("agency_responsible", .text(maxLength: 200), "The market regulator handling it (its division code)."),
        .required("requested_datetime", .dateTime, "When it was received."),
        .required("updated_datetime", .dateTime, "When it last changed."),
        .optional("expected_datetime", .dateTime, "The end of the last day of the running legal deadline."),
    ]).json

    static let receipt: JSONValue = .object([
        "type": "array", "minItems": 1, "maxItems": 1,
        "items": .object([
            "type": "object", "additionalProperties": false,
            "required": ["service_request_id", "service_notice", "account_id", "token"],
            "properties": .object([
                "service_request_id": .object(["type": "string", "pattern": .string(caseNumber), "description": "The case number."]),
                "service_notice": .object(["type": "string", "minLength": 1,
                                           "description": "Where the case went, its first deadline, and the case secret that follows it natively (GET /public/cases/{caseNumber} with header Case-Secret): shown only in this response."]),
                "account_id": .object(["type": "null"]),
                "token": .object(["type": "null"]),
            ]),
        ]),
    ])

    /// The filing's form. Unknown top-level fields are ignored (clients send `jurisdiction_id`, `device_id`…); an
    /// `attribute[code]` the service does not have is refused.
    static let form: JSONValue = {
        var properties: [String: JSONValue] = [
            "api_key": .object(["type": "string", "minLength": 1, "maxLength": 512, "description": "The submitter's key (GBM_OPEN311_API_KEYS); 403 without a registered one."]),
            "service_code": .object(["type": "string", "enum": .array(codes.map(JSONValue.string)), "description": "The kind of case."]),
            "first_name": .object(["type": "string", "maxLength": 50, "description": "Given name (with last_name at most 50 characters); stored only masked and encrypted."]),
            "last_name": .object(["type": "string", "maxLength": 50, "description": "Family name; stored only masked and encrypted."]),
            "phone": .object(["type": "string", "pattern": "^[0-9][0-9 -]{5,18}[0-9]$", "description": "Required: the handler calls back; stored only hashed, masked and encrypted."]),
            "email": .object(["type": "string", "maxLength": 200, "description": "Accepted, not kept."]),
            "description": .object(["type": "string", "minLength": 1, "maxLength": 5000, "description": "What happened (or the question)."]),
            "address_string": .object(["type": "string", "maxLength": 500, "description": "Where it happened; added below the description for the handler."]),
            "lat": .object(["type": "string", "pattern": "^-?[0-9]{1,3}(\\.[0-9]{1,15})?$", "description": "Latitude, -90 to 90 (with long)."]),
            "long": .object(["type": "string", "pattern": "^-?[0-9]{1,3}(\\.[0-9]{1,15})?$", "description": "Longitude, -180 to 180 (with lat)."]),
            "jurisdiction_id": .object(["type": "string", "description": "Ignored: one jurisdiction."]),
        ]
        for attribute in Open311Services.attributes(of: .complaint) {
            var schema: [String: JSONValue] = ["type": "string", "description": .string(attribute.description + " " + attribute.datatypeDescription + ".")]
            if !attribute.values.isEmpty { schema["enum"] = .array(attribute.values.map { .string($0.key) }) }
            properties["attribute[\(attribute.code)]"] = .object(schema)
        }
        return .object([
            "type": "object", "properties": .object(properties),
            "required": ["api_key", "service_code", "phone", "description", "attribute[regionCode]", "attribute[category]"],
        ])
    }()

    static func parameter(_ name: String, in location: String, _ schema: JSONValue, _ description: String, required: Bool = false) -> JSONValue {
        .object(["name": .string(name), "in": .string(location), "required": .bool(required), "description": .string(description), "schema": schema])
    }

    static let jurisdiction = parameter("jurisdiction_id", in: "query", .object(["type": "string"]), "Accepted and ignored: one jurisdiction")

    static func operation(
        _ id: String, _ summary: String, description: String, parameters: [JSONValue] = [jurisdiction], body: JSONValue? = nil,
        success: Int = 200, response: JSONValue, errors statuses: [Int]
    ) -> JSONValue {
        var responses: [String: JSONValue] = [
            String(success): .object(["description": "Success", "content": .object(["application/json": .object(["schema": response])])]),
            "default": .object([
                "description": "The platform's answers on every path (405 another method, 422 a NUL in the query, 503 the database unavailable): RFC 9457 problems",
                "content": OpenAPIDocument.problemContent,
            ]),
        ]
        for status in statuses {
            responses[String(status)] = .object([
                "description": "GeoReport v2 errors", "content": .object(["application/json": .object(["schema": errors])]),
            ])
        }
        var operation: [String: JSONValue] = [
            "operationId": .string(id), "summary": .string(summary), "description": .string(description),
            "tags": ["open311"], "security": [], "responses": .object(responses),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body {
            operation["requestBody"] = .object([
                "required": true, "content": .object(["application/x-www-form-urlencoded": .object(["schema": body])]),
            ])
        }
        return .object(operation)
    }

    static let paths: JSONValue = [
        "/open311/v2/services.json": [
            "get": operation("open311Services", "Open311: the services, one per kind of case (public)",
                             description: "GeoReport v2 service list.", response: .object(["type": "array", "items": service]),
                             errors: []),
        ],
        "/open311/v2/services/{service_code}.json": [
            "get": operation("open311ServiceDefinition", "Open311: a service's attributes (public)",
                             description: "GeoReport v2 service definition; an unknown code is 404.",
                             parameters: [parameter("service_code", in: "path", .object(["type": "string", "enum": .array(codes.map(JSONValue.string))]), "The service", required: true), jurisdiction],
                             response: definition, errors: [404]),
        ],
        "/open311/v2/requests.json": [
            "post": operation("open311FileRequest", "Open311: file a consultation, complaint or report (a submitter's api_key)",
                              description: "application/x-www-form-urlencoded as GeoReport v2 clients send it: api_key, service_code, attribute[code]=value, first_name, last_name, phone, email, description, address_string, lat, long. Checked and stored as a native filing (channel open311); 400 names every bad field, 403 without a registered api_key, nothing stored on an error.",
                              parameters: [], body: form, success: 201, response: receipt, errors: [400, 403, 413, 415]),
            "get": operation("open311Requests", "Open311: service requests, newest first (public, no personal data)",
                             description: "Filters combine; service_request_id overrides every other parameter. Paging (an extension of GeoReport v2): page from 1, page_size 1–100 (default 50).",
                             parameters: [
                                parameter("service_request_id", in: "query", .object(["type": "string", "pattern": "^TS[0-9]{14}(,TS[0-9]{14}){0,99}$"]), "Case numbers, comma separated (at most 100)"),
                                parameter("service_code", in: "query", .object(["type": "string", "pattern": "^(consultation|complaint|report)(,(consultation|complaint|report))*$"]), "Service codes, comma separated"),
                                parameter("status", in: "query", .object(["type": "string", "pattern": "^(open|closed)(,(open|closed))*$"]), "open, closed, or both"),
                                parameter("start_date", in: "query", .object(["type": "string", "format": "date-time"]), "Received at or after (RFC 3339)"),
                                parameter("end_date", in: "query", .object(["type": "string", "format": "date-time"]), "Received at or before (RFC 3339), not before start_date"),
                                parameter("page", in: "query", .object(["type": "integer", "minimum": 1, "maximum": .integer(Int64(Open311Requests.maximumPage))]), "Page, from 1 (extension)"),
                                parameter("page_size", in: "query", .object(["type": "integer", "minimum": 1, "maximum": .integer(Int64(Open311Requests.maximumPageSize))]), "Requests per page, default 50 (extension)"),
                                jurisdiction,
                             ],
                             response: .object(["type": "array", "items": request]), errors: [400]),
        ],
        "/open311/v2/requests/{service_request_id}.json": [
            "get": operation("open311Request", "Open311: one service request (public, no personal data)",
                             description: "A one-element array; an unknown number is 404.",
                             parameters: [parameter("service_request_id", in: "path", .object(["type": "string", "pattern": .string(caseNumber)]), "The case number", required: true), jurisdiction],
                             response: .object(["type": "array", "minItems": 1, "maxItems": 1, "items": request]), errors: [404]),
        ],
    ]

    /// The paths above as a document to merge into the service's.
    static let document: OpenAPIDocument = {
        let root: JSONValue = ["openapi": "3.1.0", "info": ["title": "complaints: Open311", "version": "1.0.0"], "paths": paths]
        // The literal above is valid OpenAPI 3.1 (ComplaintsTests checks the merged document).
        return try! OpenAPIDocument(json: root.serialized())
    }()
}
