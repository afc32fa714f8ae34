import Contracts
import ServiceKit

/// The pilot service's domain errors, each with a stable code; HTTP renders them as problem+json with the status
/// and, for bad input, the field at fault.
public enum PilotError: Error, Equatable, Sendable, ProblemConvertible {
    case regionNotFound(String)
    case applicationNotFound(String)
    case activityNotFound(String)
    case participantNotFound(String)
    /// The application is not in a status that allows the action.
    case applicationState(ApplicationStatus, action: ApplicationAction)
    case regionAlreadyApproved(String)
    case applicationAlreadyOpen(String)
    case batchCapReached(year: Int, cap: Int)
    case documentTooLarge(limit: Int)
    case documentNotFound(applicationID: String)
    case documentRequired
    case safetyPlanRequired
    case concurrenceOrder(missing: [GuidingDepartment])
    case departmentRequired
    case regionNotApproved(String)
    case launchMeetingRequired(String, heldOn: CalendarDate?)
    case launchMeetingAlreadyHeld(String)
    /// The activity is not in a status that allows the action (`action` in the past tense: "held").
    case activityState(String, action: String)
    case activityNotStarted(startsOn: CalendarDate)
    case unknownEnterprise(String)
    case alreadyEnrolled(String)
    case participantState(String)

    /// The stable machine-readable code.
    public var code: String {
        switch self {
        case .regionNotFound: "region-not-found"
        case .applicationNotFound: "application-not-found"
        case .activityNotFound: "activity-not-found"
        case .participantNotFound: "participant-not-found"
        case .applicationState: "application-state"
        case .regionAlreadyApproved: "region-already-approved"
        case .applicationAlreadyOpen: "application-already-open"
        case .batchCapReached: "batch-cap-reached"
        case .documentTooLarge: "document-too-large"
        case .documentNotFound: "document-not-found"
        case .documentRequired: "work-plan-document-required"
        case .safetyPlanRequired: "safety-plan-required"
        case .concurrenceOrder: "concurrence-order"
        case .departmentRequired: "department-required"
        case .regionNotApproved: "region-not-approved"
        case .launchMeetingRequired: "launch-meeting-required"
        case .launchMeetingAlreadyHeld: "launch-meeting-already-held"
        case .activityState: "activity-state"
        case .activityNotStarted: "activity-not-started"
        case .unknownEnterprise: "unknown-enterprise"
        case .alreadyEnrolled: "already-enrolled"
        case .participantState: "participant-state"
        }
    }

    public var problem: Problem {
        switch self {
        case .regionNotFound(let region):
            return .notFound("No pilot region \(region) is known.", code: code)
        case .applicationNotFound(let id):
            return .notFound("No application \(id).", code: code)
        case .activityNotFound(let id):
            return .notFound("No activity \(id).", code: code)
        case .participantNotFound(let id):
            return .notFound("No participant \(id).", code: code)
        case .applicationState(let status, let action):
            return .conflict(code: code, detail: "An application that is \(status.rawValue) cannot be \(action.pastTense).")
        case .regionAlreadyApproved(let region):
            return Problem(
                status: .conflict, code: code, title: "Conflict",
                detail: "Region \(region) is already an approved pilot region.",
                errors: [FieldError(field: "regionCode", reason: "is already an approved pilot region")])
        case .applicationAlreadyOpen(let region):
            return Problem(
                status: .conflict, code: code, title: "Conflict",
                detail: "Region \(region) already has an application in progress; revise that one.",
                errors: [FieldError(field: "regionCode", reason: "already has an application in progress")])
        case .batchCapReached(let year, let cap):
            return Problem(
                status: .conflict, code: code, title: "Batch is full",
                detail: "The \(year) batch takes at most \(cap) regions, and \(cap) applications are already submitted or approved.",
                errors: [FieldError(field: "batchYear", reason: "the \(year) batch is full (\(cap) regions)")])
        case .documentTooLarge(let limit):
            return Problem(
                status: .contentTooLarge, code: code, title: "Document too large",
                detail: "The work plan document may be at most \(limit) bytes.",
                errors: [FieldError(field: "document", reason: "must be at most \(limit) bytes")])
        case .documentNotFound(let id):
            return .notFound("Application \(id) has no work plan document yet.", code: code)
        case .documentRequired:
            return Problem(
                status: .unprocessableContent, code: code, title: "Validation failed",
                detail: "Upload the work plan document before submitting.",
                errors: [FieldError(field: "document", reason: "is required before submission")])
        case .safetyPlanRequired:
            return Problem(
                status: .unprocessableContent, code: code, title: "Validation failed",
                detail: "An application cannot be approved without a safety plan (measures and responsible persons).",
                errors: [FieldError(field: "safetyPlan", reason: "is required before approval")])
        case .concurrenceOrder(let missing):
            let names = missing.map { $0.rawValue.uppercased() }.joined(separator: " and ")
            return Problem(
                status: .conflict, code: code, title: "Conflict",
                detail: "MIIT approves only after MOHURD and SAMR concur; still missing: \(names).",
                errors: [FieldError(field: "opinion", reason: "MIIT may concur only after \(names) concur")])
        case .departmentRequired:
            return .forbidden("Only a ministry official whose token names a guiding department records a review.", code: code)
        case .regionNotApproved(let region):
            return Problem(
                status: .conflict, code: code, title: "Conflict",
                detail: "Region \(region) is not an approved pilot region.",
                errors: [FieldError(field: "regionCode", reason: "is not an approved pilot region")])
        case .launchMeetingRequired(let region, let heldOn):
            let detail = heldOn.map { "Region \(region)'s launch meeting was held on \($0); activities start on or after it." }
                ?? "Region \(region) must hold its launch meeting before any other activity."
            return Problem(
                status: .conflict, code: code, title: "Conflict", detail: detail,
                errors: [FieldError(field: "startsOn", reason: heldOn.map { "must not be before the launch meeting on \($0)" }
                    ?? "the region has not held its launch meeting")])
        case .launchMeetingAlreadyHeld(let region):
            return .conflict(code: code, detail: "Region \(region) has already held its launch meeting this campaign year.")
        case .activityState(let status, let action):
            return .conflict(code: code, detail: "An activity that is \(status) cannot be \(action).")
        case .activityNotStarted(let startsOn):
            return Problem(
                status: .conflict, code: code, title: "Conflict",
                detail: "The activity starts on \(startsOn); its outcome can be recorded from then.")
        case .unknownEnterprise(let creditCode):
            return Problem(
                status: .unprocessableContent, code: code, title: "Validation failed",
                detail: "No enterprise \(creditCode) is registered in the catalogue.",
                errors: [FieldError(field: "creditCode", reason: "is not a catalogue enterprise")])
        case .alreadyEnrolled(let creditCode):
            return .conflict(code: code, detail: "Enterprise \(creditCode) is already enrolled in this region.")
        case .participantState(let status):
            return .conflict(code: code, detail: "A participant that is \(status) cannot be withdrawn.")
        }
    }
}
