import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// The Open311 GeoReport v2 facade, under `/open311/v2/`, so that existing civic-tech clients and apps file and
/// follow cases without knowing the native API: the services (one per kind of case) and their definitions, filing
/// (``Open311Filing``, for submitters with an `api_key`), and the public request lists (``Open311Requests``). JSON
/// only (`.json`); errors are GeoReport's `[{"code", "description"}]` (``Open311Error``).
struct Open311Routes: Sendable {
    let context: ComplaintsContext

    static let prefix = "/open311/v2"

    func add(to router: Router<AppRequestContext>) {
        let desk = CaseDesk(context: context)
        let requests = Open311Requests(context: context)
        let keys = context.settings.open311APIKeys
        if keys.isEmpty {
            context.logger.notice("Open311 facade: no submitter keys configured (\(Open311APIKeys.variable)); POST requests.json refuses every filing")
        }
        router.get("\(Self.prefix)/services.json") { _, _ in
            Open311Error.jsonResponse(Open311Services.list)
        }
        router.get("\(Self.prefix)/services/{service_code}.json") { _, requestContext in
            try await Open311Error.answering {
                let code = requestContext.parameters.get("service_code") ?? ""
                guard let kind = ComplaintKind(rawValue: code) else {
                    throw Open311Error.notFound("service_code: no service \(code) (GET services.json lists them)")
                }
                return Open311Error.jsonResponse(Open311Services.definition(of: kind))
            }
        }
        router.post("\(Self.prefix)/requests.json") { request, requestContext in
            try await Open311Error.answering {
                let mediaType = request.headers[.contentType]?.split(separator: ";").first?
                    .trimmingCharacters(in: .whitespaces).lowercased()
                guard mediaType == Open311Filing.formMediaType else {
                    throw Open311Error(.unsupportedMediaType, ["Content-Type: must be \(Open311Filing.formMediaType), as GeoReport v2 sends it"])
                }
                let body = try await request.body.collect(upTo: Open311Filing.maximumBodyBytes)
                let form = try Open311Filing.parse(String(decoding: body.readableBytesView, as: UTF8.self))
                let submitter = try Self.submitter(form.fields["api_key"], keys: keys)
                let today = WorkingDayCalendar.day(of: context.clock.now())
                let intake = try Open311Filing.intake(form, today: today, settings: context.settings)
                // The complainant files, through an app: the consumer acts; `submitted_by` names the app.
                let receipt = try await desk.receive(intake, submittedBy: "open311:\(submitter)", actor: .consumer)
                requestContext.logger.info("Open311 filing received", metadata: [
                    "open311.submitter": .string(submitter), "case.number": .string(receipt.caseNumber)])
                return Open311Error.jsonResponse([[
                    "service_request_id": .string(receipt.caseNumber),
                    "service_notice": .string(Self.notice(receipt)),
                    "account_id": nil,
                    "token": nil,
                ]], status: .created)
            }
        }
        router.get("\(Self.prefix)/requests.json") { request, _ in
            try await Open311Error.answering {
                Open311Error.jsonResponse(try await requests.list(try Open311Requests.query { request.uri.queryParameters.get($0) }))
            }
        }
        router.get("\(Self.prefix)/requests/{service_request_id}.json") { _, requestContext in
            try await Open311Error.answering {
                Open311Error.jsonResponse(try await requests.one(requestContext.parameters.get("service_request_id") ?? ""))
            }
        }
    }

    /// The submitter whose key `key` is; 403 when it is missing, unknown, or when no submitter is configured.
    static func submitter(_ key: String?, keys: Open311APIKeys) throws(Open311Error) -> String {
        guard !keys.isEmpty else {
            throw Open311Error(.forbidden, ["api_key: filing through Open311 is closed: this service has no submitter keys configured"])
        }
        guard let key, !key.isEmpty else {
            throw Open311Error(.forbidden, ["api_key: is required to file a request (ask the platform operator for a submitter key)"])
        }
        guard key.utf8.count <= 512, let name = keys.submitter(forKey: key) else {
            throw Open311Error(.forbidden, ["api_key: is not the key of a registered submitter"])
        }
        return name
    }

    /// What the filer is told once: where the case went, its first deadline, and the secret that follows it natively
    /// (shown only in this response, stored only hashed; the public lists never show it).
    static func notice(_ receipt: CaseDesk.Receipt) -> String {
        var text = "已收到 Received as case \(receipt.caseNumber), routed to the market regulator of division \(receipt.handlingDivision)"
        if let due = receipt.dueOn { text += ", first deadline \(due)" }
        text += ". 查询密码 Case secret (shown only this once, keep it): \(receipt.secret) — follow the case at "
            + "GET /public/cases/\(receipt.caseNumber) with header Case-Secret: \(receipt.secret)"
        if receipt.duplicateOf != nil { text += ". It repeats an earlier case of yours and is linked to it" }
        return text + "."
    }
}
