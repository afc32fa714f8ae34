import Contracts
import Crypto
import Foundation
import ServiceKit

/// An intake (`POST /cases`): a consultation, complaint or report from any channel, and its checks: every malformed
/// field at once, by name. A respondent or certificate the service does not know is accepted (consumers do not
/// know codes) and flagged later; a malformed credit code or certificate number is refused.
struct CaseInput: Decodable, Sendable {
    struct AttachmentInput: Decodable, Sendable {
        var fileName: String
        var mediaType: String
        /// The file, base64-encoded.
        var content: String
        /// The SHA-256 the sender computed, checked when given.
        var sha256: String?
    }

    var kind: String
    var channel: String
    var category: String
    var regionCode: String
    /// The county (or city) under the region where it happened, when known: the case is routed there.
    var countyCode: String?
    var complainantName: String
    var complainantPhone: String
    var complainantIDNumber: String?
    var respondentCreditCode: String?
    var respondentName: String?
    var certificateNumber: String?
    var claimID: String?
    var purchasedOn: String?
    var amountInDispute: Int64?
    var facts: String
    var demands: String?
    var attachments: [AttachmentInput]?

    /// The media types an attachment may have, with the leading bytes each file of that type starts with.
    static let mediaTypes: [String: [UInt8]] = [
        "image/jpeg": [0xFF, 0xD8, 0xFF],
        "image/png": [0x89, 0x50, 0x4E, 0x47],
        "application/pdf": Array("%PDF".utf8),
    ]
    nonisolated(unsafe) static let phoneDigits = /[0-9][0-9\- ]{5,18}[0-9]/

    func validated(today: CalendarDate, settings: ComplaintsSettings) throws(Problem) -> Intake {
        var validator = Validator()
        let kind = validator.oneOf(kind, as: ComplaintKind.self, field: "kind")
        let channel = validator.oneOf(channel, as: ComplaintChannel.self, field: "channel")
        let category = validator.oneOf(category, as: ComplaintCategory.self, field: "category")
        let region = validator.divisionCode(regionCode, field: "regionCode")
        var county: DivisionCode?
        if let countyCode {
            county = validator.divisionCode(countyCode, field: "countyCode")
            if let county, let region {
                validator.require(region.contains(county) && county.rawValue.count == 6, field: "countyCode",
                                  "must be a 6-digit division within regionCode")
            }
        }
        validator.text(complainantName, field: "complainantName", maxLength: 50)
        let phone = complainantPhone.trimmingCharacters(in: .whitespaces)
        validator.require(phone.wholeMatch(of: Self.phoneDigits) != nil, field: "complainantPhone",
                          "must be a phone number of 7 to 20 digits")
        let idNumber = complainantIDNumber.flatMap { validator.residentIdentityNumber($0, field: "complainantIDNumber") }
        let respondent = respondentCreditCode.flatMap { validator.creditCode($0, field: "respondentCreditCode") }
        if let respondentName { validator.text(respondentName, field: "respondentName", maxLength: 200) }
        let certificate = certificateNumber.flatMap { validator.certificateNumber($0, field: "certificateNumber") }
        var claim: UUID?
        if let claimID {
            claim = UUID(uuidString: claimID)
            validator.require(claim != nil, field: "claimID", "must be a subsidy claim id (a UUID)")
        }
        var purchased: CalendarDate?
        if let purchasedOn {
            purchased = validator.calendarDate(purchasedOn, field: "purchasedOn")
            if let purchased { validator.require(purchased <= today, field: "purchasedOn", "must not be in the future") }
        }
        if let amountInDispute { validator.fen(amountInDispute, field: "amountInDispute") }
        validator.text(facts, field: "facts", maxLength: 5000)
        if let demands { validator.text(demands, field: "demands", maxLength: 2000) }
        switch kind {
        case .complaint?:
            validator.require(respondent != nil || respondentName != nil, field: "respondentName",
                              "a complaint must name the respondent (respondentName or respondentCreditCode)")
            validator.require(demands != nil, field: "demands", "a complaint must state the complainant's demands")
        case .report?:
            validator.require(respondent != nil || respondentName != nil || certificate != nil, field: "respondentName",
                              "a report must name the respondent or the certificate concerned")
        case .consultation?, nil:
            break
        }
        let attachments = checkedAttachments(settings: settings, validator: &validator)
        try validator.validate()
        guard let kind, let channel, let category, let region else { throw Problem.validation(validator.errors) }
        return Intake(
            kind: kind, channel: channel, category: category, region: region, county: county,
            name: complainantName.trimmingCharacters(in: .whitespacesAndNewlines), phone: phone.filter(\.isNumber),
            idNumber: idNumber, respondent: respondent,
            respondentName: respondentName?.trimmingCharacters(in: .whitespacesAndNewlines), certificate: certificate,
            claimID: claim, purchasedOn: purchased, amountInDispute: amountInDispute.map { Fen($0) }, facts: facts,
            demands: demands, attachments: attachments)
    }

    private func checkedAttachments(settings: ComplaintsSettings, validator: inout Validator) -> [Intake.Attachment] {
        guard let attachments else { return [] }
        validator.require(attachments.count <= settings.attachmentMaxCount, field: "attachments",
                          "must be at most \(settings.attachmentMaxCount) files")
        var checked: [Intake.Attachment] = []
        for (index, attachment) in attachments.prefix(settings.attachmentMaxCount).enumerated() {
            let field = "attachments[\(index)]"
            validator.text(attachment.fileName, field: "\(field).fileName", maxLength: 200)
            guard let magic = Self.mediaTypes[attachment.mediaType] else {
                validator.add(field: "\(field).mediaType", reason: "must be one of " + Self.mediaTypes.keys.sorted().joined(separator: ", "))
                continue
            }
            guard attachment.content.utf8.count <= (settings.attachmentMaxBytes + 2) / 3 * 4 + 4,
                  let bytes = Data(base64Encoded: attachment.content) else {
                validator.add(field: "\(field).content", reason: attachment.content.utf8.count > (settings.attachmentMaxBytes + 2) / 3 * 4 + 4
                    ? "must be at most \(settings.attachmentMaxBytes) bytes" : "must be base64")
                continue
            }
            guard !bytes.isEmpty, bytes.count <= settings.attachmentMaxBytes else {
                validator.add(field: "\(field).content", reason: "must be 1 to \(settings.attachmentMaxBytes) bytes")
                continue
            }
            guard bytes.starts(with: magic) else {
                validator.add(field: "\(field).content", reason: "is not a \(attachment.mediaType) file")
                continue
            }
            let digest = SHA256.hash(data: bytes).lowercaseHex
            if let given = attachment.sha256 {
                validator.require(given.lowercased() == digest, field: "\(field).sha256", "does not match the file's SHA-256")
            }
            checked.append(Intake.Attachment(fileName: attachment.fileName, mediaType: attachment.mediaType,
                                             base64: bytes.base64EncodedString(), size: bytes.count, sha256: digest))
        }
        return checked
    }
}

/// An intake's checked fields.
struct Intake: Sendable {
    struct Attachment: Sendable {
        var fileName: String
        var mediaType: String
        var base64: String
        var size: Int
        var sha256: String
    }

    var kind: ComplaintKind
    var channel: ComplaintChannel
    var category: ComplaintCategory
    var region: DivisionCode
    var county: DivisionCode?
    var name: String
    var phone: String
    var idNumber: ResidentIdentityNumber?
    var respondent: UnifiedSocialCreditCode?
    var respondentName: String?
    var certificate: CertificateNumber?
    var claimID: UUID?
    var purchasedOn: CalendarDate?
    var amountInDispute: Fen?
    var facts: String
    var demands: String?
    var attachments: [Attachment]

    /// The market regulator's division the case goes to: the county when known, else the region.
    var handlingDivision: DivisionCode { county ?? region }

    /// What identifies the respondent for duplicates and statistics: the credit code, else the name normalised.
    var respondentKey: String {
        if let respondent { return respondent.rawValue }
        return "name:" + (respondentName ?? certificate?.rawValue ?? "").lowercased().filter { !$0.isWhitespace }
    }

    /// The facts normalised (case and whitespace ignored) and hashed, for duplicate matching.
    var factsHash: String {
        let normalised = facts.lowercased().filter { !$0.isWhitespace && !$0.isPunctuation }
        return SHA256.hash(data: Data(normalised.utf8)).lowercaseHex
    }
}
