import Contracts
import Foundation
import Logging
import ServiceKit
import Synchronization
import Testing

@Suite("Service log handler")
struct ServiceLogHandlerTests {
    final class Lines: Sendable {
        let all = Mutex<[String]>([])
    }

    @Test func writesStreamLogHandlersFormatWithTheMetadataOfTheMomentItLogs() {
        let lines = Lines()
        var logger = Logger(label: "gbm.test") { label in
            ServiceLogHandler(label: label, metadataProvider: nil) { line in lines.all.withLock { $0.append(line) } }
        }
        logger[metadataKey: "request.id"] = "r-1"
        logger[metadataKey: "auth.role"] = "ministry"
        logger.debug("below the level")
        logger.info("imported", metadata: ["batch.id": "2023-1", "request.id": "r-2"])
        logger[metadataKey: "auth.role"] = nil
        logger.warning("plain")
        let written = lines.all.withLock { $0 }
        #expect(written.count == 2)
        #expect(written.first?.hasSuffix(
            " info gbm.test: auth.role=ministry batch.id=2023-1 request.id=r-2 [ServiceKitTests] imported\n") == true,
            "\(written.first ?? "")")
        #expect(written.last?.hasSuffix(" warning gbm.test: request.id=r-1 [ServiceKitTests] plain\n") == true,
                "\(written.last ?? "")")
    }

    @Test func theJSONFormatIsOneObjectALineThatAParserReadsBack() throws {
        let lines = Lines()
        var logger = Logger(label: "gbm.test") { label in
            var handler = ServiceLogHandler(label: label, metadataProvider: nil) { line in lines.all.withLock { $0.append(line) } }
            handler.format = .json
            return handler
        }
        logger[metadataKey: "request.id"] = "r-1"
        logger.info("导入 \"1\"\nsecond line\t\u{1}", metadata: ["path": "/a\\b"])
        logger.warning("plain")
        let written = lines.all.withLock { $0 }
        #expect(written.count == 2)
        #expect(written.allSatisfy { $0.hasSuffix("}\n") && $0.filter { $0 == "\n" }.count == 1 }, "one line each")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(first["message"] as? String == "导入 \"1\"\nsecond line\t\u{1}")
        #expect(first["level"] as? String == "info")
        #expect(first["logger"] as? String == "gbm.test")
        #expect(first["source"] as? String == "ServiceKitTests")
        #expect(first["metadata"] as? [String: String] == ["path": "/a\\b", "request.id": "r-1"])
        let time = try #require(first["time"] as? String)
        #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(time)")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(formatter.date(from: time))
        #expect(abs(parsed.timeIntervalSinceNow) < 60)
    }

    /// Lines written while a request or an event is traced carry its trace and span ids, for a log collector to join
    /// them with the spans; lines outside a trace do not.
    @Test func linesWrittenInATraceCarryItsIds() throws {
        let lines = Lines()
        let logger = Logger(label: "gbm.test") { label in
            var handler = ServiceLogHandler(label: label, metadataProvider: nil) { line in lines.all.withLock { $0.append(line) } }
            handler.format = .json
            return handler
        }
        let trace = try #require(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        TraceContext.$current.withValue(trace) { logger.info("in the trace", metadata: ["request.id": "r-1"]) }
        logger.info("outside")
        let written = lines.all.withLock { $0 }
        let inside = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(inside["metadata"] as? [String: String] == [
            "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7", "request.id": "r-1"])
        let outside = try #require(try JSONSerialization.jsonObject(with: Data(written[1].utf8)) as? [String: Any])
        #expect(outside["metadata"] == nil)
    }
}
