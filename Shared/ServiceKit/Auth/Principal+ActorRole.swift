import Contracts

extension Principal {
    /// The role recorded on events and history for whatever this caller changes: the one mapping every service
    /// uses. A SAMR official acts as the market regulator (certification oversight, complaints), nationally; a
    /// market-regulator bureau the same within its division; the other departments' officials as ministry officials.
    public var actorRole: ActorRole {
        switch role {
        case .ministry: department == .samr ? .marketRegulator : .ministryOfficial
        case .regionOfficial: .regionalOfficial
        case .marketRegulator: .marketRegulator
        case .certificationCommittee: .certificationCommittee
        case .certificationBody: .certificationBody
        case .enterprise: .enterprise
        case .consumer: .consumer
        // Read-only: no route lets the promotion group change anything, so this is never recorded.
        case .promotionGroup: .ministryOfficial
        }
    }

    /// Whether this caller regulates the market in `region` (clears investigation flags, handles certification
    /// violations there): a SAMR official anywhere, a market-regulator bureau in its own division or any division
    /// under it, nobody else.
    public func mayRegulate(in region: DivisionCode) -> Bool {
        switch role {
        case .ministry: department == .samr
        case .marketRegulator: regionCode?.contains(region) ?? false
        default: false
        }
    }

    /// Whether this caller regulates the market at all (``mayRegulate(in:)`` somewhere): a SAMR official or a
    /// market-regulator bureau.
    public var isMarketRegulator: Bool { actorRole == .marketRegulator }
}
