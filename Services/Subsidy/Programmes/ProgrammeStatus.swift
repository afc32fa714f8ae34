/// Where a subsidy programme is in its life:
///
/// | from      | action      | to        |
/// |-----------|-------------|-----------|
/// | draft     | approve     | approved  |
/// | approved  | open        | open      |
/// | open      | (budget used up) | exhausted |
/// | exhausted | top up      | open      |
/// | approved, open, exhausted | close | closed |
///
/// A budget may be topped up in any status but closed. Only an open programme takes claims.
public enum ProgrammeStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case draft
    case approved
    case open
    case exhausted
    case closed
}
