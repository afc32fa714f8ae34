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
}
