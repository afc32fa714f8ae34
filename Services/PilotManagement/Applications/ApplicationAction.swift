/// What a region official or a reviewing department does to an application, and the statuses that allow it
/// (the table is in ``ApplicationStatus``).
public enum ApplicationAction: String, Sendable, Hashable, CaseIterable {
    case revise
    case replaceDocument = "replace-document"
    case attachSafetyPlan = "attach-safety-plan"
    case submit
    case review

    /// The statuses the action may start from.
    public var allowedFrom: Set<ApplicationStatus> {
        switch self {
        case .revise, .replaceDocument, .submit: [.draft, .returned]
        case .attachSafetyPlan: [.draft, .returned, .submitted, .underReview]
        case .review: [.submitted, .underReview]
        }
    }

    /// The status after the action, nil when the action leaves it as it was or (a review) ``ApprovalRule`` decides.
    public var resultingStatus: ApplicationStatus? {
        switch self {
        case .submit: .submitted
        case .revise, .replaceDocument, .attachSafetyPlan, .review: nil
        }
    }

    /// The status after the action from `status`, or the error naming why it is refused.
    @discardableResult
    public func transition(from status: ApplicationStatus) throws(PilotError) -> ApplicationStatus {
        guard allowedFrom.contains(status) else { throw .applicationState(status, action: self) }
        return resultingStatus ?? status
    }

    /// How the refusal names the action: "An application that is approved cannot be <pastTense>."
    var pastTense: String {
        switch self {
        case .revise: "revised"
        case .replaceDocument: "given a new document"
        case .attachSafetyPlan: "given a safety plan"
        case .submit: "submitted"
        case .review: "reviewed"
        }
    }
}
