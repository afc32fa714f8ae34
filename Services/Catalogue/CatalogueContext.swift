import Contracts
import Foundation
import Logging
import Messaging
import Postgres
import ServiceHost
import ServiceKit

/// What the catalogue's routes, handlers and jobs share: the host's context and the catalogue's clock.
public struct CatalogueContext: Sendable {
    public let service: ServiceContext
    public let clock: CatalogueClock

    public init(service: ServiceContext, clock: CatalogueClock) {
        self.service = service
        self.clock = clock
    }

    var pool: PostgresPool { service.pool }
    var outbox: Outbox { service.outbox }
    var logger: Logger { service.logger }
}

/// The role recorded on events and history for a caller.
extension Principal {
    var actorRole: ActorRole {
        switch role {
        case .ministry: department == "SAMR" ? .marketRegulator : .ministryOfficial
        case .regionOfficial: .regionalOfficial
        case .certificationBody: .certificationBody
        case .enterprise: .enterprise
        case .consumer: .consumer
        }
    }
}

extension PostgresRow {
    /// A `date` column as a calendar date.
    func calendarDate(_ column: String) throws -> CalendarDate {
        let text = try decode(column, as: String.self)
        guard let date = CalendarDate(text) else {
            throw PostgresError(kind: .decoding, message: "column \(column): \(text) is not a date")
        }
        return date
    }

    /// A column holding a stored enumeration value.
    func enumeration<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws -> Value
    where Value.RawValue == String {
        let text = try decode(column, as: String.self)
        guard let value = Value(rawValue: text) else {
            throw PostgresError(kind: .decoding, message: "column \(column): unknown value \(text)")
        }
        return value
    }

    /// A stored credit code (validated when it was written).
    func creditCode(_ column: String) throws -> UnifiedSocialCreditCode {
        try UnifiedSocialCreditCode(validating: try decode(column, as: String.self))
    }
}
