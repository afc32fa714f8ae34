import Contracts
import Foundation
import Messaging
import Postgres
import ServiceLifecycle

/// Watches every case's running deadline (acceptance, settlement, mediation, termination notice, report decision).
///
/// - A deadline passed without the step is a breach: flagged on the case (`overdue`, and in its breaches) and
///   announced once with `complaint.deadline-breached` (escalation); the flag and the event are written in one
///   transaction, so replicas side by side never announce one twice. A mediation that reaches its 45th working day
///   without agreement is also terminated (`complaint.mediation-terminated`, by `system`), which starts the
///   notice deadline.
/// - A deadline due within ``ComplaintsSettings/reminderWorkingDays`` working days reminds its handler: the case
///   shows `reminderSent` and the handler's list of cases due soon (`GET /cases?dueBefore=`) holds it.
struct CaseDeadlineJob: Service {
    let context: ComplaintsContext

    struct Scan: Sendable, Equatable {
        var breached = 0
        var reminded = 0
        var terminated = 0

        mutating func add(_ other: Scan) {
            breached += other.breached
            reminded += other.reminded
            terminated += other.terminated
        }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await check()
                } catch {
                    context.logger.warning("complaint deadline check failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: context.settings.deadlineCheckInterval)
            }
        }
    }

    /// A full check: passes of up to 1,000 breaches each until none is left, then one line in the log with what it
    /// found and how long it took (at info level: operators see the check keep up as open cases grow).
    @discardableResult
    func check() async throws -> Scan {
        let clock = ContinuousClock()
        let started = clock.now
        var total = Scan()
        var scan = try await self.scan()
        total.add(scan)
        while scan.breached == 1_000 {
            scan = try await self.scan()
            total.add(scan)
        }
        let elapsed = clock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("complaint deadline check", metadata: [
            "complaints.breached": "\(total.breached)", "complaints.reminded": "\(total.reminded)",
            "complaints.terminated": "\(total.terminated)", "duration_ms": "\(Int(milliseconds.rounded()))",
        ])
        return total
    }

    /// One pass at the settings' clock: breaches (up to `limit`) and reminders.
    @discardableResult
    func scan(limit: Int = 1_000) async throws -> Scan {
        let now = context.clock.now()
        let today = WorkingDayCalendar.day(of: now)
        let remindUntil = context.settings.workingDays.addingWorkingDays(context.settings.reminderWorkingDays, to: today)
        let workflow = CaseWorkflow(context: context)
        return try await context.pool.transaction { connection in
            var scan = Scan()
            // One statement a pass: the breaches flagged and their rows in `case_breach` (a round trip per breach
            // made a pass of 1,000 take most of the check's time).
            let rows = try await connection.query("""
                WITH breached AS (
                    UPDATE complaint_case SET breached_at = \(now)
                    WHERE id IN (
                        SELECT id FROM complaint_case WHERE due_on < \(today.description)::date AND breached_at IS NULL
                        ORDER BY due_on LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                    RETURNING id, kind, status, region_code, handling_division, due_deadline, due_on),
                recorded AS (
                    INSERT INTO case_breach (case_id, deadline, due_on, detected_at)
                    SELECT id, due_deadline, due_on, \(now) FROM breached
                    ON CONFLICT DO NOTHING)
                SELECT id, kind, status, region_code, handling_division, due_deadline, due_on::text AS due_on FROM breached
                """)
            var events: [CloudEvent] = []
            var expiredMediations: [UUID] = []
            for row in rows.rows {
                let id = try row.decode("id", as: UUID.self)
                let deadline = try row.enumeration("due_deadline", as: ComplaintDeadline.self)
                let dueOn = try row.calendarDate("due_on")
                events.append(try CloudEvent(source: context.outbox.source.eventSource, payload: ComplaintDeadlineBreached(
                    complaintID: id.lowercasedText, regionCode: try row.identifier("region_code", as: DivisionCode.self),
                    handlingDivision: try row.identifier("handling_division", as: DivisionCode.self), deadline: deadline,
                    dueOn: dueOn, detectedAt: now), time: now))
                if deadline == .mediation { expiredMediations.append(id) }
            }
            try await context.outbox.append(events, on: connection)
            scan.breached = events.count
            for id in expiredMediations {
                let locked = try await workflow.lock(id, for: .system, on: connection)
                guard locked.status == .mediation || locked.status == .settlement || locked.status == .accepted else { continue }
                let reason = "No agreement within \(context.settings.mediationWorkingDays) working days of acceptance."
                try await workflow.terminate(locked, reason: reason, today: today, now: now, role: .system, on: connection)
                try await connection.query("""
                    INSERT INTO case_history (case_id, action, from_status, to_status, actor_role, note, at)
                    VALUES (\(id), \(CaseAction.terminateMediation.rawValue), \(locked.status.rawValue),
                        \(CaseStatus.mediationTerminated.rawValue), \(ActorRole.system.rawValue), \(reason), \(now))
                    """)
                scan.terminated += 1
            }
            let reminded = try await connection.query("""
                UPDATE complaint_case SET reminded_at = \(now)
                WHERE due_on >= \(today.description)::date AND due_on <= \(remindUntil.description)::date
                  AND breached_at IS NULL AND reminded_at IS NULL
                """)
            scan.reminded = reminded.affectedRows
            return scan
        }
    }
}
