import Contracts
import Foundation
import Testing

@Suite struct CloudEventTests {
    static let time = InternetDateTime.date(from: "2023-05-01T08:00:00.123Z")!

    static func headers(_ event: CloudEvent) -> [(key: String, value: [UInt8]?)] {
        event.kafkaHeaders.map { (key: $0.key, value: Array($0.value.utf8)) }
    }

    @Test func wrapsAPayloadWithTypeSubjectAndSource() throws {
        let event = try CloudEvent(source: "/gbm/catalogue", payload: CertificateRevoked.example, id: "e-1", time: Self.time)
        #expect(event.type == "gbm.catalogue.certificate.revoked.v1")
        #expect(event.subject == "CGBM-2023-SD-001234")
        #expect(event.partitionKey == "CGBM-2023-SD-001234")
        #expect(event.specVersion == "1.0")
        #expect(event.dataContentType == "application/json")
        #expect(try event.decode(CertificateRevoked.self) == CertificateRevoked.example)
        let defaulted = try CloudEvent(payload: ClaimApproved.example)
        #expect(defaulted.source == "/gbm/subsidy")
        #expect(UUID(uuidString: defaulted.id) != nil && defaulted.id == defaulted.id.lowercased())
    }

    @Test func kafkaHeadersAreTheBindingsBinaryMode() throws {
        let event = try CloudEvent(source: "/gbm/subsidy", payload: ClaimApproved.example, id: "e-2", time: Self.time)
        #expect(event.kafkaHeaders.map(\.key) == [
            "ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time", "ce_subject", "ce_dataschema", "content-type",
        ])
        #expect(event.kafkaHeaders.map(\.value) == [
            "e-2", "/gbm/subsidy", "gbm.subsidy.claim.approved.v1", "1.0", "2023-05-01T08:00:00.123Z",
            "8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b", "urn:gbm:event:gbm.subsidy.claim.approved.v1", "application/json",
        ])
    }

    /// Every event's `ce_dataschema` is the `$id` of the schema file of its type, so a consumer can find the schema.
    @Test func dataSchemaIsTheIDOfTheTypesSchemaDocument() throws {
        for payloadType in EventCatalogue.payloadTypes {
            let event = try CloudEvent(source: payloadType.eventType.topic.owner.eventSource, payload: payloadType.example)
            let header = event.kafkaHeaders.first { $0.key == "ce_dataschema" }?.value
            #expect(header != nil && header == payloadType.schemaDocument.objectValue?["$id"]?.stringValue)
        }
    }

    @Test func roundTripsThroughKafkaHeaders() throws {
        for payloadType in EventCatalogue.payloadTypes {
            let event = try makeEvent(payloadType)
            let read = try CloudEvent(kafkaHeaders: Self.headers(event), value: event.data)
            #expect(read == event)
            #expect(EventCatalogue.validate(read).isEmpty)
        }
    }

    private func makeEvent<P: EventPayload>(_ type: P.Type) throws -> CloudEvent {
        try CloudEvent(payload: P.example, time: Date())
    }

    @Test func timeIsKeptToTheMillisecond() throws {
        let instant = Date(timeIntervalSince1970: 1_682_928_000.123_456_7)
        let event = try CloudEvent(payload: ProbeSent.example, id: "p", time: instant)
        let read = try CloudEvent(kafkaHeaders: Self.headers(event), value: event.data)
        #expect(read.time == event.time)
        #expect(abs(read.time.timeIntervalSince(instant)) < 0.001)
        #expect(event.kafkaHeaders.first { $0.key == "ce_time" }?.value == "2023-05-01T08:00:00.123Z")
    }

    @Test func eventWithoutSubjectHasNoSubjectHeader() throws {
        let event = CloudEvent(id: "x", source: "/gbm/reporting", type: "gbm.platform.probe.sent.v1", time: Self.time, subject: nil, data: [])
        #expect(!event.kafkaHeaders.contains { $0.key == "ce_subject" })
        #expect(try CloudEvent(kafkaHeaders: Self.headers(event), value: []).subject == nil)
    }

    static func decodingError(_ edit: (inout [(key: String, value: [UInt8]?)]) -> Void) throws -> String? {
        let event = try CloudEvent(payload: ProbeSent.example, id: "p-1", time: time)
        var headers = Self.headers(event)
        edit(&headers)
        do {
            _ = try CloudEvent(kafkaHeaders: headers, value: event.data)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func missingIdIsNamed() throws {
        #expect(try Self.decodingError { $0.removeAll { $0.key == "ce_id" } } == "missing ce_id")
        #expect(try Self.decodingError { $0[0].value = nil } == "missing ce_id")
        #expect(try Self.decodingError { $0[0].value = [] } == "empty ce_id")
    }

    @Test func unknownSpecVersionIsRejected() throws {
        let reason = try Self.decodingError { $0[3].value = Array("0.3".utf8) }
        #expect(reason == "unsupported ce_specversion '0.3' (only 1.0)")
    }

    @Test func badTimeIsRejected() throws {
        #expect(try Self.decodingError { $0[4].value = Array("yesterday".utf8) }?.hasPrefix("bad ce_time 'yesterday'") == true)
        #expect(try Self.decodingError { $0[4].value = Array("2023-02-29T00:00:00Z".utf8) }?.hasPrefix("bad ce_time") == true)
        #expect(try Self.decodingError { $0.removeAll { $0.key == "ce_time" } } == "missing ce_time")
    }

    @Test func otherMissingHeadersAreNamed() throws {
        for name in ["ce_source", "ce_type", "ce_specversion"] {
            #expect(try Self.decodingError { $0.removeAll { $0.key == name } } == "missing \(name)")
        }
        #expect(try Self.decodingError { $0[1].value = [0xFF, 0xFE] } == "ce_source is not UTF-8")
    }

    @Test func missingContentTypeMeansJSONAndExtraHeadersAreIgnored() throws {
        let event = try CloudEvent(payload: ProbeSent.example, id: "p-2", time: Self.time)
        var headers = Self.headers(event).filter { $0.key != "content-type" }
        headers.append((key: "traceparent", value: Array("00-abc".utf8)))
        let read = try CloudEvent(kafkaHeaders: headers, value: event.data)
        #expect(read == event)
    }

    @Test func decodingAsTheWrongTypeFails() throws {
        let event = try CloudEvent(payload: ClaimApproved.example)
        #expect(throws: CloudEventDecodingError.self) { try event.decode(ClaimRejected.self) }
    }

    @Test func timestampsParseWithOffsetsAndFractions() {
        #expect(InternetDateTime.date(from: "2023-05-01T16:00:00+08:00") == InternetDateTime.date(from: "2023-05-01T08:00:00Z"))
        #expect(InternetDateTime.string(from: InternetDateTime.date(from: "2023-05-01T08:00:00.5Z")!) == "2023-05-01T08:00:00.500Z")
        #expect(InternetDateTime.string(from: Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(InternetDateTime.date(from: "2023-05-01 08:00:00Z") == nil)
        #expect(InternetDateTime.date(from: "2023-05-01T08:00:00") == nil)
    }
}
