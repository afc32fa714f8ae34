import Foundation

/// A probe the messaging layer sends through a topic to check the pipeline end to end (not part of the published contract).
///
/// Event type `gbm.platform.probe.sent.v1` on topic `gbm.platform.probes.v1`; key: `id`.
public struct ProbeSent: EventPayload {
    public static let eventType = EventType(
        name: "gbm.platform.probe.sent.v1", topic: .platformProbes,
        summary: "A probe the messaging layer sends through a topic to check the pipeline end to end (not part of the published contract).")

    /// The probe's id.
    public var id: String
    /// Position in the sender's sequence.
    public var sequence: Int64
    /// When it was sent.
    public var sentAt: Date
    /// Free text for the test.
    public var note: String

    public var aggregateID: String { id }

    public init(
        id: String,
        sequence: Int64,
        sentAt: Date,
        note: String
    ) {
        self.id = id
        self.sequence = sequence
        self.sentAt = sentAt
        self.note = note
    }

    public static var schema: JSONSchema {
        .object([
            .required("id", .text(maxLength: 100), "The probe's id."),
            .required("sequence", .integer(minimum: 0), "Position in the sender's sequence."),
            .required("sentAt", .dateTime, "When it was sent."),
            .required("note", .string(maxLength: 1000), "Free text for the test."),
        ])
    }

    public static var example: ProbeSent {
        ProbeSent(
            id: "probe-0001",
            sequence: 1,
            sentAt: Example.time("2023-05-01T08:00:00Z"),
            note: "hello"
        )
    }
}
