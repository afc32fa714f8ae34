/// Where a pilot application stands, and which actions move it on.
///
/// | action | from | to |
/// |---|---|---|
/// | create | (none) | draft |
/// | revise (the work plan) | draft, returned | (unchanged) |
/// | replace the document | draft, returned | (unchanged) |
/// | attach a safety plan | draft, returned, submitted, under-review | (unchanged) |
/// | submit | draft, returned | submitted |
/// | review | submitted, under-review | under-review, approved, rejected or returned, as ``ApprovalRule`` decides |
///
/// Approved and rejected are final; a region whose application was rejected may start a new one. A region has at
/// most one ``open`` application at a time (the migrations' `application_one_open_per_region` index guards it).
public enum ApplicationStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case draft
    case submitted
    case underReview = "under-review"
    case approved
    case rejected
    case returned

    /// The statuses of an application in progress: the region may not start another.
    public static let open: Set<ApplicationStatus> = [.draft, .submitted, .underReview, .returned]

    /// The statuses that take one of the batch's places.
    public static let holdingBatchPlace: Set<ApplicationStatus> = [.submitted, .underReview, .approved]

    /// The status a review round leaves the application in.
    public init(after outcome: ApprovalRule.Outcome) {
        switch outcome {
        case .pending: self = .underReview
        case .approved: self = .approved
        case .rejected: self = .rejected
        case .returned: self = .returned
        }
    }
}

extension Set<ApplicationStatus> {
    /// The raw values, sorted, to bind as a SQL array (`status = ANY(…)`).
    var rawValues: [String] { map(\.rawValue).sorted() }
}
