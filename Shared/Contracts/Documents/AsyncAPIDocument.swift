/// The AsyncAPI 3.0 document of the contract (`contracts/asyncapi.yaml`): one channel per topic, one message per
/// event type (CloudEvents Kafka headers as its headers schema, its payload a `$ref` to the event type's JSON
/// Schema file), and a `send` operation per topic for the service that owns it.
public enum AsyncAPIDocument {
    public static let version = "1.0.0"
    static let kafkaBindingVersion = "0.5.0"
    static let headersSchemaName = "CloudEventsKafkaHeaders"

    public static var yaml: String { node.text }

    public static var node: YAMLNode {
        typealias E = YAMLNode.Entry
        let topics = EventCatalogue.topics
        return .mapping([
            E("asyncapi", .string("3.0.0")),
            E("info", .mapping([
                E("title", .string("Green Building Materials to the Countryside (绿色建材下乡): event contract")),
                E("version", .string(version)),
                E("description", .string("""
                    Events published by the five services of the 2023 campaign (工信厅联原函〔2023〕50号). Every record \
                    is a CloudEvents 1.0 event in the Kafka binding's binary content mode: ce_* headers, JSON payload \
                    as the record value, the aggregate id as the record key. Money is integer fen; dates are ISO 8601; \
                    consumers appear only as keyed-hash references. See docs/events.md for the compatibility policy.
                    """)),
            ])),
            E("servers", servers),
            E("defaultContentType", .string(CloudEvent.jsonContentType)),
            E("channels", .mapping(topics.map { E($0.name, channel($0)) })),
            E("operations", .mapping(topics.map { E("send.\($0.name)", operation($0)) })),
            E("components", .mapping([
                E("schemas", .mapping([E(headersSchemaName, YAMLNode(headersSchema))])),
                E("securitySchemes", .mapping([E("scram", YAMLNode([
                    "type": "scramSha512",
                    "description": "SASL/SCRAM-SHA-512 over TLS: a principal per service (write ACLs on its own topics only) and read-only principals for other ministries' systems (docs/deploy.md).",
                ] as JSONValue))])),
                E("messages", .mapping(EventCatalogue.payloadTypes.map { E($0.eventType.name, message($0)) })),
            ])),
        ])
    }

    /// Where the topics are: the local broker `deploy/local/up.sh` starts, and the production cluster of
    /// `deploy/docker-compose.yml` (its external listener, for other ministries' systems).
    static var servers: YAMLNode {
        typealias E = YAMLNode.Entry
        return .mapping([
            E("local", .mapping([
                E("host", .string("127.0.0.1:19092")),
                E("protocol", .string("kafka")),
                E("description", .string("The embedded broker of deploy/local/up.sh (Tansu, memory storage; unauthenticated, loopback only).")),
            ])),
            E("production", .mapping([
                E("host", .string("{externalHost}:29092")),
                E("protocol", .string("kafka-secure")),
                E("description", .string("The three-node cluster of deploy/docker-compose.yml (replication factor 3, min.insync.replicas 2): its EXTERNAL listener (SASL_SSL) for other systems; the nodes answer on ports 29092, 29093 and 29094 of GBM_KAFKA_EXTERNAL_HOST.")),
                E("variables", .mapping([E("externalHost", .mapping([
                    E("description", .string("GBM_KAFKA_EXTERNAL_HOST of the deployment.")),
                    E("default", .string("localhost")),
                ]))])),
                E("security", .sequence([reference("#/components/securitySchemes/scram")])),
            ])),
        ])
    }

    static func reference(_ pointer: String) -> YAMLNode {
        .mapping([YAMLNode.Entry("$ref", .string(pointer))])
    }

    static func channel(_ topic: Topic) -> YAMLNode {
        typealias E = YAMLNode.Entry
        return .mapping([
            E("address", .string(topic.name)),
            E("title", .string(topic.name)),
            E("description", .string(
                "Published by the \(topic.owner.rawValue) service (ce_source \(topic.owner.eventSource)). "
                    + "Record key: \(topic.key). Dead-letter topic: \(topic.deadLetter).")),
            E("messages", .mapping(topic.eventTypes.map { E($0.name, reference("#/components/messages/\($0.name)")) })),
            E("bindings", .mapping([E("kafka", .mapping([
                E("topic", .string(topic.name)),
                E("partitions", .literal(String(topic.partitions))),
                E("bindingVersion", .string(kafkaBindingVersion)),
            ]))])),
        ])
    }

    static func operation(_ topic: Topic) -> YAMLNode {
        typealias E = YAMLNode.Entry
        return .mapping([
            E("action", .string("send")),
            E("channel", reference("#/channels/\(topic.name)")),
            E("title", .string("\(topic.owner.rawValue) publishes \(topic.name)")),
            E("summary", .string("Only the \(topic.owner.rawValue) service sends to this topic, through its transactional outbox.")),
            E("tags", .sequence([.mapping([E("name", .string(topic.owner.rawValue))])])),
            E("messages", .sequence(topic.eventTypes.map { reference("#/channels/\(topic.name)/messages/\($0.name)") })),
        ])
    }

    static func message(_ payloadType: any EventPayload.Type) -> YAMLNode {
        typealias E = YAMLNode.Entry
        let type = payloadType.eventType
        let example = (try? JSONValue(parsing: ContractJSON.encode(payloadType.example))) ?? .null
        return .mapping([
            E("name", .string(type.name)),
            E("title", .string(type.name)),
            E("summary", .string(type.summary)),
            E("description", .string(type.status == .produced
                ? "Status: produced (the \(type.topic.owner.rawValue) service publishes it today)."
                : "Status: planned (in the contract, not published yet).")),
            E("x-gbm-status", .string(type.status.rawValue)),
            E("contentType", .string(CloudEvent.jsonContentType)),
            E("headers", .mapping([E("allOf", .sequence([
                reference("#/components/schemas/\(headersSchemaName)"),
                YAMLNode([
                    "type": "object",
                    "properties": [
                        "ce_type": ["const": .string(type.name)],
                        "ce_source": ["const": .string(type.topic.owner.eventSource)],
                        "ce_dataschema": ["const": .string(CloudEvent.dataSchema(ofType: type.name))],
                    ],
                ] as JSONValue),
            ]))])),
            E("payload", reference("schemas/\(type.name).json")),
            E("bindings", .mapping([E("kafka", .mapping([
                E("key", YAMLNode(["type": "string", "description": .string("The \(type.topic.key) (also ce_subject).")] as JSONValue)),
                E("bindingVersion", .string(kafkaBindingVersion)),
            ]))])),
            E("examples", .sequence([.mapping([
                E("name", .string("example")),
                E("headers", YAMLNode([
                    "ce_specversion": .string(CloudEvent.specVersion),
                    "ce_type": .string(type.name),
                    "ce_source": .string(type.topic.owner.eventSource),
                    "ce_id": "5f0c6b8e-2d3a-4f7b-9c1e-8a6d4b2f0e13",
                    "ce_time": "2023-05-01T08:00:00.000Z",
                    "ce_subject": .string(payloadType.example.aggregateID),
                    "ce_dataschema": .string(CloudEvent.dataSchema(ofType: type.name)),
                    "content-type": .string(CloudEvent.jsonContentType),
                ] as JSONValue)),
                E("payload", YAMLNode(example)),
            ])])),
        ])
    }

    /// The CloudEvents Kafka binding headers every message carries.
    public static var headersSchema: JSONValue {
        [
            "type": "object",
            "description": "CloudEvents 1.0 attributes as Kafka record headers (binary content mode).",
            "required": ["ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time", "ce_dataschema", "content-type"],
            "properties": [
                "ce_id": ["type": "string", "minLength": 1, "description": "Event id, unique per ce_source (a UUID); consumers deduplicate on ce_source + ce_id."],
                "ce_source": ["type": "string", "pattern": "^/gbm/[a-z]+$", "description": "The producing service: /gbm/<service>."],
                "ce_type": ["type": "string", "description": "The event type: gbm.<service>.<aggregate>.<verb>.v<major>."],
                "ce_specversion": ["type": "string", "const": "1.0"],
                "ce_time": ["type": "string", "format": "date-time", "description": "When it happened, RFC 3339 UTC with milliseconds."],
                "ce_subject": ["type": "string", "description": "The aggregate id; equal to the record key."],
                "ce_dataschema": ["type": "string", "format": "uri", "description": "The `$id` of the payload's JSON Schema (urn:gbm:event:<ce_type>), as in contracts/schemas/<ce_type>.json."],
                "content-type": ["type": "string", "const": "application/json"],
                "ce_traceparent": ["type": "string", "pattern": "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", "description": "CloudEvents distributed-tracing extension: the W3C traceparent of the work that caused the event (the HTTP request, or the handler of another event), when the producing service traces (GBM_TRACING=otlp). A consumer continues the trace from it."],
                "ce_tracestate": ["type": "string", "maxLength": 512, "description": "CloudEvents distributed-tracing extension: the W3C tracestate that came with ce_traceparent, if any."],
            ],
        ]
    }
}
