import Foundation

/// Who is calling, as proven by a verified bearer token.
///
/// The optional attributes are the role's scope: a regional official's GB/T 2260 region, an enterprise's unified
/// social credit code, a ministry official's department.
public struct Principal: Sendable, Codable, Hashable {
    /// The six guiding departments of the campaign.
    public static let ministryDepartments: Set<String> = ["MIIT", "MOHURD", "MOA", "MOFCOM", "SAMR", "NRRA"]

    /// Stable account identifier (`sub`). An account id, never a phone or ID number.
    public var subject: String
    public var role: Role
    /// GB/T 2260 code of the region a `region-official` acts for; required for that role.
    public var regionCode: String?
    /// Unified social credit code of the enterprise an `enterprise` caller acts for; required for that role.
    public var enterpriseCode: String?
    /// Department of a `ministry` official: MIIT, MOHURD, MOA, MOFCOM, SAMR or NRRA.
    public var department: String?
    /// When the token stops being valid (`exp`).
    public var expiresAt: Date

    public init(
        subject: String,
        role: Role,
        regionCode: String? = nil,
        enterpriseCode: String? = nil,
        department: String? = nil,
        expiresAt: Date = .distantFuture
    ) {
        self.subject = subject
        self.role = role
        self.regionCode = regionCode
        self.enterpriseCode = enterpriseCode
        self.department = department
        self.expiresAt = expiresAt
    }

    /// Every reason this principal cannot be issued or accepted; empty when it is consistent.
    public var fieldErrors: [FieldError] {
        var validator = Validator()
        validator.require(!subject.trimmingCharacters(in: .whitespaces).isEmpty, field: "subject", "is required")
        if let regionCode {
            validator.require(DivisionScope.isWellFormed(regionCode), field: "regionCode", "must be a 6-digit GB/T 2260 division code")
        } else if role == .regionOfficial {
            validator.add(field: "regionCode", reason: "is required for the region-official role")
        }
        if let enterpriseCode {
            validator.require(
                Self.isWellFormedCreditCode(enterpriseCode), field: "enterpriseCode",
                "must be an 18-character unified social credit code (GB 32100-2015)")
        } else if role == .enterprise {
            validator.add(field: "enterpriseCode", reason: "is required for the enterprise role")
        }
        if let department {
            validator.require(
                Self.ministryDepartments.contains(department), field: "department",
                "must be one of \(Self.ministryDepartments.sorted().joined(separator: ", "))")
        }
        return validator.errors
    }

    /// Throws a 422 problem listing ``fieldErrors`` when there are any.
    public func validate() throws(Problem) {
        let errors = fieldErrors
        if !errors.isEmpty { throw Problem.validation(errors) }
    }

    /// The shape of a unified social credit code: 18 characters from its alphabet (digits and capitals without
    /// I, O, S, V, Z). The check digit is the owning service's concern.
    static func isWellFormedCreditCode(_ code: String) -> Bool {
        let alphabet = Set("0123456789ABCDEFGHJKLMNPQRTUWXY")
        return code.count == 18 && code.allSatisfy { alphabet.contains($0) }
    }
}
