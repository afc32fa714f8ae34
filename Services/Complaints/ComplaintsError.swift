import Contracts
import ServiceKit

/// The complaints service's domain errors, each with a stable code; HTTP renders them as problem+json with the
/// status and, for bad input, the field at fault.
public enum ComplaintsError: Error, Equatable, Sendable, ProblemConvertible {
    /// No case with this id or number, or not one the caller may see (a handler sees only cases routed to it).
    case caseNotFound(String)
    /// The region has published no complaint channels.
    case channelsNotFound(String)
    /// The action does not apply to the case's kind and status.
    case transitionNotAllowed(CaseStatus, action: CaseAction)
    /// The region is not an approved pilot region (as far as `gbm.pilot.regions.v1` has told this service).
    case regionNotApproved(String)
    /// The closed case can no longer be reopened.
    case reopenPeriodOver(String)
    /// Firm-first settlement needs a respondent identified by a known credit code.
    case settlementNeedsKnownRespondent
    /// Firm-first settlement is for enterprises enrolled in online dispute resolution.
    case respondentNotEnrolledInODR(String)
    /// The enterprise is not on the online-dispute-resolution roll.
    case notEnrolledInODR(String)
    /// The case is already routed to that division.
    case alreadyRouted(String)

    public var code: String {
        switch self {
        case .caseNotFound: "case-not-found"
        case .channelsNotFound: "channels-not-found"
        case .transitionNotAllowed: "transition-not-allowed"
        case .regionNotApproved: "region-not-approved"
        case .reopenPeriodOver: "reopen-period-over"
        case .settlementNeedsKnownRespondent: "settlement-needs-known-respondent"
        case .respondentNotEnrolledInODR: "respondent-not-enrolled-in-odr"
        case .notEnrolledInODR: "enterprise-not-enrolled-in-odr"
        case .alreadyRouted: "already-routed"
        }
    }

    public var problem: Problem {
        switch self {
        case .caseNotFound(let id):
            return .notFound("No case \(id) that you may see.", code: code)
        case .channelsNotFound(let region):
            return .notFound("Region \(region) has published no complaint channels.", code: code)
        case .transitionNotAllowed(let status, let action):
            return .conflict(code: code, detail: "A case that is \(status.rawValue) cannot take the action \(action.rawValue).")
        case .regionNotApproved(let region):
            return Problem(
                status: .unprocessableContent, code: code, title: "Unprocessable Content",
                detail: "Region \(region) is not an approved pilot region.",
                errors: [FieldError(field: "regionCode", reason: "is not an approved pilot region")])
        case .reopenPeriodOver(let day):
            return .conflict(code: code, detail: "The case could be reopened until \(day); that period is over.")
        case .respondentNotEnrolledInODR(let enterprise):
            return .conflict(
                code: code,
                detail: "Firm-first settlement is for enterprises enrolled in online dispute resolution; \(enterprise) is not: start mediation.")
        case .notEnrolledInODR(let enterprise):
            return .notFound("Enterprise \(enterprise) is not enrolled in online dispute resolution.", code: code)
        case .settlementNeedsKnownRespondent:
            return .conflict(code: code, detail: "Firm-first settlement needs a respondent known by its credit code.")
        case .alreadyRouted(let division):
            return Problem(
                status: .unprocessableContent, code: code, title: "Unprocessable Content",
                detail: "The case is already routed to \(division).",
                errors: [FieldError(field: "toDivision", reason: "is the division the case is routed to now")])
        }
    }
}
