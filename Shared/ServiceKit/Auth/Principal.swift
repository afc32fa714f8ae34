import Contracts
import Foundation

/// Who is calling, as proven by a verified bearer token.
///
/// The optional attributes are the role's scope, typed so that a malformed one cannot exist: a regional official's
/// GB/T 2260 region, an enterprise's unified social credit code (check character verified), a ministry official's
/// guiding department.
public struct Principal: Sendable, Hashable {
    /// Stable account identifier (`sub`). An account id, never a phone or ID number.
    public var subject: String
    public var role: Role
    /// The region a `region-official` acts for; required for that role.
    public var regionCode: DivisionCode?
    /// The enterprise an `enterprise` caller acts for; required for that role.
    public var enterpriseCode: UnifiedSocialCreditCode?
    /// The guiding department of a `ministry` official.
    public var department: GuidingDepartment?
    /// When the token stops being valid (`exp`).
    public var expiresAt: Date

    public init(
        subject: String,
        role: Role,
        regionCode: DivisionCode? = nil,
        enterpriseCode: UnifiedSocialCreditCode? = nil,
        department: GuidingDepartment? = nil,
        expiresAt: Date = .distantFuture
    ) {
        self.subject = subject
        self.role = role
        self.regionCode = regionCode
        self.enterpriseCode = enterpriseCode
        self.department = department
        self.expiresAt = expiresAt
    }

    /// A principal from the text a token or a command line carries, or every reason it cannot be one: a malformed
    /// scope (with its check-digit or structure reason) or a scope the role requires and lacks.
    public static func parse(
        subject: String, role: Role, regionCode: String?, enterpriseCode: String?, department: String?,
        expiresAt: Date = .distantFuture
    ) -> Result<Principal, Problem> {
        var validator = Validator()
        var principal = Principal(subject: subject, role: role, expiresAt: expiresAt)
        if let regionCode {
            principal.regionCode = validator.check(field: "regionCode") { try DivisionCode(validating: regionCode) }
        }
        if let enterpriseCode {
            principal.enterpriseCode = validator.check(field: "enterpriseCode") {
                try UnifiedSocialCreditCode(validating: enterpriseCode)
            }
        }
        if let department {
            principal.department = GuidingDepartment(abbreviation: department)
            validator.require(
                principal.department != nil, field: "department",
                "must be one of \(GuidingDepartment.allCases.map(\.abbreviation).joined(separator: ", "))")
        }
        for error in principal.fieldErrors where !validator.errors.contains(where: { $0.field == error.field }) {
            validator.add(field: error.field, reason: error.reason)
        }
        return validator.errors.isEmpty ? .success(principal) : .failure(Problem.validation(validator.errors))
    }

    /// Every scope this principal's role requires and lacks; empty when it is consistent.
    public var fieldErrors: [FieldError] {
        var validator = Validator()
        validator.require(!subject.trimmingCharacters(in: .whitespaces).isEmpty, field: "subject", "is required")
        if role == .regionOfficial, regionCode == nil {
            validator.add(field: "regionCode", reason: "is required for the region-official role")
        }
        if role == .enterprise, enterpriseCode == nil {
            validator.add(field: "enterpriseCode", reason: "is required for the enterprise role")
        }
        return validator.errors
    }

    /// Throws a 422 problem listing ``fieldErrors`` when there are any.
    public func validate() throws(Problem) {
        let errors = fieldErrors
        if !errors.isEmpty { throw Problem.validation(errors) }
    }

    /// Whether this caller may act in `region`: a ministry official anywhere, a regional official in its own region
    /// or any division under it, nobody else.
    public func mayAct(in region: DivisionCode) -> Bool {
        switch role {
        case .ministry: true
        case .regionOfficial: regionCode?.contains(region) ?? false
        default: false
        }
    }
}
