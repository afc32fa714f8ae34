/// Where one version of a region's summary report is in its life:
///
/// | from                    | action      | to                                       |
/// |-------------------------|-------------|------------------------------------------|
/// | draft                   | edit        | draft (figures regenerated, text saved)  |
/// | draft                   | submit      | submitted (locked, content hash recorded)|
/// | submitted               | acknowledge | acknowledged                             |
/// | submitted, acknowledged | correct     | superseded; a new version, submitted     |
///
/// A submitted version never changes: a correction is a new version carrying its reason.
public enum ReportStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case draft
    case submitted
    case acknowledged
    case superseded
}

/// What can be done to a report version, each allowed from the statuses in ``ReportStatus``'s table.
enum ReportAction: String, Sendable {
    case edit, submit, acknowledge, correct

    var allowedFrom: Set<ReportStatus> {
        switch self {
        case .edit, .submit: [.draft]
        case .acknowledge: [.submitted]
        case .correct: [.submitted, .acknowledged]
        }
    }
}
