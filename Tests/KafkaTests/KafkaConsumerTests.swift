import Kafka
import TestSupport
import Testing

@Suite("Kafka consumer")
struct KafkaConsumerTests {
    @Test func twoConsumersInOneGroupShareThePartitionsAndTheSurvivorTakesOverWithNothingLost() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment, partitions: 4)
        let group = uniqueName("group")
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        let received = Received()
        // Slow readers, so that rebalances find messages buffered and handed out but not yet stored.
        func startReading(_ consumer: KafkaConsumer) -> Task<Void, Never> {
            Task {
                for await message in consumer.messages {
                    received.add(message)
                    try? await Task.sleep(for: .milliseconds(1))
                    try? consumer.storeOffset(message)
                }
            }
        }
        func values(_ prefix: String, _ count: Int) -> Set<String> { Set((0..<count).map { "\(prefix)-\($0)" }) }

        let first = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: group, topics: [topic], logger: testLogger)
        let firstReader = startReading(first)
        #expect(await eventually(timeout: .seconds(60)) { first.assignment.count == 4 })
        _ = try await produce(producer, topic: topic, count: 600, keys: 40, prefix: "alone")

        // The second member joins while the first is still working through its messages.
        let second = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: group, topics: [topic], logger: testLogger)
        let secondReader = startReading(second)
        let shared = await eventually(timeout: .seconds(60)) {
            first.assignment.count == 2 && second.assignment.count == 2
        }
        #expect(shared, "each consumer gets two of the four partitions: \(first.assignment) / \(second.assignment)")
        #expect(Set(first.assignment).isDisjoint(with: second.assignment))
        _ = try await produce(producer, topic: topic, count: 400, keys: 40, prefix: "shared")
        let expectedBefore = values("alone", 600).union(values("shared", 400))
        #expect(await eventually(timeout: .seconds(60)) { expectedBefore.isSubset(of: received.distinct) })

        // The first member leaves while records keep arriving.
        async let during = produce(producer, topic: topic, count: 400, keys: 40, prefix: "during")
        await first.close()
        await firstReader.value
        _ = try await during
        let tookOver = await eventually(timeout: .seconds(60)) { second.assignment.count == 4 }
        #expect(tookOver, "the survivor takes over all partitions: \(second.assignment)")
        _ = try await produce(producer, topic: topic, count: 400, keys: 40, prefix: "after")

        let expected = expectedBefore.union(values("during", 400)).union(values("after", 400))
        let complete = await eventually(timeout: .seconds(60)) { expected.isSubset(of: received.distinct) }
        #expect(complete, "missing: \(expected.subtracting(received.distinct).sorted().prefix(20))")
        #expect(received.distinct == expected)

        await second.close()
        await secondReader.value
        await producer.shutdown()
    }

    @Test func closeCommitsStoredOffsetsSoTheNextMemberResumesRightAfterTheLastStoredMessage() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment)
        let group = uniqueName("group")
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        _ = try await produce(producer, topic: topic, count: 30)
        await producer.shutdown()

        let firstMember = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: group, topics: [topic], logger: testLogger)
        // Read 15 but store only the first 10: the other 5 were handed out, not processed.
        let read = await collect(firstMember, count: 15, store: false)
        #expect(read.map(\.offset) == Array(0..<15))
        for message in read.prefix(10) {
            try firstMember.storeOffset(message)
        }
        await firstMember.close()
        await firstMember.close()
        let afterClose = await collect(firstMember, count: 1, timeout: .seconds(1))
        #expect(afterClose.isEmpty, "the sequence has finished")
        #expect(throws: KafkaError.self) { try firstMember.storeOffset(read[10]) }

        let secondMember = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: group, topics: [topic], logger: testLogger)
        let resumed = await collect(secondMember, count: 20)
        await secondMember.close()
        #expect(resumed.first?.offset == 10)
        #expect(resumed.map(\.offset) == Array(10..<30))
        #expect(resumed.first?.text == "m-10")
    }

    @Test func lagCountsWhatIsOnTheBrokerAndNotYetProcessedPerPartition() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment, partitions: 2)
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        _ = try await produce(producer, topic: topic, count: 30)
        let consumer = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: uniqueName("group"), topics: [topic], logger: testLogger)
        // All 30 handed out, 12 processed (stored): 18 behind, whichever partitions they are on.
        let read = await collect(consumer, count: 30, store: false)
        for message in read.prefix(12) { try consumer.storeOffset(message) }
        func total() async -> Int64 { await consumer.lag()?.reduce(0) { $0 + $1.lag } ?? -1 }
        #expect(await eventually(timeout: .seconds(30)) { await total() == 18 }, "18 behind")
        let lags = await consumer.lag() ?? []
        #expect(Set(lags.map(\.partition.partition)) == [0, 1])
        #expect(lags.allSatisfy { $0.highWatermark == $0.position + $0.lag })

        // Five more on the broker: 23 behind once a fetch response shows the new watermark; then all processed.
        _ = try await produce(producer, topic: topic, count: 5, prefix: "n")
        #expect(await eventually(timeout: .seconds(30)) { await total() == 23 }, "23 behind once the new watermark is seen")
        for message in read.dropFirst(12) { try consumer.storeOffset(message) }
        for message in await collect(consumer, count: 5, store: false) { try consumer.storeOffset(message) }
        #expect(await eventually(timeout: .seconds(30)) { await total() == 0 }, "caught up")
        await producer.shutdown()
        await consumer.close()
        #expect(await consumer.lag()?.isEmpty == true, "a closed consumer has no assignment")
    }

    @Test func explicitCommitSucceedsWithAndWithoutStoredOffsets() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment)
        let group = uniqueName("group")
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        _ = try await produce(producer, topic: topic, count: 5)
        await producer.shutdown()

        let consumer = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: group, topics: [topic], logger: testLogger)
        try await consumer.commit()
        let read = await collect(consumer, count: 3)
        #expect(read.count == 3)
        try await consumer.commit()
        await consumer.close()
        await #expect(throws: KafkaError.self) { try await consumer.commit() }

        let next = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: group, topics: [topic], logger: testLogger)
        let rest = await collect(next, count: 2)
        await next.close()
        #expect(rest.map(\.offset) == [3, 4])
    }

    @Test func aReaderThatFallsBehindPausesFetchingAndThenGetsEveryMessageInOrder() async throws {
        let environment = try TestEnvironment.current()
        let partitions = 3
        let topic = try await makeTopic(environment, partitions: partitions)
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        let count = 4000
        let reports = try await produce(producer, topic: topic, count: count, keys: 30)
        await producer.shutdown()

        var configuration = testConfiguration(environment)
        configuration.consumerBufferHighWaterMark = 500
        let consumer = try KafkaConsumer(
            configuration: configuration, groupID: uniqueName("group"), topics: [topic], logger: testLogger)
        let paused = await eventually(timeout: .seconds(60)) { consumer.isPaused }
        #expect(paused, "the consumer pauses when nobody reads")
        // Five more rounds of the poll thread (half a second when nothing arrives) while nobody reads.
        let rounds = consumer.pollRounds
        #expect(await eventually(timeout: .seconds(30)) { consumer.pollRounds >= rounds + 5 }, "the poll thread goes on")
        #expect(consumer.isPaused)
        #expect(consumer.bufferedMessageCount >= 500)
        #expect(consumer.bufferedMessageCount <= 510, "fetching stopped near the high-water mark")

        let messages = await collect(consumer, count: count)
        #expect(await eventually(timeout: .seconds(5)) { !consumer.isPaused }, "fetching resumes once drained")
        await consumer.close()

        #expect(messages.count == count)
        let expectedPerPartition = Dictionary(grouping: reports, by: \.partition).mapValues {
            $0.map(\.offset).sorted()
        }
        let receivedPerPartition = Dictionary(grouping: messages, by: \.partition).mapValues { $0.map(\.offset) }
        for partition in 0..<Int32(partitions) {
            let received = receivedPerPartition[partition] ?? []
            #expect(received == expectedPerPartition[partition] ?? [], "partition \(partition) in order, none missing")
            #expect(received == Array(0..<Int64(received.count)))
        }
    }

    @Test func explicitPauseStopsDeliveryUntilResume() async throws {
        let environment = try TestEnvironment.current()
        let topic = try await makeTopic(environment)
        let producer = try KafkaProducer(configuration: testConfiguration(environment), logger: testLogger)
        let consumer = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: uniqueName("group"), topics: [topic],
            logger: testLogger)
        #expect(await eventually(timeout: .seconds(60)) { consumer.assignment.count == 1 })
        consumer.pause()
        #expect(await eventually { consumer.isPaused })
        _ = try await produce(producer, topic: topic, count: 10)
        // The records are there to be fetched: a member of another group reads all ten meanwhile.
        let witness = try KafkaConsumer(
            configuration: testConfiguration(environment), groupID: uniqueName("witness"), topics: [topic],
            logger: testLogger)
        #expect(await collect(witness, count: 10).count == 10)
        await witness.close()
        #expect(consumer.bufferedMessageCount == 0, "nothing is fetched while paused")

        consumer.resume()
        let messages = await collect(consumer, count: 10)
        #expect(messages.map(\.offset) == Array(0..<10))
        await consumer.close()
        await producer.shutdown()
    }
}
