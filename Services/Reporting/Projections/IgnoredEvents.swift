import Contracts
import Messaging

/// Consumed events the projections have no use for, unknown types (a newer producer's) included: counted by type
/// as `events.ignored` facts, nationally, on the day they happened; never dead-lettered, never fatal.
enum IgnoredEvents {
    static let handler = EventHandler(eventType: "*") { event, connection in
        try await FactLedger.record(
            [Fact(.eventsIgnored, event.type, region: "", day: WorkingDayCalendar.day(of: event.time))],
            of: event, on: connection)
    }
}
