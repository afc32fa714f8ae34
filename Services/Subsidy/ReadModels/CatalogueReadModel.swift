import Contracts
import Foundation
import Messaging
import Postgres

/// Certificates (with the days each was not valid) and the regions' local lists, from
/// `gbm.catalogue.certificates.v1` and `gbm.catalogue.local-lists.v1`. A suspension or revocation also holds the
/// unpaid claims that bought under the certificate (``ClaimHolds``).
struct CatalogueReadModel: Sendable {
    let holds: ClaimHolds

    var handlers: [EventHandler] {
        [
            .on(CertificateIssued.self) { issued, _, connection in
                try await connection.query("""
                    INSERT INTO certificate (number, holder_credit_code, category, star_grade, model, issued_on, expires_on, status)
                    VALUES (\(issued.certificateNumber.rawValue), \(issued.holderCreditCode.rawValue), \(issued.category.rawValue),
                        \(issued.starGrade.rawValue), \(issued.model), \(issued.issuedOn.description)::date,
                        \(issued.expiresOn.description)::date, 'valid')
                    ON CONFLICT (number) DO NOTHING
                    """)
            },
            .on(CertificateRenewed.self) { renewed, _, connection in
                try await connection.query("""
                    UPDATE certificate SET expires_on = \(renewed.expiresOn.description)::date,
                        star_grade = \(renewed.starGrade.rawValue), status = 'valid'
                    WHERE number = \(renewed.certificateNumber.rawValue)
                    """)
            },
            .on(CertificateSuspended.self) { suspended, event, connection in
                let from = WorkingDayCalendar.day(of: suspended.suspendedAt)
                try await Self.withdraw(suspended.certificateNumber, kind: "suspended", from: from,
                                        until: suspended.suspendedUntil?.adding(days: 1), on: connection)
                try await holds.holdUnpaid(certificate: suspended.certificateNumber, triggeringEventID: event.id, on: connection)
            },
            .on(CertificateRestored.self) { restored, _, connection in
                let day = WorkingDayCalendar.day(of: restored.restoredAt)
                try await connection.query("""
                    UPDATE certificate_withdrawal SET until_day = greatest(from_day, \(day.description)::date)
                    WHERE number = \(restored.certificateNumber.rawValue) AND kind = 'suspended'
                      AND (until_day IS NULL OR until_day > \(day.description)::date)
                    """)
                try await connection.query(
                    "UPDATE certificate SET status = 'valid' WHERE number = \(restored.certificateNumber.rawValue)")
            },
            .on(CertificateRevoked.self) { revoked, event, connection in
                try await Self.withdraw(revoked.certificateNumber, kind: "revoked",
                                        from: WorkingDayCalendar.day(of: revoked.revokedAt), until: nil, on: connection)
                try await holds.holdUnpaid(certificate: revoked.certificateNumber, triggeringEventID: event.id, on: connection)
            },
            .on(CertificateCancelled.self) { cancelled, _, connection in
                try await Self.withdraw(cancelled.certificateNumber, kind: "cancelled",
                                        from: WorkingDayCalendar.day(of: cancelled.cancelledAt), until: nil, on: connection)
            },
            .on(CertificateExpired.self) { expired, _, connection in
                try await connection.query("""
                    UPDATE certificate SET status = 'expired',
                        expires_on = least(expires_on, \(expired.expiredOn.description)::date)
                    WHERE number = \(expired.certificateNumber.rawValue)
                    """)
            },
            .on(LocalListEntryAdded.self) { added, _, connection in
                guard let id = UUID(uuidString: added.entryID) else {
                    throw PermanentEventError(reason: "entryID \(added.entryID) is not a UUID")
                }
                try await connection.query("""
                    INSERT INTO local_list_entry (entry_id, region_code, certificate_number, category, added_on)
                    VALUES (\(id), \(added.regionCode.rawValue), \(added.certificateNumber?.rawValue), \(added.category.rawValue),
                        \(WorkingDayCalendar.day(of: added.addedAt).description)::date)
                    ON CONFLICT (entry_id) DO NOTHING
                    """)
            },
            .on(LocalListEntryRemoved.self) { removed, _, connection in
                guard let id = UUID(uuidString: removed.entryID) else {
                    throw PermanentEventError(reason: "entryID \(removed.entryID) is not a UUID")
                }
                try await connection.query("""
                    UPDATE local_list_entry SET removed_on = \(WorkingDayCalendar.day(of: removed.removedAt).description)::date
                    WHERE entry_id = \(id) AND removed_on IS NULL
                    """)
            },
        ]
    }

    /// Records that `number` was not valid from `from` (until `until`, exclusive, or for good).
    static func withdraw(
        _ number: CertificateNumber, kind: String, from: CalendarDate, until: CalendarDate?, on connection: PostgresConnection
    ) async throws {
        try await connection.query("""
            INSERT INTO certificate_withdrawal (number, kind, from_day, until_day)
            VALUES (\(number.rawValue), \(kind), \(from.description)::date, \(until?.description)::date)
            """)
        try await connection.query("UPDATE certificate SET status = \(kind) WHERE number = \(number.rawValue)")
    }

    /// What the read model says about `numbers` on `day`: each known certificate's category and grade, whether it
    /// was valid that day (issued, not expired, not suspended, revoked or cancelled) and whether it was on `region`'s
    /// local list that day. Unknown numbers are absent.
    struct CertificateOnDay: Sendable {
        var category: ProductCategory?
        var grade: StarGrade?
        var valid: Bool
        var listed: Bool
    }

    static func certificates(
        _ numbers: [String], on day: CalendarDate, listedIn region: String, connection: PostgresConnection
    ) async throws -> [String: CertificateOnDay] {
        guard !numbers.isEmpty else { return [:] }
        let day = day.description
        let rows = try await connection.query("""
            SELECT c.number, c.category, c.star_grade,
                (c.issued_on <= \(day)::date AND \(day)::date <= c.expires_on AND NOT EXISTS (
                    SELECT 1 FROM certificate_withdrawal w WHERE w.number = c.number AND w.from_day <= \(day)::date
                      AND (w.until_day IS NULL OR w.until_day > \(day)::date))) AS valid,
                EXISTS (SELECT 1 FROM local_list_entry e WHERE e.region_code = \(region) AND e.certificate_number = c.number
                      AND e.added_on <= \(day)::date AND (e.removed_on IS NULL OR e.removed_on > \(day)::date)) AS listed
            FROM certificate c WHERE c.number = ANY(\(numbers))
            """)
        var found: [String: CertificateOnDay] = [:]
        for row in rows.rows {
            found[try row.decode("number", as: String.self)] = CertificateOnDay(
                category: ProductCategory(rawValue: try row.decode("category", as: String.self)),
                grade: StarGrade(rawValue: try row.decode("star_grade", as: String.self)),
                valid: try row.decode("valid", as: Bool.self), listed: try row.decode("listed", as: Bool.self))
        }
        return found
    }
}
