import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Certificate writes (issue, suspend, restore, revoke, cancel, renew; clear an investigation flag) and the public
/// read of one certificate with its history.
///
/// A certification body issues certificates as their issuer, the body its token names (never the request body),
/// and changes only the certificates it issued (`certificate-of-another-body` otherwise); ministry officials may
/// change any. Investigation flags are cleared by market regulators, within their division: never by the body
/// whose certificate is under investigation.
struct CertificateRoutes: Sendable {
    let context: CatalogueContext

    /// The roles that may change certificates: certification bodies (their own), and ministry officials.
    static let writers: [Role] = [.certificationBody, .ministry]

    /// The actor a change is recorded under; a certification body names itself, so that it changes only its own.
    static func actor(_ principal: Principal) -> CertificateRegister.Actor {
        .init(role: principal.actorRole, subject: principal.subject,
              certificationBody: principal.role == .certificationBody ? principal.certificationBodyCode : nil)
    }

    struct StatusChangeBody: Decodable, Sendable {
        var reason: String?
        var suspendedUntil: String?
    }

    struct RenewBody: Decodable, Sendable {
        var expiresOn: String?
        var starGrade: String?
        var reason: String?
    }

    func add(to router: Router<AppRequestContext>) {
        let register = CertificateRegister(context: context)
        router.post("/certificates") { request, requestContext in
            let principal = try requestContext.require(role: .certificationBody)
            let input = try await request.decode(as: CertificateDraftInput.self, context: requestContext)
            var draft: CertificateDraft
            switch input.check() {
            case .success(let checked): draft = checked
            case .failure(let failure): throw Problem.validation(failure.errors)
            }
            if let named = draft.certificationBodyCode, named != principal.certificationBodyCode {
                throw Problem.forbidden(
                    "certificationBodyCode \(named.rawValue) is not your certification body; a body issues only its own certificates.",
                    code: "certification-body-mismatch")
            }
            draft.certificationBodyCode = principal.certificationBodyCode
            let view = try await context.pool.transaction { connection in
                try await register.issue(draft, actor: Self.actor(principal), on: connection)
            }
            return EditedResponse(status: .created, response: CertificateDetail(certificate: view, history: nil, investigationFlags: nil))
        }
        for action in [CertificateAction.suspend, .restore, .revoke, .cancel] {
            router.post("/certificates/:number/\(action.rawValue)") { request, requestContext in
                let principal = try requestContext.require(roles: Self.writers)
                let number = try Self.number(requestContext)
                let body = try await request.decode(as: StatusChangeBody.self, context: requestContext)
                var validator = Validator()
                let reason = body.reason?.trimmingCharacters(in: .whitespaces) ?? ""
                validator.require(!reason.isEmpty && reason.count <= 1000, field: "reason", "is required (1–1000 characters)")
                var until: CalendarDate?
                if let text = body.suspendedUntil {
                    until = CalendarDate(text)
                    validator.require(until != nil, field: "suspendedUntil", "must be a date YYYY-MM-DD")
                }
                try validator.validate()
                let view = try await context.pool.transaction { connection in
                    try await register.apply(
                        action, to: number, reason: reason, suspendedUntil: until, actor: Self.actor(principal),
                        on: connection)
                }
                return CertificateDetail(certificate: view, history: nil, investigationFlags: nil)
            }
        }
        router.post("/certificates/:number/renew") { request, requestContext in
            let principal = try requestContext.require(roles: Self.writers)
            let number = try Self.number(requestContext)
            let body = try await request.decode(as: RenewBody.self, context: requestContext)
            var validator = Validator()
            var expiresOn: CalendarDate?
            if let text = body.expiresOn {
                expiresOn = CalendarDate(text)
                validator.require(expiresOn != nil, field: "expiresOn", "must be a date YYYY-MM-DD")
            }
            if let reason = body.reason {
                let trimmed = reason.trimmingCharacters(in: .whitespaces)
                validator.require(!trimmed.isEmpty && trimmed.count <= 1000, field: "reason", "must be 1–1000 characters")
            }
            var grade: StarGrade?
            if let text = body.starGrade {
                grade = StarGrade(rawValue: text)
                validator.require(grade != nil, field: "starGrade",
                                  "must be one of " + StarGrade.allCases.map(\.rawValue).joined(separator: ", "))
            }
            try validator.validate()
            let view = try await context.pool.transaction { connection in
                try await register.renew(
                    number, expiresOn: expiresOn, starGrade: grade, reason: body.reason ?? "续证 (renewed)",
                    actor: Self.actor(principal), on: connection)
            }
            return CertificateDetail(certificate: view, history: nil, investigationFlags: nil)
        }
        router.get("/certificates/:number") { _, requestContext in
            let number = try Self.number(requestContext)
            return try await context.pool.withConnection { connection in
                guard let view = try await CertificateView.find(number, on: connection) else {
                    throw CatalogueError.certificateNotFound(number.rawValue)
                }
                return CertificateDetail(
                    certificate: view,
                    history: try await CertificateStatusChange.history(of: number, on: connection),
                    investigationFlags: try await InvestigationFlag.flags(of: number, on: connection))
            }
        }
        router.post("/certificates/:number/investigation-flags/:reportID/clear") { request, requestContext in
            let principal = try requestContext.requireMarketRegulator()
            let number = try Self.number(requestContext)
            let reportText = try requestContext.parameters.require("reportID")
            guard let reportID = UUID(uuidString: reportText) else {
                throw Problem.validation(field: "reportID", reason: "must be a UUID")
            }
            let body = try await request.decode(as: StatusChangeBody.self, context: requestContext)
            let reason = body.reason?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !reason.isEmpty else { throw Problem.validation(field: "reason", reason: "is required") }
            let investigation = Investigation(context: context)
            let view = try await context.pool.transaction { connection in
                try await investigation.clear(
                    number: number, reportID: reportID, reason: reason, regulator: principal, on: connection)
            }
            return CertificateDetail(certificate: view, history: nil, investigationFlags: nil)
        }
    }

    static func number(_ context: AppRequestContext) throws -> CertificateNumber {
        let text = try context.parameters.require("number")
        guard let number = CertificateNumber(rawValue: text) else {
            throw Problem.validation(field: "number", reason: CertificateNumber.rule)
        }
        return number
    }
}

/// A certificate with, when asked for, its status history and investigation flags.
struct CertificateDetail: ResponseEncodable, Sendable {
    var certificate: CertificateView
    var history: [CertificateStatusChange]?
    var investigationFlags: [InvestigationFlag]?
}
