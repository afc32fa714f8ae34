import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Enrolment and withdrawal of a region's participants, its participant list and its industrial chain;
/// ``ParticipantRoll`` does the work.
struct ParticipantRoutes: Sendable {
    let context: PilotContext

    struct EnrolmentRequest: Decodable, Sendable {
        var creditCode: String
        var salesZone: String?
        var pledgedDiscountBasisPoints: Int
        var isChainLeader: Bool?
        var industrialCluster: String?

        static let schema: JSONSchema = .object([
            .required("creditCode", .creditCode, "Unified social credit code of an enterprise in the catalogue's directory."),
            .optional("salesZone", .text(maxLength: 300), "The sales zone (销售专区) it runs for the campaign."),
            .required("pledgedDiscountBasisPoints", .basisPoints, "The discount (让利) it pledges, basis points of the price."),
            .optional("isChainLeader", .boolean, "Whether it leads a chain (链主); default: the catalogue's word."),
            .optional("industrialCluster", .text(maxLength: 200), "Its industrial cluster; default: the catalogue's."),
        ])
    }

    struct WithdrawalRequest: Decodable, Sendable {
        var reason: String

        static let schema: JSONSchema = .object([.required("reason", .text(maxLength: 500), "Why it is withdrawn.")])
    }

    struct ParticipantList: ResponseEncodable, Sendable {
        var participants: [ParticipantView]
    }

    func add(to router: Router<AppRequestContext>) {
        let roll = ParticipantRoll(context: context)
        router.post("/regions/:code/participants") { request, requestContext in
            let region = try RequestValue.regionCode(requestContext)
            try requestContext.requireRegion(region)
            let body = try await request.decode(as: EnrolmentRequest.self, schema: EnrolmentRequest.schema, context: requestContext)
            var validator = Validator()
            let creditCode = validator.creditCode(body.creditCode, field: "creditCode")
            validator.require((0...10_000).contains(body.pledgedDiscountBasisPoints), field: "pledgedDiscountBasisPoints",
                              "must be 0 to 10000 basis points")
            if let zone = body.salesZone { validator.text(zone, field: "salesZone", maxLength: 300) }
            if let cluster = body.industrialCluster { validator.text(cluster, field: "industrialCluster", maxLength: 200) }
            try validator.validate()
            guard let creditCode else { throw Problem.validation(validator.errors) }
            let enrolment = ParticipantRoll.Enrolment(
                creditCode: creditCode, salesZone: body.salesZone, pledgedDiscountBasisPoints: body.pledgedDiscountBasisPoints,
                isChainLeader: body.isChainLeader, industrialCluster: body.industrialCluster)
            return EditedResponse(status: .created, response: try await roll.enrol(enrolment, in: region))
        }
        router.get("/regions/:code/participants") { request, requestContext in
            let region = try RequestValue.regionCode(requestContext)
            try requestContext.requireRegion(region)
            let status = request.uri.queryParameters.get("status")
            if let status, !ParticipantView.statuses.contains(status) {
                throw Problem.validation(
                    field: "status", reason: "must be one of " + ParticipantView.statuses.joined(separator: ", "))
            }
            return ParticipantList(participants: try await roll.participants(of: region, status: status))
        }
        router.get("/regions/:code/industrial-chain") { _, requestContext in
            let region = try RequestValue.regionCode(requestContext)
            try requestContext.requireRegion(region)
            return try await roll.industrialChain(of: region)
        }
        router.post("/participants/:id/withdrawal") { request, requestContext in
            let id = try RequestValue.uuid(try requestContext.parameters.require("id"), notFound: PilotError.participantNotFound)
            try requestContext.require(role: .ministry, .regionOfficial)
            let body = try await request.decode(as: WithdrawalRequest.self, schema: WithdrawalRequest.schema, context: requestContext)
            var validator = Validator()
            validator.text(body.reason, field: "reason", maxLength: 500)
            try validator.validate()
            return try await roll.withdraw(id, reason: body.reason, access: requestContext.regionAccess)
        }
    }
}
