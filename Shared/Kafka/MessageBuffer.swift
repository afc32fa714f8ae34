/// The consumer's FIFO of polled messages not yet handed to the reader.
struct MessageBuffer {
    private var storage: [KafkaMessage] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { count == 0 }

    mutating func append(_ message: KafkaMessage) {
        storage.append(message)
    }

    mutating func append(contentsOf messages: some Collection<KafkaMessage>) {
        storage.append(contentsOf: messages)
    }

    mutating func popFirst() -> KafkaMessage? {
        guard head < storage.count else { return nil }
        let message = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return message
    }

    /// Drops the messages `shouldDrop` selects; returns how many.
    @discardableResult
    mutating func removeAll(where shouldDrop: (KafkaMessage) -> Bool) -> Int {
        storage.removeFirst(head)
        head = 0
        let before = storage.count
        storage.removeAll(where: shouldDrop)
        return before - storage.count
    }

    mutating func removeAll() {
        storage.removeAll()
        head = 0
    }
}
