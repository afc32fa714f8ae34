import Contracts

/// What a certification body (or the expiry job) does to a certificate, and which statuses allow it.
///
/// | action | from | to |
/// |---|---|---|
/// | suspend | valid | suspended |
/// | restore | suspended | valid |
/// | revoke | valid, suspended | revoked |
/// | cancel | valid, suspended | cancelled |
/// | renew | valid | valid (new expiry date) |
/// | expire | valid, suspended | expired |
///
/// Revoked, cancelled and expired are final: nothing leads back to valid (a revoked number is never reused).
public enum CertificateAction: String, Sendable, Hashable, CaseIterable, Codable {
    case issue, suspend, restore, revoke, cancel, renew, expire

    /// The statuses the action may start from.
    public var allowedFrom: Set<CertificateStatus> {
        switch self {
        case .issue: []
        case .suspend: [.valid]
        case .restore: [.suspended]
        case .revoke, .cancel, .expire: [.valid, .suspended]
        case .renew: [.valid]
        }
    }

    /// The status after the action.
    public var resultingStatus: CertificateStatus {
        switch self {
        case .issue, .restore, .renew: .valid
        case .suspend: .suspended
        case .revoke: .revoked
        case .cancel: .cancelled
        case .expire: .expired
        }
    }

    /// The transition from `status`, or the error naming why it is refused.
    public func transition(from status: CertificateStatus) throws(CatalogueError) -> CertificateStatus {
        guard allowedFrom.contains(status) else {
            throw .transitionNotAllowed(action: self, from: status)
        }
        return resultingStatus
    }
}
