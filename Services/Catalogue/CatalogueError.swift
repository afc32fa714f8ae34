import Contracts
import ServiceKit

/// The catalogue's domain errors, each with a stable code; HTTP renders them as problem+json.
public enum CatalogueError: Error, Equatable, Sendable, ProblemConvertible {
    case enterpriseNotFound(String)
    case enterpriseAlreadyRegistered(String)
    case certificateNotFound(String)
    case certificateNumberTaken(String)
    case certificateNumberRevoked(String)
    case transitionNotAllowed(action: CertificateAction, from: CertificateStatus)
    case regionNotApproved(String)
    case entryNotFound(String)
    case alreadyOnLocalList(certificate: String, region: String)
    case batchContentChanged(String)
    case batchRejected(NationalListImportReport)
    case requirementNotFound(String)
    case flagNotFound(String)
    case certificateOfAnotherBody(String)
    case flagOutsideJurisdiction(report: String, region: String)
    case certificateNumberReserved(number: String, batch: String)
    case batchImportInProgress(String)

    /// The stable machine-readable code.
    public var code: String {
        switch self {
        case .enterpriseNotFound: "enterprise-not-found"
        case .enterpriseAlreadyRegistered: "enterprise-already-registered"
        case .certificateNotFound: "certificate-not-found"
        case .certificateNumberTaken: "certificate-number-taken"
        case .certificateNumberRevoked: "certificate-number-revoked"
        case .transitionNotAllowed: "transition-not-allowed"
        case .regionNotApproved: "region-not-approved"
        case .entryNotFound: "local-list-entry-not-found"
        case .alreadyOnLocalList: "already-on-local-list"
        case .batchContentChanged: "batch-content-changed"
        case .batchRejected: "batch-rejected"
        case .requirementNotFound: "technical-requirement-not-found"
        case .flagNotFound: "investigation-flag-not-found"
        case .certificateOfAnotherBody: "certificate-of-another-body"
        case .flagOutsideJurisdiction: "flag-outside-jurisdiction"
        case .certificateNumberReserved: "certificate-number-reserved"
        case .batchImportInProgress: "batch-import-in-progress"
        }
    }

    public var problem: Problem {
        switch self {
        case .enterpriseNotFound(let code):
            return .notFound("No enterprise is registered with credit code \(code).", code: self.code)
        case .enterpriseAlreadyRegistered(let code):
            return .conflict(code: self.code, detail: "An enterprise with credit code \(code) is already registered; update it instead.")
        case .certificateNotFound(let number):
            return .notFound("No certificate has number \(number).", code: self.code)
        case .certificateNumberTaken(let number):
            var problem = Problem.conflict(code: self.code, detail: "Certificate number \(number) is already issued.")
            problem.errors = [FieldError(field: "certificateNumber", reason: "is already issued")]
            return problem
        case .certificateNumberRevoked(let number):
            return .conflict(
                code: self.code, detail: "Certificate number \(number) was revoked and can never be issued again.",
                field: "certificateNumber", reason: "was revoked; revoked numbers are never reused")
        case .transitionNotAllowed(let action, let from):
            var problem = Problem.conflict(
                code: self.code,
                detail: "A certificate that is \(from.rawValue) cannot be \(action.pastTense); allowed from: "
                    + action.allowedFrom.map(\.rawValue).sorted().joined(separator: ", ") + ".")
            problem.errors = [FieldError(field: "status", reason: "is \(from.rawValue)")]
            return problem
        case .regionNotApproved(let region):
            return .conflict(
                code: self.code, detail: "Region \(region) is not an approved pilot region, so it holds no local list.",
                field: "regionCode", reason: "is not an approved pilot region")
        case .entryNotFound(let id):
            return .notFound("No local list entry \(id) in this region.", code: self.code)
        case .alreadyOnLocalList(let certificate, let region):
            return .conflict(
                code: self.code, detail: "Certificate \(certificate) is already on region \(region)'s local list.",
                field: "certificateNumber", reason: "is already listed")
        case .batchContentChanged(let batch):
            return .conflict(
                code: self.code, detail: "Batch \(batch) was already imported with different content; use a new batch id.",
                field: "batch", reason: "was imported with different content")
        case .batchRejected(let report):
            var problem = Problem(
                status: .unprocessableContent, code: self.code, title: "Batch rejected",
                detail: "\(report.rejectedRows) of \(report.totalRows) rows are invalid; nothing was imported (atomic mode).",
                errors: report.errors.map { FieldError(field: "line \($0.line): \($0.field)", reason: $0.reason) })
            problem.instance = nil
            return problem
        case .requirementNotFound(let id):
            var problem = Problem.validation(field: "requirementID", reason: "no technical requirement \(id) in this region")
            problem.detail = "The technical requirement \(id) is not published for this region."
            return problem
        case .flagNotFound(let id):
            return .notFound("No open investigation flag for report \(id).", code: self.code)
        case .certificateOfAnotherBody(let number):
            return .forbidden(
                "Certificate \(number) was not issued by your certification body; a body changes only the certificates it issued.",
                code: self.code)
        case .flagOutsideJurisdiction(let report, let region):
            return .forbidden(
                "The violation report \(report) concerns region \(region), outside your market regulation bureau's division.",
                code: self.code)
        case .certificateNumberReserved(let number, let batch):
            return .conflict(
                code: self.code,
                detail: "Certificate number \(number) belongs to national list batch \(batch), which is being imported.",
                field: "certificateNumber", reason: "is reserved by national list batch \(batch)")
        case .batchImportInProgress(let batch):
            return .conflict(
                code: self.code,
                detail: "Batch \(batch) is being imported by another request; GET /national-list/batches/\(batch) shows how far it got.")
        }
    }
}

extension CertificateAction {
    var pastTense: String {
        switch self {
        case .issue: "issued"
        case .suspend: "suspended"
        case .restore: "restored"
        case .revoke: "revoked"
        case .cancel: "cancelled"
        case .renew: "renewed"
        case .expire: "expired"
        }
    }
}
