import ServiceKit

/// Signed tokens for the roles the tests act as.
enum Tokens {
    static let signer = TokenSigner(configuration: AuthConfiguration())

    static func region(_ code: String) -> String {
        signer.sign(Principal(subject: "official-\(code)", role: .regionOfficial, regionCode: code), ttl: .seconds(3600))
    }

    static func ministry(_ department: String?) -> String {
        signer.sign(Principal(subject: "ministry-\(department ?? "none")", role: .ministry, department: department), ttl: .seconds(3600))
    }

    static let consumer = signer.sign(Principal(subject: "consumer-1", role: .consumer), ttl: .seconds(3600))
}
