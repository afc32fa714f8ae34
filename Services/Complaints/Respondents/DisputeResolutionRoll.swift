import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// The enterprises enrolled in online dispute resolution (在线消费纠纷解决, ODR): they have undertaken to settle a
/// consumer's complaint with the consumer first, so a complaint against one of them may go to firm-first settlement
/// (10 working days) before mediation; a complaint against any other respondent goes straight to mediation.
///
/// Market regulators keep the roll: a bureau for the enterprises registered in its division (the division in the
/// credit code), SAMR for any. Enrolment and withdrawal are kept with who did them and when; the roll is public,
/// as the regulators publish it for consumers.
struct DisputeResolutionRoll: Sendable {
    let context: ComplaintsContext

    struct Input: Decodable, Sendable {
        /// The day the enterprise's undertaking takes effect (today when absent).
        var enrolledOn: String?
    }

    struct Entry: ResponseEncodable, Codable, Sendable {
        var creditCode: String
        var enterpriseName: String?
        var enrolledOn: String
        var enrolledBy: String
        var enrolledAt: Date
    }

    struct List: ResponseEncodable, Codable, Sendable {
        var enterprises: [Entry]
    }

    /// Enrols `enterprise` (again, with the new day, if it was enrolled before).
    func enrol(_ enterprise: UnifiedSocialCreditCode, on day: CalendarDate, by principal: Principal) async throws -> Entry {
        let now = context.clock.now()
        try await context.pool.query("""
            INSERT INTO odr_enrolment (credit_code, enrolled_on, enrolled_by, enrolled_at)
            VALUES (\(enterprise.rawValue), \(day.description)::date, \(principal.subject), \(now))
            ON CONFLICT (credit_code) DO UPDATE SET enrolled_on = EXCLUDED.enrolled_on,
                enrolled_by = EXCLUDED.enrolled_by, enrolled_at = EXCLUDED.enrolled_at
            """)
        return try await entry(enterprise.rawValue)
    }

    /// Takes `enterprise` off the roll: complaints against it no longer go to firm-first settlement (one already in
    /// settlement runs its course).
    func withdraw(_ enterprise: UnifiedSocialCreditCode) async throws {
        let rows = try await context.pool.query(
            "DELETE FROM odr_enrolment WHERE credit_code = \(enterprise.rawValue) RETURNING credit_code")
        guard rows.first != nil else { throw ComplaintsError.notEnrolledInODR(enterprise.rawValue) }
    }

    func entry(_ code: String) async throws -> Entry {
        let rows = try await context.pool.query("\(unescaped: Self.select) WHERE o.credit_code = \(code)")
        guard let row = rows.first else { throw ComplaintsError.notEnrolledInODR(code) }
        return try Self.entry(row)
    }

    func list() async throws -> List {
        let rows = try await context.pool.query("\(unescaped: Self.select) ORDER BY o.credit_code")
        return List(enterprises: try rows.rows.map(Self.entry))
    }

    private static let select = """
        SELECT o.credit_code, e.name, o.enrolled_on::text AS enrolled_on, o.enrolled_by, o.enrolled_at
        FROM odr_enrolment AS o LEFT JOIN known_enterprise AS e USING (credit_code)
        """

    private static func entry(_ row: PostgresRow) throws -> Entry {
        Entry(creditCode: try row.decode("credit_code", as: String.self), enterpriseName: try row.decode("name", as: String?.self),
              enrolledOn: try row.decode("enrolled_on", as: String.self), enrolledBy: try row.decode("enrolled_by", as: String.self),
              enrolledAt: try row.decode("enrolled_at", as: Date.self))
    }
}

/// `PUT`/`DELETE /odr-enterprises/{creditCode}` (market regulators) and `GET /public/odr-enterprises` (anyone).
struct DisputeResolutionRoutes: Sendable {
    let context: ComplaintsContext

    func add(to router: Router<AppRequestContext>) {
        let roll = DisputeResolutionRoll(context: context)
        router.put("/odr-enterprises/:creditCode") { request, requestContext in
            let enterprise = try Self.enterprise(requestContext)
            let principal = try Self.requireKeeper(of: enterprise, requestContext)
            let input = try await request.decode(as: DisputeResolutionRoll.Input.self, context: requestContext)
            var validator = Validator()
            let day = input.enrolledOn.flatMap { validator.calendarDate($0, field: "enrolledOn") }
            try validator.validate()
            return try await roll.enrol(enterprise, on: day ?? WorkingDayCalendar.day(of: context.clock.now()), by: principal)
        }
        router.delete("/odr-enterprises/:creditCode") { _, requestContext in
            // No enterprise with a malformed code is on the roll.
            let text = try requestContext.parameters.require("creditCode")
            guard let enterprise = try? UnifiedSocialCreditCode(validating: text) else {
                try requestContext.requireMarketRegulator()
                throw ComplaintsError.notEnrolledInODR(String(text.prefix(18)))
            }
            try Self.requireKeeper(of: enterprise, requestContext)
            try await roll.withdraw(enterprise)
            return Response(status: .noContent)
        }
        router.get("/public/odr-enterprises") { _, _ in
            try await roll.list()
        }
    }

    static func enterprise(_ requestContext: AppRequestContext) throws -> UnifiedSocialCreditCode {
        var validator = Validator()
        let code = validator.creditCode(try requestContext.parameters.require("creditCode"), field: "creditCode")
        try validator.validate()
        return code!
    }

    /// A market regulator whose division holds the enterprise's registration (SAMR: any).
    @discardableResult
    static func requireKeeper(of enterprise: UnifiedSocialCreditCode, _ requestContext: AppRequestContext) throws -> Principal {
        let principal = try requestContext.requireMarketRegulator()
        guard principal.role == .marketRegulator else { return principal }
        guard let division = DivisionCode(rawValue: enterprise.registrationRegion),
              principal.regionCode?.contains(division) == true else {
            throw Problem.forbidden(
                "A market regulator of \(principal.regionCode?.rawValue ?? "no division") keeps the roll only for enterprises registered there (this one: \(enterprise.registrationRegion)).",
                code: "division-not-allowed")
        }
        return principal
    }
}
