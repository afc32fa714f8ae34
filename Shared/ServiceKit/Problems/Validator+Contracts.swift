import Contracts
import Foundation

/// Checks of the identifiers, dates and words every service reads from requests, each naming the field at fault.
extension Validator {
    /// A GB/T 2260 (or 9/12-digit statistical) division code, its structure checked.
    public mutating func divisionCode(_ text: String, field: String) -> DivisionCode? {
        check(field: field) { () throws -> DivisionCode in
            do {
                return try DivisionCode(validating: text)
            } catch {
                throw Problem.validation(field: "", reason: "must be a valid GB/T 2260 division code: \(error)")
            }
        }
    }

    /// A `YYYY-MM-DD` day.
    public mutating func calendarDate(_ text: String, field: String) -> CalendarDate? {
        guard let date = CalendarDate(text) else {
            add(field: field, reason: "must be a date written YYYY-MM-DD")
            return nil
        }
        return date
    }

    /// A unified social credit code with a valid check character.
    public mutating func creditCode(_ text: String, field: String) -> UnifiedSocialCreditCode? {
        check(field: field) { () throws -> UnifiedSocialCreditCode in
            do {
                return try UnifiedSocialCreditCode(validating: text)
            } catch {
                throw Problem.validation(field: "", reason: "must be a valid unified social credit code: \(error)")
            }
        }
    }

    /// An 18-character resident identity number (GB 11643) with a valid ISO 7064 MOD 11-2 check character.
    public mutating func residentIdentityNumber(_ text: String, field: String) -> ResidentIdentityNumber? {
        check(field: field) { () throws -> ResidentIdentityNumber in
            do {
                return try ResidentIdentityNumber(validating: text)
            } catch {
                throw Problem.validation(field: "", reason: "must be an 18-character resident identity number: \(error)")
            }
        }
    }

    /// A certificate number as the catalogue issues them.
    public mutating func certificateNumber(_ text: String, field: String) -> CertificateNumber? {
        check(field: field) { () throws -> CertificateNumber in
            do {
                return try CertificateNumber(validating: text)
            } catch {
                throw Problem.validation(field: "", reason: "must be a certificate number: \(error)")
            }
        }
    }

    /// Non-empty text of at most `maxLength` characters, counted as JSON Schema's `maxLength` counts them: Unicode
    /// code points (an accented letter written with a combining mark is two).
    public mutating func text(_ value: String, field: String, maxLength: Int) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        require(!trimmed.isEmpty, field: field, "must not be empty")
        require(value.unicodeScalars.count <= maxLength, field: field, "must be at most \(maxLength) characters")
    }

    /// An enumeration value by its raw value.
    public mutating func oneOf<Value: RawRepresentable & CaseIterable>(
        _ text: String, as type: Value.Type, field: String
    ) -> Value? where Value.RawValue == String {
        guard let value = Value(rawValue: text) else {
            add(field: field, reason: "must be one of " + Value.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return value
    }
}
