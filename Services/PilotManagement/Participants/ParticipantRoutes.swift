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
    }

    struct WithdrawalRequest: Decodable, Sendable {
        var reason: String
    }

    struct ParticipantList: ResponseEncodable, Sendable {
        var participants: [ParticipantView]
    }

    func add(to router: Router<AppRequestContext>) {
        let roll = ParticipantRoll(context: context)
        router.post("/regions/:code/participants") { request, requestContext in
            let region = try RequestValue.regionCode(requestContext)
            try requestContext.requireRegion(region)
            let body = try await request.decode(as: EnrolmentRequest.self, context: requestContext)
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
            let body = try await request.decode(as: WithdrawalRequest.self, context: requestContext)
            var validator = Validator()
            validator.text(body.reason, field: "reason", maxLength: 500)
            try validator.validate()
            return try await roll.withdraw(id, reason: body.reason, access: requestContext.regionAccess)
        }
    }
}
