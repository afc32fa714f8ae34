import Contracts

/// Where a case stands. Consultations are answered and closed; complaints follow SAMR's workflow; reports wait for
/// the decision whether to open a case.
public enum CaseStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case received
    case accepted
    case notAccepted = "not-accepted"
    case settlement
    case mediation
    case mediated
    case mediationTerminated = "mediation-terminated"
    case caseOpened = "case-opened"
    case caseDeclined = "case-declined"
    case closed
}

/// What a handler (or the complainant) does to a case, written once as a transition table:
///
/// | action | kind | from | to |
/// |---|---|---|---|
/// | `accept` | complaint | received | accepted |
/// | `not-accept` | complaint | received | not-accepted |
/// | `start-settlement` | complaint | accepted | settlement |
/// | `start-mediation` | complaint | accepted, settlement | mediation |
/// | `record-agreement` | complaint | settlement, mediation | mediated |
/// | `terminate-mediation` | complaint | settlement, mediation | mediation-terminated |
/// | `answer` | consultation | received | closed |
/// | `open-case` | report | received | case-opened |
/// | `decline-case` | report | received | case-declined |
/// | `close` | any | not-accepted, mediated, mediation-terminated, case-opened, case-declined | closed |
/// | `reopen` | complaint | closed | received |
/// | `transfer` | any | any but closed | (unchanged) |
///
/// Anything else is ``ComplaintsError/transitionNotAllowed(_:action:)`` (409), and nothing changes.
public enum CaseAction: String, Sendable, Hashable, CaseIterable, Codable {
    case accept
    case notAccept = "not-accept"
    case startSettlement = "start-settlement"
    case startMediation = "start-mediation"
    case recordAgreement = "record-agreement"
    case terminateMediation = "terminate-mediation"
    case answer
    case openCase = "open-case"
    case declineCase = "decline-case"
    case close
    case reopen
    case transfer

    /// The kinds of case the action applies to.
    var kinds: Set<ComplaintKind> {
        switch self {
        case .accept, .notAccept, .startSettlement, .startMediation, .recordAgreement, .terminateMediation, .reopen: [.complaint]
        case .answer: [.consultation]
        case .openCase, .declineCase: [.report]
        case .close, .transfer: Set(ComplaintKind.allCases)
        }
    }

    /// The statuses the action may start from.
    var allowedFrom: Set<CaseStatus> {
        switch self {
        case .accept, .notAccept, .answer, .openCase, .declineCase: [.received]
        case .startSettlement: [.accepted]
        case .startMediation: [.accepted, .settlement]
        case .recordAgreement, .terminateMediation: [.settlement, .mediation]
        case .close: [.notAccepted, .mediated, .mediationTerminated, .caseOpened, .caseDeclined]
        case .reopen: [.closed]
        case .transfer: Set(CaseStatus.allCases).subtracting([.closed])
        }
    }

    /// The status after the action (`transfer` keeps the status).
    func target(from status: CaseStatus) -> CaseStatus {
        switch self {
        case .accept: .accepted
        case .notAccept: .notAccepted
        case .startSettlement: .settlement
        case .startMediation: .mediation
        case .recordAgreement: .mediated
        case .terminateMediation: .mediationTerminated
        case .answer, .close: .closed
        case .openCase: .caseOpened
        case .declineCase: .caseDeclined
        case .reopen: .received
        case .transfer: status
        }
    }

    /// Whether the action applies to a `kind` case that is `status`.
    func isAllowed(kind: ComplaintKind, status: CaseStatus) -> Bool {
        kinds.contains(kind) && allowedFrom.contains(status)
    }
}
