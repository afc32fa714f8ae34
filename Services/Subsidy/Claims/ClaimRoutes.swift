import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// Claims: submitted by an enrolled seller at the point of sale or by the buyer, decided at once; read by those
/// entitled to (``ClaimView/visible(region:seller:submittedBy:submitterRole:to:)``); reviewed and clawed back by
/// officials. ``ClaimDesk`` and ``ClaimReviews`` do the work.
struct ClaimRoutes: Sendable {
    let context: SubsidyContext

    struct ReviewRequest: Decodable, Sendable {
        var decision: String
        var comment: String?
    }

    struct ClawbackRequest: Decodable, Sendable {
        var reason: String
    }

    struct ClaimList: ResponseEncodable, Sendable {
        var claims: [ClaimView]
    }

    func add(to router: Router<AppRequestContext>) {
        let desk = ClaimDesk(context: context)
        let reviews = ClaimReviews(context: context)
        router.post("/claims") { request, requestContext in
            let principal = try requestContext.require(role: .enterprise, .consumer)
            var key: String?
            if let header = request.headers[.idempotencyKey] {
                var validator = Validator()
                validator.require((1...200).contains(header.count) && header.allSatisfy { $0.isASCII && !$0.isWhitespace },
                                  field: "Idempotency-Key", "must be 1 to 200 visible ASCII characters")
                try validator.validate()
                key = header
            }
            let body = try await request.body.collect(upTo: requestContext.maxUploadSize)
            let input = try ProblemReportingJSONDecoder().decode(ClaimInput.self, from: body)
            let claim = try input.validated(today: WorkingDayCalendar.day(of: context.clock.now()))
            if principal.role == .enterprise, principal.enterpriseCode != claim.seller {
                throw SubsidyError.sellerMismatch(claim.seller.rawValue)
            }
            let submitter = ClaimDesk.Submitter(subject: principal.subject, role: principal.actorRole)
            let idempotency = key.map { ClaimDesk.Idempotency(key: $0, requestSHA256: ClaimDesk.fingerprint(body.readableBytesView)) }
            let (view, created) = try await desk.submit(claim, by: submitter, idempotency: idempotency)
            return EditedResponse(status: created ? .created : .ok, response: view)
        }
        router.get("/claims") { request, requestContext in
            let principal = try requestContext.requirePrincipal()
            var validator = Validator()
            var filter = ClaimFilter()
            filter.programmeID = RequestValue.query(request, "programmeID", validator: &validator) { validator, text in
                let id = UUID(uuidString: text)
                validator.require(id != nil, field: "programmeID", "must be a programme id (a UUID)")
                return id
            }
            filter.region = RequestValue.query(request, "regionCode", validator: &validator) { $0.divisionCode($1, field: "regionCode") }
            filter.seller = RequestValue.query(request, "sellerCreditCode", validator: &validator) {
                $0.creditCode($1, field: "sellerCreditCode")
            }
            filter.status = RequestValue.query(request, "status", validator: &validator) { $0.oneOf($1, as: ClaimStatus.self, field: "status") }
            filter.before = RequestValue.query(request, "before", validator: &validator) { validator, text in
                let id = UUID(uuidString: text)
                validator.require(id != nil, field: "before", "must be a claim id (a UUID)")
                return id
            }
            filter.limit = RequestValue.limit(request, validator: &validator)
            try validator.validate()
            return ClaimList(claims: try await desk.list(filter, as: principal))
        }
        router.get("/claims/:id") { _, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.claimNotFound)
            return try await desk.view(id, as: try requestContext.requirePrincipal())
        }
        router.post("/claims/:id/reviews") { request, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.claimNotFound)
            try requestContext.require(role: .ministry, .regionOfficial)
            let body = try await request.decode(as: ReviewRequest.self, context: requestContext)
            var validator = Validator()
            let decision = validator.oneOf(body.decision, as: ClaimReviewDecision.self, field: "decision")
            if let comment = body.comment { validator.text(comment, field: "comment", maxLength: 1000) }
            try validator.validate()
            return try await reviews.review(id, decision: decision!, comment: body.comment, access: requestContext.regionAccess)
        }
        router.post("/claims/:id/clawback") { request, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.claimNotFound)
            try requestContext.require(role: .ministry, .regionOfficial)
            let body = try await request.decode(as: ClawbackRequest.self, context: requestContext)
            var validator = Validator()
            validator.text(body.reason, field: "reason", maxLength: 1000)
            try validator.validate()
            return try await reviews.clawBack(id, reason: body.reason, access: requestContext.regionAccess)
        }
    }
}

extension HTTPField.Name {
    /// `Idempotency-Key`: a retried submission with the same key and body returns the first one's claim.
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
