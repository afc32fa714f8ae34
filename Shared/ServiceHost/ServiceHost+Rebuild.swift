import Foundation
import Kafka
import Logging
import Messaging
import Postgres

/// A service without projections was asked to rebuild them, or the replay could not finish.
public struct RebuildError: Error, CustomStringConvertible {
    public var description: String
}

extension ServiceHost {
    /// What a rebuild replayed.
    public struct Rebuilt: Sendable, Equatable {
        /// Records read from the topics (each applied through the inbox, or dead-lettered as the consumer would).
        public var records: Int
        /// Records per topic.
        public var perTopic: [String: Int]
    }

    /// Empties the projections and the inbox in one transaction, then replays every consumed topic from its first
    /// offset up to its end when the replay reached it, applying each record through the consumer's inbox path.
    /// Records are read a page per partition at a time, so memory stays bounded however long the topics are.
    /// The result equals what the live consumer builds: the handlers are keyed by the event, so order and
    /// repetition do not change it.
    public func rebuild(pageSize: Int = 5_000) async throws -> Rebuilt {
        guard let reset = definition.projectionReset, let consumer else {
            throw RebuildError(description: "\(definition.executableName) keeps no projections to rebuild")
        }
        let schema = definition.schema
        try await context.pool.transaction { connection in
            try await reset(connection)
            try await connection.query("TRUNCATE \(identifier: schema).inbox")
        }
        let reader = KafkaTopicReader(configuration: configuration.kafka, logger: logger)
        var rebuilt = Rebuilt(records: 0, perTopic: [:])
        for topic in definition.consumes.map(\.name) {
            var count = 0
            for marks in try await reader.watermarks(topic: topic) where marks.high > marks.low {
                var next = marks.low
                while next < marks.high {
                    let page = try await reader.read(
                        topic: topic, partitions: [marks.partition], from: next, upTo: marks.high, limit: pageSize,
                        timeout: .seconds(60))
                    guard let last = page.last else { break }
                    let finished = await consumer.apply(page)
                    guard finished == page.count else {
                        throw RebuildError(description: "the replay of \(topic)[\(marks.partition)] was interrupted at offset \(page[finished].offset)")
                    }
                    count += page.count
                    next = last.offset + 1
                }
            }
            rebuilt.perTopic[topic] = count
            rebuilt.records += count
            logger.info("topic replayed", metadata: ["kafka.topic": "\(topic)", "rebuild.records": "\(count)"])
        }
        return rebuilt
    }

    /// `<service> rebuild`: reads the environment like the service, assembles it (migrations, topics), rebuilds,
    /// prints what it replayed.
    static func runRebuild(_ definition: ServiceDefinition, logger: Logger) async -> Int32 {
        do {
            let configuration = try HostConfiguration(definition: definition, environment: .process)
            try DevelopmentRun.check(configuration, schema: definition.schema, environment: .process, logger: logger)
            let host = try await assemble(definition, configuration: configuration, logger: logger)
            let rebuilt = try await host.rebuild()
            await host.context.pool.close()
            print("\(definition.executableName): projections rebuilt from \(rebuilt.records) record(s)")
            for (topic, count) in rebuilt.perTopic.sorted(by: { $0.key < $1.key }) {
                print("  \(topic): \(count)")
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("\(definition.executableName) rebuild: \(error)\n".utf8))
            return 1
        }
    }
}
