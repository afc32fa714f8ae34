import Contracts
import ServiceKit

/// A certificate to issue, as sent by a certification body or as one row of a national list batch: all
/// fields as text, checked together so that every bad field is reported at once.
struct CertificateDraftInput: Decodable, Sendable {
    var certificateNumber: String?
    var holderCreditCode: String?
    var manufacturerCreditCode: String?
    var factoryName: String?
    var certificationBody: String?
    var productName: String?
    var model: String?
    var category: String?
    var subCategory: String?
    var starGrade: String?
    var certificationBasis: String?
    var issuedOn: String?
    var expiresOn: String?
    /// The issuing body's unified social credit code: a national list row may name it (the body may then change
    /// the certificate); a certification body issuing through `POST /certificates` is the issuer its token names.
    var certificationBodyCode: String?

    /// The column names of a national list CSV file, in this order.
    static let fields = [
        "certificateNumber", "holderCreditCode", "manufacturerCreditCode", "factoryName", "certificationBody",
        "productName", "model", "category", "subCategory", "starGrade", "certificationBasis", "issuedOn", "expiresOn",
        "certificationBodyCode",
    ]

    init(values: [String: String]) {
        func value(_ key: String) -> String? {
            guard let text = values[key]?.trimmingSpaces, !text.isEmpty else { return nil }
            return text
        }
        certificateNumber = value("certificateNumber")
        holderCreditCode = value("holderCreditCode")
        manufacturerCreditCode = value("manufacturerCreditCode")
        factoryName = value("factoryName")
        certificationBody = value("certificationBody")
        productName = value("productName")
        model = value("model")
        category = value("category")
        subCategory = value("subCategory")
        starGrade = value("starGrade")
        certificationBasis = value("certificationBasis")
        issuedOn = value("issuedOn")
        expiresOn = value("expiresOn")
        certificationBodyCode = value("certificationBodyCode")
    }

    /// The draft, or every field error (field names as in the input).
    func check() -> Result<CertificateDraft, FieldErrors> {
        var validator = Validator()
        func text(_ value: String?, _ field: String, max: Int = 200) -> String? {
            guard let value = value?.trimmingSpaces, !value.isEmpty else {
                validator.add(field: field, reason: "is required")
                return nil
            }
            guard value.unicodeScalars.count <= max else {
                validator.add(field: field, reason: "must be at most \(max) characters")
                return nil
            }
            return value
        }
        func code(_ value: String?, _ field: String) -> UnifiedSocialCreditCode? {
            guard let value = text(value, field) else { return nil }
            return validator.check(field: field) { try UnifiedSocialCreditCode(validating: value) }
        }
        func date(_ value: String?, _ field: String, within range: ClosedRange<CalendarDate>) -> CalendarDate? {
            guard let value = text(value, field) else { return nil }
            guard let date = CalendarDate(value) else {
                validator.add(field: field, reason: "must be a date YYYY-MM-DD")
                return nil
            }
            guard range.contains(date) else {
                validator.add(field: field, reason: "must be a date from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return date
        }
        let number = text(certificateNumber, "certificateNumber").flatMap { value -> CertificateNumber? in
            let number = CertificateNumber(rawValue: value)
            if number == nil { validator.add(field: "certificateNumber", reason: CertificateNumber.rule) }
            return number
        }
        let holder = code(holderCreditCode, "holderCreditCode")
        let manufacturer = manufacturerCreditCode == nil ? holder : code(manufacturerCreditCode, "manufacturerCreditCode")
        let factory = factoryName.flatMap { $0.isEmpty ? nil : $0 }
        if let factory, factory.count > 200 { validator.add(field: "factoryName", reason: "must be at most 200 characters") }
        let body = text(certificationBody, "certificationBody")
        let bodyCode = certificationBodyCode.flatMap { code($0, "certificationBodyCode") }
        let product = text(productName, "productName")
        let modelText = text(model, "model")
        let categoryValue = text(category, "category").flatMap { value -> ProductCategory? in
            let category = ProductCategory(rawValue: value)
            if category == nil {
                validator.add(field: "category", reason: "unknown category; must be one of "
                              + ProductCategory.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return category
        }
        var sub = text(subCategory, "subCategory")
        if let category = categoryValue, let value = sub {
            // Accept the short form ("thermal-insulation") as well as the full code.
            let full = value.contains("/") ? value : "\(category.rawValue)/\(value)"
            if CategoryTree.contains(subCategory: full, in: category) {
                sub = full
            } else {
                validator.add(field: "subCategory", reason: "unknown sub-category of \(category.rawValue); must be one of "
                              + CategoryTree.subCategoryCodes(of: category).joined(separator: ", "))
                sub = nil
            }
        }
        let grade = text(starGrade, "starGrade").flatMap { value -> StarGrade? in
            let grade = StarGrade(rawValue: value)
            if grade == nil {
                validator.add(field: "starGrade", reason: "must be one of " + StarGrade.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return grade
        }
        let basis = text(certificationBasis, "certificationBasis", max: 100)
        let issued = date(issuedOn, "issuedOn", within: CertificateDraft.issueDates)
        var expires: CalendarDate?
        if expiresOn != nil {
            expires = date(expiresOn, "expiresOn", within: CertificateDraft.expiryDates)
        } else if let issued {
            expires = CertificateDraft.defaultExpiry(issuedOn: issued)
            if expires == nil { validator.add(field: "expiresOn", reason: "is required for this issue date") }
        }
        if let issued, let expiry = expires, expiry <= issued {
            validator.add(field: "expiresOn", reason: "must be after issuedOn (\(issued))")
        }
        guard validator.isValid, let number, let holder, let manufacturer, let body, let product, let modelText,
              let categoryValue, let sub, let grade, let basis, let issued, let expires
        else { return .failure(FieldErrors(errors: validator.errors)) }
        return .success(CertificateDraft(
            number: number, holder: holder, manufacturer: manufacturer, factoryName: factory,
            certificationBody: body, certificationBodyCode: bodyCode, productName: product, model: modelText, category: categoryValue, subCategory: sub,
            starGrade: grade, certificationBasis: basis, issuedOn: issued, expiresOn: expires))
    }
}

/// Field errors as an error value (for `Result`).
struct FieldErrors: Error, Sendable {
    var errors: [FieldError]
}

/// A checked certificate, ready to issue.
struct CertificateDraft: Sendable, Equatable {
    var number: CertificateNumber
    var holder: UnifiedSocialCreditCode
    var manufacturer: UnifiedSocialCreditCode
    var factoryName: String?
    /// The body's name as printed on the certificate.
    var certificationBody: String
    /// The issuing body, which alone may change the certificate (nil: only ministry officials may).
    var certificationBodyCode: UnifiedSocialCreditCode?
    var productName: String
    var model: String
    var category: ProductCategory
    var subCategory: String
    var starGrade: StarGrade
    var certificationBasis: String
    var issuedOn: CalendarDate
    var expiresOn: CalendarDate

    /// The days a certificate can have been issued on: green building material certification began long after
    /// 2000, and a date past 2099 is a typing error. Checked before anything is computed from the date.
    static let issueDates = CalendarDate(year: 2000, month: 1, day: 1)!...CalendarDate(year: 2099, month: 12, day: 31)!
    /// The days a certificate can expire on, renewals included.
    static let expiryDates = CalendarDate(year: 2000, month: 1, day: 2)!...CalendarDate(year: 2199, month: 12, day: 31)!

    /// A certificate is valid five years: to the day before the fifth anniversary of issue (28 February for an
    /// issue on 29 February); nil past the last expiry date this register accepts.
    static func defaultExpiry(issuedOn: CalendarDate) -> CalendarDate? {
        guard let anniversary = CalendarDate(year: issuedOn.year + 5, month: issuedOn.month, day: issuedOn.day)
            ?? CalendarDate(year: issuedOn.year + 5, month: issuedOn.month, day: 28)
        else { return nil }
        let expiry = anniversary.adding(days: -1)
        return expiryDates.contains(expiry) ? expiry : nil
    }
}

extension String {
    /// Without leading and trailing tabs and spaces (Unicode space separators), as
    /// `trimmingCharacters(in: .whitespaces)`; a text with none, the usual case in an import, is not copied.
    var trimmingSpaces: String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
        }
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else { return self }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
              let end = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[start...end])
    }
}
