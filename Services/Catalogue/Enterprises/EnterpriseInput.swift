import Contracts
import ServiceKit

/// The body of an enterprise registration or update, as sent: every field is checked and every problem is
/// reported at once, naming the field.
struct EnterpriseInput: Decodable, Sendable {
    var creditCode: String?
    var name: String?
    var kind: String?
    var regionCode: String?
    var address: String?
    var contactName: String?
    var contactPhone: String?
    var isChainLeader: Bool?
    var industrialCluster: String?

    /// The checked values; on a registration the required fields must all be present.
    struct Checked: Sendable {
        var creditCode: UnifiedSocialCreditCode?
        var name: String?
        var kind: EnterpriseKind?
        var regionCode: DivisionCode?
        var address: String?
        var contactName: String?
        var contactPhone: String?
        var isChainLeader: Bool?
        var industrialCluster: String?
    }

    func check(registration: Bool) throws(Problem) -> Checked {
        var validator = Validator()
        var checked = Checked()
        func required(_ value: String?, _ field: String) -> Bool {
            if registration && (value?.trimmingCharacters(in: .whitespaces) ?? "").isEmpty {
                validator.add(field: field, reason: "is required")
                return false
            }
            return value != nil
        }
        if required(creditCode, "creditCode"), let creditCode {
            checked.creditCode = validator.check(field: "creditCode") { try UnifiedSocialCreditCode(validating: creditCode) }
        }
        if required(name, "name"), let name {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            validator.require(!trimmed.isEmpty && trimmed.count <= 200, field: "name", "must be 1–200 characters")
            checked.name = trimmed
        }
        if required(kind, "kind"), let kind {
            checked.kind = EnterpriseKind(rawValue: kind)
            validator.require(checked.kind != nil, field: "kind",
                              "must be one of \(EnterpriseKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if required(regionCode, "regionCode"), let regionCode {
            checked.regionCode = validator.check(field: "regionCode") { try DivisionCode(validating: regionCode) }
        }
        if required(address, "address"), let address {
            let trimmed = address.trimmingCharacters(in: .whitespaces)
            validator.require(!trimmed.isEmpty && trimmed.count <= 300, field: "address", "must be 1–300 characters")
            checked.address = trimmed
        }
        if let contactName {
            validator.require(contactName.count <= 100, field: "contactName", "must be at most 100 characters")
            checked.contactName = contactName
        }
        if let contactPhone {
            let digits = contactPhone.filter { $0 != " " && $0 != "-" }
            validator.require(
                (7...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "+") },
                field: "contactPhone", "must be a phone number of 7–15 digits")
            checked.contactPhone = digits
        }
        checked.isChainLeader = isChainLeader
        if let industrialCluster {
            validator.require(industrialCluster.count <= 200, field: "industrialCluster", "must be at most 200 characters")
            checked.industrialCluster = industrialCluster.isEmpty ? nil : industrialCluster
        }
        try validator.validate()
        return checked
    }
}
