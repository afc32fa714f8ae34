/// The role of whoever caused a change (never the person: roles only).
public enum ActorRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// An official of one of the six guiding ministries.
    case ministryOfficial = "ministry-official"
    /// An official of a pilot region.
    case regionalOfficial = "regional-official"
    /// A green building material certification body.
    case certificationBody = "certification-body"
    /// The certification technical committee that publishes the national list.
    case certificationCommittee = "certification-committee"
    /// A market regulation authority (SAMR or its local bureaus).
    case marketRegulator = "market-regulator"
    /// The enterprise itself.
    case enterprise
    /// A consumer.
    case consumer
    /// The system, on a schedule or by rule.
    case system
}
