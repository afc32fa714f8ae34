import Foundation

/// What `gbm-token` does, as a function tests can call: parse the command-line values, validate the principal and
/// sign a token with the configured secret.
public struct TokenIssuer: Sendable {
    public let configuration: AuthConfiguration

    public init(configuration: AuthConfiguration) {
        self.configuration = configuration
    }

    /// A signed token, or a 422 problem naming every unusable argument (unknown role, missing or malformed region,
    /// missing enterprise or certification body code, unknown department, non-positive ttl).
    public func issue(
        role roleName: String,
        subject: String,
        regionCode: String? = nil,
        enterpriseCode: String? = nil,
        certificationBodyCode: String? = nil,
        department: String? = nil,
        ttlSeconds: Int
    ) throws(Problem) -> String {
        try TokenSigner(configuration: configuration).issue(
            principal(role: roleName, subject: subject, regionCode: regionCode, enterpriseCode: enterpriseCode,
                      certificationBodyCode: certificationBodyCode, department: department, ttlSeconds: ttlSeconds),
            ttl: .seconds(ttlSeconds))
    }

    /// The principal the arguments describe, or a 422 problem naming every unusable argument (as ``issue``).
    public func principal(
        role roleName: String,
        subject: String,
        regionCode: String? = nil,
        enterpriseCode: String? = nil,
        certificationBodyCode: String? = nil,
        department: String? = nil,
        ttlSeconds: Int
    ) throws(Problem) -> Principal {
        guard let role = Role(rawValue: roleName) else {
            let roles = Role.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem.validation(field: "role", reason: "must be one of \(roles)")
        }
        var errors: [FieldError] = []
        var principal: Principal?
        switch Principal.parse(
            subject: subject, role: role, regionCode: regionCode, enterpriseCode: enterpriseCode,
            certificationBodyCode: certificationBodyCode, department: department)
        {
        case .success(let parsed): principal = parsed
        case .failure(let problem): errors = problem.errors
        }
        if ttlSeconds <= 0 { errors.append(FieldError(field: "ttl", reason: "must be a positive number of seconds")) }
        guard let principal, errors.isEmpty else { throw Problem.validation(errors) }
        return principal
    }
}
