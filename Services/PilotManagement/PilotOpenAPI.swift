import Foundation
import ServiceKit

/// The OpenAPI 3.1 document of pilot-management's own routes; `ServiceHostTests` checks it against the router.
enum PilotOpenAPI {
    /// One documented operation.
    struct Route {
        var method: String
        var path: String
        var summary: String
        var success: Int = 200
        var isPublic = false
        var mediaType = "application/json"
        /// Who may call it and what each caller sees, when more than a bearer token says.
        var access: String? = nil
        /// When it answers 403, with the problem codes.
        var forbidden = "role-not-allowed: the caller's role may not do this; region-not-allowed: not the caller's region"
    }

    static let routes: [Route] = [
        Route(method: "get", path: "/regions", summary: "Regions with status, batch and counts (filters: status, batchYear)",
              access: "Roles: ministry, region-official. A ministry official sees every region; a regional official only its own region and the divisions under it.",
              forbidden: "role-not-allowed: a role other than ministry and region-official"),
        Route(method: "get", path: "/regions/{code}", summary: "One region with status, batch and counts"),
        Route(method: "post", path: "/regions/{code}/launch-meeting", summary: "Record the region's launch meeting (启动会)", success: 201),
        Route(method: "post", path: "/regions/{code}/activities", summary: "Schedule an activity in an approved region", success: 201),
        Route(method: "post", path: "/regions/{code}/participants", summary: "Enrol a catalogue enterprise, platform or store", success: 201),
        Route(method: "get", path: "/regions/{code}/participants", summary: "The region's participants (filter: status)"),
        Route(method: "get", path: "/regions/{code}/industrial-chain", summary: "The region's chain leaders and industrial clusters"),
        Route(method: "post", path: "/applications", summary: "Start a pilot application with its work plan (draft)", success: 201),
        Route(method: "get", path: "/applications", summary: "Applications (filters: regionCode, status)"),
        Route(method: "get", path: "/applications/{id}", summary: "One application with its reviews"),
        Route(method: "put", path: "/applications/{id}/work-plan", summary: "Revise the work plan of a draft or returned application"),
        Route(method: "put", path: "/applications/{id}/document", summary: "Upload the work plan document (raw body; query fileName)"),
        Route(method: "get", path: "/applications/{id}/document", summary: "Download the work plan document", mediaType: "application/octet-stream"),
        Route(method: "put", path: "/applications/{id}/safety-plan", summary: "Attach or replace the safety plan"),
        Route(method: "post", path: "/applications/{id}/submission", summary: "Submit the application into its batch"),
        Route(method: "post", path: "/applications/{id}/reviews", summary: "Record the caller's department's opinion"),
        Route(method: "get", path: "/activities", summary: "Activity calendar (filters: regionCode, level, type, status, from, to, limit)"),
        Route(method: "get", path: "/activities/{id}", summary: "One activity"),
        Route(method: "put", path: "/activities/{id}/schedule", summary: "Reschedule a scheduled activity"),
        Route(method: "post", path: "/activities/{id}/outcome", summary: "Record that the activity was held, with its outcome"),
        Route(method: "post", path: "/activities/{id}/cancellation", summary: "Cancel a scheduled activity with a reason"),
        Route(method: "post", path: "/participants/{id}/withdrawal", summary: "Withdraw a participant with a reason"),
        Route(method: "get", path: "/public/regions", summary: "Approved pilot regions (no token needed)", isPublic: true),
        Route(method: "get", path: "/public/activities", summary: "Upcoming activities of approved regions (no token needed)", isPublic: true),
        Route(method: "get", path: "/public/calendar.ics", summary: "Upcoming activities as an iCalendar feed", isPublic: true, mediaType: "text/calendar"),
    ]

    static var document: OpenAPIDocument {
        var paths: [String: [String: Any]] = [:]
        for route in routes {
            let parameters: [[String: Any]] = route.path.split(separator: "/").compactMap { part in
                guard part.hasPrefix("{") else { return nil }
                return ["name": String(part.dropFirst().dropLast()), "in": "path", "required": true,
                        "schema": ["type": "string"]]
            }
            var operation: [String: Any] = [
                "summary": route.summary,
                "responses": [
                    String(route.success): [
                        "description": "Success", "content": [route.mediaType: ["schema": ["type": route.mediaType == "application/json" ? "object" : "string"]]],
                    ],
                    "default": [
                        "description": "An RFC 9457 problem naming the field and reason",
                        "content": ["application/problem+json": ["schema": ["type": "object"]]],
                    ],
                ],
            ]
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let access = route.access { operation["description"] = access }
            if !route.isPublic, var responses = operation["responses"] as? [String: Any] {
                let problem = ["application/problem+json": ["schema": ["type": "object"]]]
                responses["401"] = ["description": "No valid bearer token (authentication-required, token-…)", "content": problem]
                responses["403"] = ["description": "Forbidden. " + route.forbidden, "content": problem]
                operation["responses"] = responses
            }
            operation["security"] = route.isPublic ? [[String: [String]]]() : [["bearer": [String]()]]
            paths[route.path, default: [:]][route.method] = operation
        }
        let root: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "pilot-management", "version": "1.0.0",
                     "description": "Pilot regions, applications and reviews, activities and participants of the 绿色建材下乡 campaign."],
            "paths": paths,
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]]],
        ]
        // A dictionary of plain strings, numbers and arrays always serialises and is a valid 3.1 document.
        let data = try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
        return try! OpenAPIDocument(json: data)
    }
}
