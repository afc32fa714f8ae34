import Contracts

extension Principal {
    /// The role recorded on events and history for whatever this caller changes: the one mapping every service
    /// uses. A SAMR official acts as the market regulator (certification oversight, complaints); the other
    /// departments' officials as ministry officials.
    public var actorRole: ActorRole {
        switch role {
        case .ministry: department == .samr ? .marketRegulator : .ministryOfficial
        case .regionOfficial: .regionalOfficial
        case .certificationBody: .certificationBody
        case .enterprise: .enterprise
        case .consumer: .consumer
        }
    }
}
