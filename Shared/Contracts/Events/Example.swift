import Foundation

/// Building blocks of the payloads' `example` values. The literals are valid (the tests decode every example),
/// so unwrapping them cannot fail.
enum Example {
    static func creditCode(_ text: String) -> UnifiedSocialCreditCode { UnifiedSocialCreditCode(rawValue: text)! }
    static func division(_ text: String) -> DivisionCode { DivisionCode(rawValue: text)! }
    static func certificate(_ text: String) -> CertificateNumber { CertificateNumber(rawValue: text)! }
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }
    static func time(_ text: String) -> Date { InternetDateTime.date(from: text)! }
    static let consumer = ConsumerRef(rawValue: "3f9a1c5e7b2d4f6081a3c5e7092b4d6f8a1c3e5f7092b4d6e8f0a1c3e5b7d9f1")!
    static let digest = "9b2d4f6081a3c5e7092b4d6f8a1c3e5f7092b4d6e8f0a1c3e5b7d9f13f9a1c5e"
}
