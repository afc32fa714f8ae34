import Contracts
import Foundation
import Testing

/// The W3C trace context as an event carries it: the CloudEvents distributed-tracing extension in the Kafka binding.
@Suite struct TraceContextTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func onlyAValidVersion00TraceparentIsKept() {
        #expect(TraceContext(traceparent: Self.valid)?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(TraceContext(traceparent: Self.valid)?.spanID == "00f067aa0ba902b7")
        for invalid in [
            "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", // no flags
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // another version
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", // not hex
            Self.valid + "-", " " + Self.valid,
        ] {
            #expect(TraceContext(traceparent: invalid) == nil, "\(invalid)")
        }
        #expect(TraceContext(traceparent: Self.valid, tracestate: "  ")?.tracestate == nil)
        #expect(TraceContext(traceparent: Self.valid, tracestate: String(repeating: "a", count: 513))?.tracestate == nil)
        #expect(TraceContext(traceparent: Self.valid, tracestate: " congo=t61rcWkgMzE ")?.tracestate == "congo=t61rcWkgMzE")
    }

    @Test func aTracedEventCarriesItsContextInCeHeadersAndReadsItBack() throws {
        var event = CloudEvent(
            id: "e-1", source: "/gbm/catalogue", type: "gbm.catalogue.enterprise.registered.v1", time: Date(),
            subject: "k", data: Array("{}".utf8))
        #expect(!event.kafkaHeaders.contains { $0.key.hasPrefix("ce_trace") }, "an untraced event has no trace headers")
        event.trace = TraceContext(traceparent: Self.valid, tracestate: "congo=t61rcWkgMzE")
        let headers = event.kafkaHeaders
        #expect(headers.first { $0.key == "ce_traceparent" }?.value == Self.valid)
        #expect(headers.first { $0.key == "ce_tracestate" }?.value == "congo=t61rcWkgMzE")
        let read = try CloudEvent(kafkaHeaders: headers, value: event.data)
        #expect(read == event)
    }

    @Test func aMalformedTraceparentOnARecordIsIgnoredNotRefused() throws {
        let event = CloudEvent(
            id: "e-2", source: "/gbm/catalogue", type: "gbm.catalogue.enterprise.registered.v1", time: Date(),
            subject: "k", data: Array("{}".utf8))
        let headers = event.kafkaHeaders + [("ce_traceparent", "garbage"), ("ce_tracestate", "a=b")]
        let read = try CloudEvent(kafkaHeaders: headers, value: event.data)
        #expect(read.trace == nil)
        #expect(read.id == "e-2")
    }
}
