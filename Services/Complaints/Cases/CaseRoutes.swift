import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// Cases: taken in from every channel (`POST /cases`), read and moved through the workflow by the market regulator
/// they are routed to, counted per respondent; followed, rated and reopened by the complainant with the case
/// number and secret. ``CaseDesk``, ``CaseWorkflow``, ``CaseQueries`` and ``PublicCaseDesk`` do the work.
struct CaseRoutes: Sendable {
    let context: ComplaintsContext

    /// A handler's transition request (`POST /cases/{id}/transitions`).
    struct TransitionRequest: Decodable, Sendable {
        var action: String
        var reasonCode: String?
        var reason: String?
        var mediator: String?
        var agreement: String?
        var compensation: Int64?
        var toDivision: String?
        var violationKind: String?

        func validated() throws(Problem) -> CaseWorkflow.Transition {
            var validator = Validator()
            let action = validator.oneOf(action, as: CaseAction.self, field: "action")
            validator.require(action != .reopen, field: "action", "reopen is the complainant's (POST /public/cases/{caseNumber}/reopening)")
            let reasonCode = reasonCode.flatMap { validator.oneOf($0, as: ComplaintNotAcceptedReason.self, field: "reasonCode") }
            if let reason { validator.text(reason, field: "reason", maxLength: 1000) }
            if let mediator { validator.text(mediator, field: "mediator", maxLength: 200) }
            if let agreement { validator.text(agreement, field: "agreement", maxLength: 2000) }
            if let compensation { validator.fen(compensation, field: "compensation") }
            var division: DivisionCode?
            if let toDivision {
                division = validator.divisionCode(toDivision, field: "toDivision")
                if let division { validator.require(division.rawValue.count == 6, field: "toDivision", "must be a 6-digit division code") }
            }
            let violation = violationKind.flatMap { validator.oneOf($0, as: ViolationKind.self, field: "violationKind") }
            try validator.validate()
            return CaseWorkflow.Transition(
                action: action!, reasonCode: reasonCode, reason: reason, mediator: mediator, agreement: agreement,
                compensation: compensation.map { Fen($0) }, toDivision: division, violationKind: violation)
        }
    }

    struct RatingRequest: Decodable, Sendable {
        var rating: Int
        var comment: String?
    }

    struct ReopenRequest: Decodable, Sendable {
        var reason: String
    }

    static let secretHeader = HTTPField.Name("Case-Secret")!

    func add(to router: Router<AppRequestContext>) {
        let desk = CaseDesk(context: context)
        let workflow = CaseWorkflow(context: context)
        let queries = CaseQueries(context: context)
        let publicDesk = PublicCaseDesk(context: context)
        router.post("/cases") { request, requestContext in
            let principal = requestContext.principal
            let input = try await request.decode(as: CaseInput.self, context: requestContext)
            let intake = try input.validated(today: WorkingDayCalendar.day(of: context.clock.now()), settings: context.settings)
            try Self.authorise(channel: intake.channel, principal: principal)
            return EditedResponse(status: .created, response: try await desk.receive(
                intake, submittedBy: principal?.subject, actor: principal?.actorRole ?? .consumer))
        }
        router.get("/cases") { request, requestContext in
            let principal = try requestContext.require(role: .ministry, .marketRegulator, .regionOfficial)
            let filter = try Self.filter(request)
            return try await queries.list(filter, as: principal)
        }
        router.get("/cases/:id") { _, requestContext in
            let principal = try requestContext.require(role: .ministry, .marketRegulator, .regionOfficial)
            return try await queries.view(try Self.id(requestContext), as: principal)
        }
        router.post("/cases/:id/transitions") { request, requestContext in
            let principal = try requestContext.requireMarketRegulator()
            let id = try Self.id(requestContext)
            let transition = try await request.decode(as: TransitionRequest.self, context: requestContext).validated()
            return try await workflow.apply(transition, to: id, by: .handler(principal))
        }
        router.get("/statistics/respondents") { request, requestContext in
            let principal = try requestContext.require(role: .ministry, .marketRegulator, .regionOfficial)
            return try await queries.statistics(try Self.filter(request), as: principal)
        }
        router.get("/public/cases/:caseNumber") { request, requestContext in
            try await publicDesk.view(try requestContext.parameters.require("caseNumber"), secret: request.headers[Self.secretHeader])
        }
        router.post("/public/cases/:caseNumber/rating") { request, requestContext in
            let body = try await request.decode(as: RatingRequest.self, context: requestContext)
            var validator = Validator()
            validator.require((1...5).contains(body.rating), field: "rating", "must be 1 to 5")
            if let comment = body.comment { validator.text(comment, field: "comment", maxLength: 1000) }
            try validator.validate()
            return try await publicDesk.rate(try requestContext.parameters.require("caseNumber"),
                                             secret: request.headers[Self.secretHeader], rating: body.rating, comment: body.comment)
        }
        router.post("/public/cases/:caseNumber/reopening") { request, requestContext in
            let body = try await request.decode(as: ReopenRequest.self, context: requestContext)
            var validator = Validator()
            validator.text(body.reason, field: "reason", maxLength: 1000)
            try validator.validate()
            return try await publicDesk.reopen(try requestContext.parameters.require("caseNumber"),
                                               secret: request.headers[Self.secretHeader], reason: body.reason)
        }
    }

    /// Who may file through which channel: anyone (no account needed) through the web form, an e-commerce platform
    /// (an `enterprise` token) for its customers, officials and market regulators for every channel (hotline
    /// operators, 12315 hand-over, letters, visits).
    static func authorise(channel: ComplaintChannel, principal: Principal?) throws(Problem) {
        switch principal?.role {
        case nil, .consumer?:
            guard channel == .webForm else {
                throw Problem.forbidden("Without an official's token only the web-form channel is open.", code: "channel-not-allowed")
            }
        case .enterprise?:
            guard channel == .ecommercePlatform else {
                throw Problem.forbidden("An enterprise files only through the ecommerce-platform channel.", code: "channel-not-allowed")
            }
        case .ministry?, .marketRegulator?, .regionOfficial?:
            guard channel != .open311 else {
                throw Problem.forbidden("The open311 channel is the Open311 facade's.", code: "channel-not-allowed")
            }
        default:
            throw Problem.forbidden("This role does not file cases.", code: "role-not-allowed")
        }
    }

    static func id(_ context: AppRequestContext) throws -> UUID {
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw ComplaintsError.caseNotFound(text) }
        return id
    }

    static func filter(_ request: Request) throws(Problem) -> CaseQueries.Filter {
        var validator = Validator()
        var filter = CaseQueries.Filter()
        let query = request.uri.queryParameters
        if let text = query.get("regionCode") { filter.region = validator.divisionCode(text, field: "regionCode") }
        if let text = query.get("respondent") {
            validator.require((1...200).contains(text.unicodeScalars.count), field: "respondent", "must be a credit code or a name of 1 to 200 characters")
            filter.respondent = UnifiedSocialCreditCode(rawValue: text)?.rawValue
                ?? "name:" + text.lowercased().filter { !$0.isWhitespace }
        }
        if let text = query.get("status") { filter.status = validator.oneOf(text, as: CaseStatus.self, field: "status") }
        if let text = query.get("kind") { filter.kind = validator.oneOf(text, as: ComplaintKind.self, field: "kind") }
        if let text = query.get("dueBefore") { filter.dueBefore = validator.calendarDate(text, field: "dueBefore") }
        if let text = query.get("overdue") {
            validator.require(text == "true" || text == "false", field: "overdue", "must be true or false")
            filter.overdue = text == "true"
        }
        if let text = query.get("limit") {
            let value = Int(text)
            validator.require(value.map { (1...500).contains($0) } ?? false, field: "limit", "must be a whole number from 1 to 500")
            filter.limit = value ?? 100
        }
        if let text = query.get("offset") {
            let value = Int(text)
            validator.require(value.map { (0...100_000).contains($0) } ?? false, field: "offset", "must be a whole number from 0 to 100000")
            filter.offset = value ?? 0
        }
        try validator.validate()
        return filter
    }
}
