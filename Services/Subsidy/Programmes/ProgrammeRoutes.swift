import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Programmes: drafted by a region's official (or a ministry official), approved by a ministry official who did
/// not draft them, opened, topped up and closed. Anyone may read them: the terms are public. ``ProgrammeBook``
/// does the work.
struct ProgrammeRoutes: Sendable {
    let context: SubsidyContext

    struct TopUpRequest: Decodable, Sendable {
        var amount: Int64
        var reason: String
    }

    struct ClosureRequest: Decodable, Sendable {
        var reason: String
    }

    struct ProgrammeList: ResponseEncodable, Sendable {
        var programmes: [ProgrammeView]
    }

    func add(to router: Router<AppRequestContext>) {
        let book = ProgrammeBook(context: context)
        router.post("/programmes") { request, requestContext in
            try requestContext.require(role: .ministry, .regionOfficial)
            let input = try await request.decode(as: ProgrammeInput.self, context: requestContext)
            let terms = try input.validated()
            let principal = try requestContext.requireRegion(terms.regionCode)
            return EditedResponse(status: .created, response: try await book.draft(terms, by: principal))
        }
        router.get("/programmes") { request, _ in
            var validator = Validator()
            let region = RequestValue.query(request, "regionCode", validator: &validator) { $0.divisionCode($1, field: "regionCode") }
            let status = RequestValue.query(request, "status", validator: &validator) {
                $0.oneOf($1, as: ProgrammeStatus.self, field: "status")
            }
            let limit = RequestValue.limit(request, validator: &validator)
            try validator.validate()
            return ProgrammeList(programmes: try await book.list(region: region, status: status, limit: limit))
        }
        router.get("/programmes/:id") { _, requestContext in
            try await book.view(try RequestValue.uuid(requestContext, notFound: SubsidyError.programmeNotFound))
        }
        router.post("/programmes/:id/approval") { _, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.programmeNotFound)
            let principal = try requestContext.require(role: .ministry)
            return try await book.approve(id, by: principal)
        }
        router.post("/programmes/:id/opening") { _, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.programmeNotFound)
            try requestContext.require(role: .ministry, .regionOfficial)
            return try await book.open(id, access: requestContext.regionAccess)
        }
        router.post("/programmes/:id/top-ups") { request, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.programmeNotFound)
            let principal = try requestContext.require(role: .ministry)
            let body = try await request.decode(as: TopUpRequest.self, context: requestContext)
            var validator = Validator()
            validator.fen(body.amount, field: "amount")
            validator.require(body.amount > 0, field: "amount", "must be more than 0 fen")
            validator.text(body.reason, field: "reason", maxLength: 1000)
            try validator.validate()
            return try await book.topUp(id, by: Fen(body.amount), reason: body.reason, principal: principal)
        }
        router.post("/programmes/:id/closure") { request, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.programmeNotFound)
            try requestContext.require(role: .ministry, .regionOfficial)
            let body = try await request.decode(as: ClosureRequest.self, context: requestContext)
            var validator = Validator()
            validator.text(body.reason, field: "reason", maxLength: 1000)
            try validator.validate()
            return try await book.close(id, reason: body.reason, access: requestContext.regionAccess)
        }
    }
}
