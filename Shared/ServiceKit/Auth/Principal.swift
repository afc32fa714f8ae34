import Contracts
import Foundation

/// Who is calling, as proven by a verified bearer token.
///
/// The optional attributes are the role's scope, typed so that a malformed one cannot exist: a regional official's
/// or a market regulator's GB/T 2260 division, an enterprise's or a certification body's unified social credit code
/// (check character verified), a ministry official's guiding department. ``Role`` tables which role needs which.
public struct Principal: Sendable, Hashable {
    /// Stable account identifier (`sub`). An account id, never a phone or ID number.
    public var subject: String
    public var role: Role
    /// The region a `region-official` acts for, or the division a `market-regulator` bureau oversees (six digits:
    /// province, city or county); required for both roles.
    public var regionCode: DivisionCode?
    /// The enterprise an `enterprise` caller acts for; required for that role.
    public var enterpriseCode: UnifiedSocialCreditCode?
    /// The certification body a `certification-body` caller acts for (claim `certificationBody`, its unified social
    /// credit code); required for that role. The certificates it issues are recorded as its own, and it may change
    /// no other body's.
    public var certificationBodyCode: UnifiedSocialCreditCode?
    /// The guiding department of a `ministry` official.
    public var department: GuidingDepartment?
    /// When the token stops being valid (`exp`).
    public var expiresAt: Date

    public init(
        subject: String,
        role: Role,
        regionCode: DivisionCode? = nil,
        enterpriseCode: UnifiedSocialCreditCode? = nil,
        certificationBodyCode: UnifiedSocialCreditCode? = nil,
        department: GuidingDepartment? = nil,
        expiresAt: Date = .distantFuture
    ) {
        self.subject = subject
        self.role = role
        self.regionCode = regionCode
        self.enterpriseCode = enterpriseCode
        self.certificationBodyCode = certificationBodyCode
        self.department = department
        self.expiresAt = expiresAt
    }

    /// A principal from the text a token or a command line carries, or every reason it cannot be one: a malformed
    /// scope (with its check-digit or structure reason) or a scope the role requires and lacks.
    public static func parse(
        subject: String, role: Role, regionCode: String?, enterpriseCode: String?,
        certificationBodyCode: String? = nil, department: String?, expiresAt: Date = .distantFuture
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
        if let certificationBodyCode {
            principal.certificationBodyCode = validator.check(field: "certificationBodyCode") {
                try UnifiedSocialCreditCode(validating: certificationBodyCode)
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
        if role == .marketRegulator {
            if let regionCode {
                validator.require(
                    regionCode.rawValue.count == 6, field: "regionCode",
                    "must be a 6-digit province, city or county code for the market-regulator role")
            } else {
                validator.add(field: "regionCode", reason: "is required for the market-regulator role")
            }
        }
        if role == .certificationBody, certificationBodyCode == nil {
            validator.add(
                field: "certificationBodyCode",
                reason: "is required for the certification-body role (the body's unified social credit code)")
        }
        return validator.errors
    }

    /// Throws a 422 problem listing ``fieldErrors`` when there are any.
    public func validate() throws(Problem) {
        let errors = fieldErrors
        if !errors.isEmpty { throw Problem.validation(errors) }
    }

    /// Whether this caller may act in `region` as its administration: a ministry official anywhere, a regional
    /// official in its own region or any division under it, nobody else (a market regulator oversees its division,
    /// ``mayRegulate(in:)``, but does not run the region's campaign).
    public func mayAct(in region: DivisionCode) -> Bool {
        switch role {
        case .ministry: true
        case .regionOfficial: regionCode?.contains(region) ?? false
        default: false
        }
    }

    /// Whether this caller may read the figures of `region` (`nil`: the national figures): ministry officials and the
    /// promotion group everything, a regional official its own region and the divisions under it, nobody else.
    public func mayView(_ region: DivisionCode?) -> Bool {
        switch role {
        case .ministry, .promotionGroup: true
        case .regionOfficial: region.map { regionCode?.contains($0) ?? false } ?? false
        default: false
        }
    }
}
