/// The data of one event type: a Codable value encoded with `ContractJSON`, whose shape is declared once, beside
/// it, as a JSON Schema.
///
/// Payloads carry no personal data in clear: a consumer appears only as a `ConsumerRef`.
public protocol EventPayload: Codable, Sendable, Equatable {
    static var eventType: EventType { get }
    /// The aggregate this event is about: the CloudEvents subject and the Kafka record key.
    var aggregateID: String { get }
    /// A realistic instance with every optional field present: documentation, AsyncAPI examples and tests.
    static var example: Self { get }
    /// The payload's JSON Schema (as the DSL in `JSONSchema.swift` writes it). `additionalProperties` is false.
    static var schema: JSONSchema { get }
}

extension EventPayload {
    /// The complete schema document written to `contracts/schemas/<event type>.json`.
    public static var schemaDocument: JSONValue {
        schema.document(id: CloudEvent.dataSchema(ofType: eventType.name), title: eventType.name, description: eventType.summary)
    }
}
