import Contracts
import ServiceKit

/// The pilot service's domain errors: each has a stable code, a status and, for bad input, the field at fault.
extension Problem {
    static func regionNotFound(_ code: String) -> Problem {
        .notFound("No pilot region \(code) is known.", code: "region-not-found")
    }

    static func applicationNotFound(_ id: String) -> Problem {
        .notFound("No application \(id).", code: "application-not-found")
    }

    static func activityNotFound(_ id: String) -> Problem {
        .notFound("No activity \(id).", code: "activity-not-found")
    }

    static func participantNotFound(_ id: String) -> Problem {
        .notFound("No participant \(id).", code: "participant-not-found")
    }

    /// The application is not in a state that allows the action.
    static func applicationState(_ status: String, action: String) -> Problem {
        .conflict(code: "application-state", detail: "An application that is \(status) cannot be \(action).")
    }

    static func regionAlreadyApproved(_ code: String) -> Problem {
        Problem(
            status: .conflict, code: "region-already-approved", title: "Conflict",
            detail: "Region \(code) is already an approved pilot region.",
            errors: [FieldError(field: "regionCode", reason: "is already an approved pilot region")])
    }

    static func applicationAlreadyOpen(_ code: String) -> Problem {
        Problem(
            status: .conflict, code: "application-already-open", title: "Conflict",
            detail: "Region \(code) already has an application in progress; revise that one.",
            errors: [FieldError(field: "regionCode", reason: "already has an application in progress")])
    }

    static func batchCapReached(year: Int, cap: Int) -> Problem {
        Problem(
            status: .conflict, code: "batch-cap-reached", title: "Batch is full",
            detail: "The \(year) batch takes at most \(cap) regions, and \(cap) applications are already submitted or approved.",
            errors: [FieldError(field: "batchYear", reason: "the \(year) batch is full (\(cap) regions)")])
    }

    static func documentRequired() -> Problem {
        Problem(
            status: .unprocessableContent, code: "work-plan-document-required", title: "Validation failed",
            detail: "Upload the work plan document before submitting.",
            errors: [FieldError(field: "document", reason: "is required before submission")])
    }

    static func safetyPlanRequired() -> Problem {
        Problem(
            status: .unprocessableContent, code: "safety-plan-required", title: "Validation failed",
            detail: "An application cannot be approved without a safety plan (measures and responsible persons).",
            errors: [FieldError(field: "safetyPlan", reason: "is required before approval")])
    }

    static func concurrenceOrder(missing: [GuidingDepartment]) -> Problem {
        let names = missing.map { $0.rawValue.uppercased() }.joined(separator: " and ")
        return Problem(
            status: .conflict, code: "concurrence-order", title: "Conflict",
            detail: "MIIT approves only after MOHURD and SAMR concur; still missing: \(names).",
            errors: [FieldError(field: "opinion", reason: "MIIT may concur only after \(names) concur")])
    }

    static func departmentRequired() -> Problem {
        .forbidden("Only a ministry official whose token names a guiding department records a review.", code: "department-required")
    }

    static func regionNotApproved(_ code: String) -> Problem {
        Problem(
            status: .conflict, code: "region-not-approved", title: "Conflict",
            detail: "Region \(code) is not an approved pilot region.",
            errors: [FieldError(field: "regionCode", reason: "is not an approved pilot region")])
    }

    static func launchMeetingRequired(_ code: String, heldOn: CalendarDate?) -> Problem {
        let detail = heldOn.map { "Region \(code)'s launch meeting was held on \($0); activities start on or after it." }
            ?? "Region \(code) must hold its launch meeting before any other activity."
        return Problem(
            status: .conflict, code: "launch-meeting-required", title: "Conflict", detail: detail,
            errors: [FieldError(field: "startsOn", reason: heldOn.map { "must not be before the launch meeting on \($0)" }
                ?? "the region has not held its launch meeting")])
    }

    static func launchMeetingAlreadyHeld(_ code: String) -> Problem {
        .conflict(code: "launch-meeting-already-held", detail: "Region \(code) has already held its launch meeting this campaign year.")
    }

    static func activityState(_ status: String, action: String) -> Problem {
        .conflict(code: "activity-state", detail: "An activity that is \(status) cannot be \(action).")
    }

    static func unknownEnterprise(_ code: String) -> Problem {
        Problem(
            status: .unprocessableContent, code: "unknown-enterprise", title: "Validation failed",
            detail: "No enterprise \(code) is registered in the catalogue.",
            errors: [FieldError(field: "creditCode", reason: "is not a catalogue enterprise")])
    }

    static func alreadyEnrolled(_ code: String) -> Problem {
        .conflict(code: "already-enrolled", detail: "Enterprise \(code) is already enrolled in this region.")
    }

    static func participantState(_ status: String) -> Problem {
        .conflict(code: "participant-state", detail: "A participant that is \(status) cannot be withdrawn.")
    }
}
