import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// A pilot region's local list and technical requirements: readable by anyone, changed only by that region's
/// officials, and only once the region is approved.
struct LocalListRoutes: Sendable {
    let context: CatalogueContext

    func add(to router: Router<AppRequestContext>) {
        let book = LocalListBook(context: context)
        router.get("/regions/:regionCode/local-list") { _, requestContext in
            let region = try Self.region(requestContext)
            return try await context.pool.withConnection { connection in
                LocalListPage(regionCode: region.rawValue,
                              entries: try await LocalListEntry.current(region: region, on: connection))
            }
        }
        router.post("/regions/:regionCode/local-list/entries") { request, requestContext in
            let (region, principal) = try Self.official(requestContext)
            let input = try await request.decode(as: LocalListBook.EntryInput.self, context: requestContext)
            let entry = try await context.pool.transaction { connection in
                try await book.addEntry(input, region: region, actor: principal.actorRole, on: connection)
            }
            return EditedResponse(status: .created, response: LocalListEntryResponse(entry: entry))
        }
        router.delete("/regions/:regionCode/local-list/entries/:entryID") { request, requestContext in
            let (region, principal) = try Self.official(requestContext)
            guard let entryID = UUID(uuidString: try requestContext.parameters.require("entryID")) else {
                throw Problem.validation(field: "entryID", reason: "must be a UUID")
            }
            let reason = request.uri.queryParameters.get("reason") ?? "removed by the regional official"
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty, reason.count <= 1000 else {
                throw Problem.validation(field: "reason", reason: "must be 1–1000 characters")
            }
            try await context.pool.transaction { connection in
                try await book.removeEntry(entryID, region: region, reason: reason, actor: principal.actorRole,
                                           on: connection)
            }
            return Response(status: .noContent)
        }
        router.get("/regions/:regionCode/technical-requirements") { _, requestContext in
            let region = try Self.region(requestContext)
            return try await context.pool.withConnection { connection in
                RequirementList(regionCode: region.rawValue,
                                requirements: try await TechnicalRequirement.all(region: region, on: connection))
            }
        }
        router.post("/regions/:regionCode/technical-requirements") { request, requestContext in
            let (region, principal) = try Self.official(requestContext)
            let input = try await request.decode(as: LocalListBook.RequirementInput.self, context: requestContext)
            let requirement = try await context.pool.transaction { connection in
                try await book.publishRequirement(input, region: region, actor: principal.actorRole, on: connection)
            }
            return EditedResponse(status: .created, response: RequirementResponse(requirement: requirement))
        }
        router.get("/regions/:regionCode/local-list/export") { request, requestContext in
            let region = try Self.region(requestContext)
            let format = try ExportFormat(request.uri.queryParameters.get("format"))
            let entries = try await context.pool.withConnection { connection in
                try await LocalListEntry.current(region: region, on: connection)
            }
            return try Export.response(entries, format: format, name: "local-list-\(region.rawValue)")
        }
    }

    static func region(_ context: AppRequestContext) throws -> DivisionCode {
        let text = try context.parameters.require("regionCode")
        do {
            return try DivisionCode(validating: text)
        } catch {
            throw Problem.validation(field: "regionCode", reason: error.description)
        }
    }

    /// The region, if the caller is one of its officials.
    static func official(_ context: AppRequestContext) throws -> (DivisionCode, Principal) {
        let region = try region(context)
        let principal = try context.require(role: .regionOfficial)
        try context.requireRegion(region)
        return (region, principal)
    }
}

struct LocalListPage: ResponseEncodable, Sendable {
    var regionCode: String
    var entries: [LocalListEntry]
}

struct LocalListEntryResponse: ResponseEncodable, Sendable {
    var entry: LocalListEntry
}

struct RequirementList: ResponseEncodable, Sendable {
    var regionCode: String
    var requirements: [TechnicalRequirement]
}

struct RequirementResponse: ResponseEncodable, Sendable {
    var requirement: TechnicalRequirement
}
