import Foundation

/// The JOSE header and claims set of a GBM token (JWT, RFC 7519).
struct TokenHeader: Codable {
    var alg: String
    var typ: String?
    /// The signing key's id in the JWKS (asymmetric tokens; HS256 tokens carry none).
    var kid: String?
}

struct TokenClaims: Codable {
    var iss: String
    var sub: String
    var aud: Audience
    var exp: Int64
    var nbf: Int64?
    var iat: Int64?
    var role: Role
    var region: String?
    var enterprise: String?
    /// A certification body's unified social credit code.
    var certificationBody: String?
    var department: String?

    /// `aud` may be one string or an array of them (RFC 7519 §4.1.3).
    enum Audience: Codable, Equatable {
        case one(String)
        case many([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) {
                self = .one(one)
            } else {
                self = .many(try container.decode([String].self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .one(let value): try container.encode(value)
            case .many(let values): try container.encode(values)
            }
        }

        func contains(_ audience: String) -> Bool {
            switch self {
            case .one(let value): value == audience
            case .many(let values): values.contains(audience)
            }
        }
    }
}
