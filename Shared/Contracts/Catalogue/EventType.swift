/// An event type of the contract: `gbm.<service>.<aggregate>.<past-tense-verb>.v<major>`, published on one topic.
public struct EventType: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let topic: Topic
    /// One sentence saying what happened, for the schema, the AsyncAPI document and people.
    public let summary: String

    public init(name: String, topic: Topic, summary: String) {
        self.name = name
        self.topic = topic
        self.summary = summary
    }

    public var description: String { name }
}
