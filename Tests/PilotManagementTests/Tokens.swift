import Contracts
import ServiceKit

/// Signed tokens for the roles the tests act as.
enum Tokens {
    static let signer = TokenSigner(configuration: AuthConfiguration())

    static func region(_ code: String) -> String {
        signer.sign(
            Principal(subject: "official-\(code)", role: .regionOfficial, regionCode: DivisionCode(rawValue: code)),
            ttl: .seconds(3600))
    }

    /// A ministry official of the department with this abbreviation (`MIIT`), or of none.
    static func ministry(_ department: String?) -> String {
        signer.sign(
            Principal(subject: "ministry-\(department ?? "none")", role: .ministry,
                      department: department.flatMap(GuidingDepartment.init(abbreviation:))),
            ttl: .seconds(3600))
    }

    static let consumer = signer.sign(Principal(subject: "consumer-1", role: .consumer), ttl: .seconds(3600))
}
