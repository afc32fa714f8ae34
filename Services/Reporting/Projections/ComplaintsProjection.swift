import Contracts
import Foundation
import Messaging
import Postgres

/// Facts from `gbm.complaints.*`: complaints, consultations and reports received (by kind), the steps they reach,
/// closures by outcome, statutory deadlines breached, compensation agreed, certification violations reported; and
/// per case its receipt and last closure (`complaint_case`), from which `measure` derives the cases handled and
/// their handling time in working days. Consumers appear in none of them (the events carry only a keyed hash).
///
/// The handling time needs two events (receipt and closure) that may arrive in either order: each fills its own
/// columns, closures and reopenings keep the latest instant, and whichever event completes the row computes the
/// working days, so the result does not depend on arrival order or redelivery.
enum ComplaintsProjection {
    /// The handlers, counting handling times in `calendar`'s working days (the SAMR rules count working days; every
    /// campaign year's holidays, `seeds/calendar/<year>.json`).
    static func handlers(calendar: WorkingDayCalendar) -> [EventHandler] { [
        .on(ComplaintReceived.self) { received, event, connection in
            try await receive(received.complaintID, region: received.regionCode, kind: received.kind,
                              on: received.receivedOn, event: event, calendar: calendar, connection: connection)
        },
        .on(ReportReceived.self) { received, event, connection in
            try await receive(received.reportID, region: received.regionCode, kind: .report,
                              on: received.receivedOn, event: event, calendar: calendar, connection: connection)
        },
        FactLedger.handler(ComplaintAccepted.self) { accepted in
            [Fact(.complaintsProgress, "accepted", region: accepted.regionCode, day: accepted.acceptedOn)]
        },
        FactLedger.handler(ComplaintNotAccepted.self) { refused in
            [Fact(.complaintsProgress, "not-accepted", region: refused.regionCode, day: refused.decidedOn)]
        },
        FactLedger.handler(ComplaintTransferred.self) { transferred in
            [Fact(.complaintsProgress, "transferred", region: transferred.regionCode, at: transferred.transferredAt)]
        },
        FactLedger.handler(ComplaintSettlementStarted.self) { started in
            [Fact(.complaintsProgress, "settlement-started", region: started.regionCode, at: started.startedAt)]
        },
        FactLedger.handler(ComplaintMediationStarted.self) { started in
            [Fact(.complaintsProgress, "mediation-started", region: started.regionCode, at: started.startedAt)]
        },
        FactLedger.handler(ComplaintMediated.self) { mediated in
            var facts = [Fact(.complaintsProgress, mediated.bySettlement ? "settled" : "mediated",
                              region: mediated.regionCode, day: mediated.mediatedOn)]
            if let compensation = mediated.compensation, compensation.rawValue > 0 {
                facts.append(Fact(.complaintsCompensation, region: mediated.regionCode, day: mediated.mediatedOn,
                                  value: compensation.rawValue))
            }
            return facts
        },
        FactLedger.handler(ComplaintMediationTerminated.self) { terminated in
            [Fact(.complaintsProgress, "mediation-terminated", region: terminated.regionCode, day: terminated.terminatedOn)]
        },
        .on(ComplaintClosed.self) { closed, event, connection in
            try await connection.query("""
                INSERT INTO complaint_case (complaint_id, region_code, closed_at)
                VALUES (\(closed.complaintID), \(closed.regionCode.rawValue), \(closed.closedAt))
                ON CONFLICT (complaint_id) DO UPDATE SET closed_at = greatest(complaint_case.closed_at, EXCLUDED.closed_at)
                """)
            try await completeHandlingTime(closed.complaintID, calendar: calendar, connection: connection)
            try await FactLedger.record(
                [Fact(.complaintsClosed, closed.outcome.rawValue, region: closed.regionCode, at: closed.closedAt)],
                of: event, on: connection)
        },
        .on(ComplaintReopened.self) { reopened, event, connection in
            try await connection.query("""
                INSERT INTO complaint_case (complaint_id, region_code, reopened_at)
                VALUES (\(reopened.complaintID), \(reopened.regionCode.rawValue), \(reopened.reopenedAt))
                ON CONFLICT (complaint_id) DO UPDATE SET reopened_at = greatest(complaint_case.reopened_at, EXCLUDED.reopened_at)
                """)
            try await FactLedger.record(
                [Fact(.complaintsProgress, "reopened", region: reopened.regionCode, at: reopened.reopenedAt)],
                of: event, on: connection)
        },
        FactLedger.handler(ComplaintDeadlineBreached.self) { breached in
            [Fact(.complaintsDeadlineBreaches, breached.deadline.rawValue, region: breached.regionCode, day: breached.dueOn)]
        },
        FactLedger.handler(ReportCaseOpened.self) { opened in
            [Fact(.complaintsProgress, "case-opened", region: opened.regionCode, day: opened.openedOn)]
        },
        FactLedger.handler(ReportCaseDeclined.self) { declined in
            [Fact(.complaintsProgress, "case-declined", region: declined.regionCode, day: declined.decidedOn)]
        },
        FactLedger.handler(CertificationViolationReported.self) { reported in
            [Fact(.certificationViolations, reported.violationKind.rawValue, region: reported.regionCode, at: reported.reportedAt)]
        },
        FactLedger.handler(ComplaintChannelsPublished.self) { published in
            [Fact(.complaintChannelsPublished, region: published.regionCode, at: published.publishedAt)]
        },
    ] }

    /// Records a case's receipt and its fact, then completes its handling time if its closure arrived first.
    private static func receive(
        _ id: String, region: DivisionCode, kind: ComplaintKind, on day: CalendarDate, event: CloudEvent,
        calendar: WorkingDayCalendar, connection: PostgresConnection
    ) async throws {
        try await connection.query("""
            INSERT INTO complaint_case (complaint_id, region_code, kind, received_on)
            VALUES (\(id), \(region.rawValue), \(kind.rawValue), \(day.description)::date)
            ON CONFLICT (complaint_id) DO UPDATE SET region_code = EXCLUDED.region_code, kind = EXCLUDED.kind,
                received_on = EXCLUDED.received_on
            """)
        try await completeHandlingTime(id, calendar: calendar, connection: connection)
        try await FactLedger.record([Fact(.complaintsReceived, kind.rawValue, region: region, day: day)], of: event, on: connection)
    }

    /// Once a case's receipt and a closure are both known: the working days from receipt to its latest closure
    /// (`(received, closed]`, as the deadlines count).
    private static func completeHandlingTime(
        _ id: String, calendar: WorkingDayCalendar, connection: PostgresConnection
    ) async throws {
        let rows = try await connection.query("""
            SELECT to_char(received_on, 'YYYY-MM-DD') AS received_on, closed_at FROM complaint_case
            WHERE complaint_id = \(id) AND received_on IS NOT NULL AND closed_at IS NOT NULL
            """)
        guard let row = rows.first,
              let received = CalendarDate(try row.decode("received_on", as: String.self)) else { return }
        let closed = WorkingDayCalendar.day(of: try row.decode("closed_at", as: Date.self))
        let days = max(0, calendar.workingDays(from: received, to: closed))
        try await connection.query("""
            UPDATE complaint_case SET handling_working_days = \(Int64(days)), closed_on = \(closed.description)::date
            WHERE complaint_id = \(id)
            """)
    }
}
