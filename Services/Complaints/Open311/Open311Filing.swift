import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// `POST /open311/v2/requests.json`: a GeoReport v2 filing (`application/x-www-form-urlencoded`, as Open311 clients
/// send it) read, its submitter's `api_key` checked, and mapped onto the native intake: ``CaseInput`` checks every
/// field and ``CaseDesk`` stores the case (channel `open311`), so nothing is checked or stored differently from a
/// native filing.
///
/// | Open311 | native |
/// |---|---|
/// | `service_code` | `kind` |
/// | `first_name`, `last_name` | `complainantName` (family name first when either is not Latin: 王 + 小明 → 王小明) |
/// | `phone` | `complainantPhone` (required: the handler calls back) |
/// | `description` | `facts`; `address_string` and `lat`/`long`, when given, are added below it for the handler |
/// | `attribute[code]` | the native field `code` (``Open311Services/attributes(of:)``) |
///
/// `email`, `device_id`, `account_id` and `media_url` are accepted and not kept (the native intake has no e-mail,
/// and a URL is no attachment we could check); `jurisdiction_id` is ignored (one jurisdiction).
struct Open311Filing: Sendable {
    /// Largest form accepted: a description of 5000 CJK characters percent-encoded is about 45 KiB.
    static let maximumBodyBytes = 256 * 1024
    static let formMediaType = "application/x-www-form-urlencoded"

    /// The form's fields, each given once, and its `attribute[code]` values by code.
    struct Form: Sendable, Equatable {
        var fields: [String: String] = [:]
        var attributes: [String: String] = [:]
    }

    /// Reads `application/x-www-form-urlencoded` (`+` is a space); a key given twice or a malformed escape is refused
    /// naming the key rather than letting one value win silently.
    static func parse(_ body: String) throws(Open311Error) -> Form {
        var form = Form()
        var errors: [FieldError] = []
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String? {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let key = decode(parts[0]), let value = parts.count == 2 ? decode(parts[1]) : "" else {
                errors.append(FieldError(field: "body", reason: "is not valid application/x-www-form-urlencoded (a malformed %-escape)"))
                continue
            }
            guard !key.unicodeScalars.contains("\u{0}"), !value.unicodeScalars.contains("\u{0}") else {
                errors.append(FieldError(field: key.isEmpty ? "body" : key.replacingOccurrences(of: "\u{0}", with: ""),
                                         reason: "must not contain the NUL character (U+0000)"))
                continue
            }
            if key.hasPrefix("attribute["), key.hasSuffix("]") {
                let code = String(key.dropFirst("attribute[".count).dropLast())
                guard form.attributes[code] == nil else {
                    errors.append(FieldError(field: key, reason: "is given more than once"))
                    continue
                }
                form.attributes[code] = value
            } else {
                guard form.fields[key] == nil else {
                    errors.append(FieldError(field: key, reason: "is given more than once"))
                    continue
                }
                form.fields[key] = value
            }
        }
        guard errors.isEmpty else { throw Open311Error.badRequest(errors) }
        return form
    }

    nonisolated(unsafe) static let coordinate = /-?[0-9]{1,3}(\.[0-9]{1,15})?/

    /// The native intake of `form`: the facade's own checks (attributes the service has, numbers, coordinates) and
    /// the native ones together, every field at fault named once as the client named it.
    static func intake(_ form: Form, today: CalendarDate, settings: ComplaintsSettings) throws(Open311Error) -> Intake {
        var validator = Validator()
        let fields = form.fields
        let code = fields["service_code"] ?? ""
        let kind = ComplaintKind(rawValue: code)
        if let kind {
            let known = Set(Open311Services.attributes(of: kind).map(\.code))
            for name in form.attributes.keys.sorted() where !known.contains(name) {
                validator.add(field: "attribute[\(name)]", reason: "is not an attribute of service \(code) (GET services/\(code).json lists them)")
            }
            for attribute in Open311Services.attributes(of: kind) where attribute.required && form.attributes[attribute.code] == nil {
                validator.add(field: "attribute[\(attribute.code)]", reason: "is required")
            }
        }
        var amount: Int64?
        if let text = form.attributes["amountInDispute"] {
            amount = Int64(text)
            validator.require(amount != nil, field: "attribute[amountInDispute]", "must be a whole number of fen")
        }
        var location: [String] = []
        if let address = fields["address_string"] {
            validator.require(address.unicodeScalars.count <= 500, field: "address_string", "must be at most 500 characters")
            let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { location.append(trimmed) }
        }
        let latitude = coordinate(fields["lat"], field: "lat", limit: 90, validator: &validator)
        let longitude = coordinate(fields["long"], field: "long", limit: 180, validator: &validator)
        validator.require((fields["lat"] == nil) == (fields["long"] == nil), field: fields["lat"] == nil ? "lat" : "long",
                          "lat and long are given together")
        if let latitude, let longitude { location.append("(\(latitude), \(longitude))") }
        let description = fields["description"] ?? ""
        var facts = description
        // Appended only to facts that are there: an empty description stays empty and is refused as such.
        if !location.isEmpty, !description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            facts += "\n\n地点 Location: " + location.joined(separator: " ")
        }
        let input = CaseInput(
            kind: code, channel: ComplaintChannel.open311.rawValue,
            category: form.attributes["category"] ?? "", regionCode: form.attributes["regionCode"] ?? "",
            countyCode: form.attributes["countyCode"], complainantName: name(first: fields["first_name"], last: fields["last_name"]),
            complainantPhone: fields["phone"] ?? "", complainantIDNumber: nil,
            respondentCreditCode: form.attributes["respondentCreditCode"], respondentName: form.attributes["respondentName"],
            certificateNumber: form.attributes["certificateNumber"], claimID: form.attributes["claimID"],
            purchasedOn: form.attributes["purchasedOn"], amountInDispute: amount, facts: facts,
            demands: form.attributes["demands"], attachments: nil)
        var intake: Intake?
        do {
            intake = try input.validated(today: today, settings: settings)
        } catch {
            let named = Set(validator.errors.map(\.field))
            for native in error.errors {
                let field = open311Name(of: native.field)
                // A field the facade refused already (a missing attribute) is named once, with the facade's reason.
                if !named.contains(field) { validator.add(field: field, reason: native.reason) }
            }
            if error.errors.isEmpty { validator.add(field: "body", reason: error.detail ?? error.title) }
        }
        if !validator.isValid { throw Open311Error.badRequest(validator.errors) }
        return intake!
    }

    /// A coordinate written as a plain decimal within ±`limit` (no exponent, no `nan`), or nil.
    private static func coordinate(_ text: String?, field: String, limit: Double, validator: inout Validator) -> Double? {
        guard let text else { return nil }
        guard text.wholeMatch(of: coordinate) != nil, let value = Double(text), abs(value) <= limit else {
            validator.add(field: field, reason: "must be a decimal number from -\(Int(limit)) to \(Int(limit))")
            return nil
        }
        return value
    }

    /// The complainant's name from GeoReport's two parts: family name first, without a space, when either part is
    /// written in CJK characters (王 + 小明 → 王小明), else `first last`.
    static func name(first: String?, last: String?) -> String {
        let parts = [first, last].map { ($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let (given, family) = (parts[0], parts[1])
        if given.isEmpty || family.isEmpty { return given + family }
        let cjk = (given + family).unicodeScalars.contains { $0.value >= 0x2E80 }
        return cjk ? family + given : given + " " + family
    }

    /// The Open311 name of a native intake field.
    static func open311Name(of field: String) -> String {
        switch field {
        case "kind": "service_code"
        case "complainantName": "first_name"
        case "complainantPhone": "phone"
        case "facts": "description"
        case "channel": "service_code"
        case _ where field.hasPrefix("attachments"): "media_url"
        case _ where Open311Services.attributeCodes.contains(field): "attribute[\(field)]"
        default: field
        }
    }
}
