/// An event type of the contract: `gbm.<service>.<aggregate>.<past-tense-verb>.v<major>`, published on one topic.
public struct EventType: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let topic: Topic
    /// One sentence saying what happened, for the schema, the AsyncAPI document and people.
    public let summary: String
    /// Whether the owning service writes it today, or it is in the contract for partners to prepare for.
    public let status: Status

    public enum Status: String, Sendable, Hashable {
        /// The owning service publishes it (`EventStatusTests` finds where).
        case produced
        /// Agreed but not published yet; a consumer may subscribe and will see none.
        case planned
    }

    public init(name: String, topic: Topic, summary: String, status: Status = .produced) {
        self.name = name
        self.topic = topic
        self.summary = summary
        self.status = status
    }

    public var description: String { name }
}
