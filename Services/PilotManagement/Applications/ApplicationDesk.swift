import Contracts
import Crypto
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Where regions' pilot applications are kept and decided: drafting (the work plan, its document and the safety
/// plan), submission into a capped batch, and the six departments' reviews decided by ``ApprovalRule``. Each
/// change runs in one transaction with its events; ``ApplicationStatus`` says which changes a status allows.
struct ApplicationDesk: Sendable {
    let context: PilotContext

    /// A work plan document as uploaded: its bytes, file name and media type.
    struct Document: Sendable {
        var bytes: [UInt8]
        var fileName: String
        var mediaType: String
    }

    // MARK: - Drafting

    /// Starts a draft application for `region` (recorded as an applicant), unless the region is already approved
    /// or has an application in progress.
    func create(
        region: DivisionCode, regionName: String, workPlan plan: WorkPlan, safetyPlan: SafetyPlanInput?
    ) async throws -> ApplicationView {
        let id = UUID()
        let batchYear = context.settings.applicationBatchYear
        try await context.pool.transaction { connection in
            try await connection.query("""
                INSERT INTO region (code, name, level, status) VALUES (\(region.rawValue), \(regionName), \(region.level.rawValue), 'applicant')
                ON CONFLICT (code) DO NOTHING
                """)
            let rows = try await connection.query("SELECT status FROM region WHERE code = \(region.rawValue) FOR UPDATE")
            if try rows.first?.decode("status", as: String.self) == "approved" {
                throw PilotError.regionAlreadyApproved(region.rawValue)
            }
            let open = try await connection.query("""
                SELECT 1 FROM application WHERE region_code = \(region.rawValue)
                AND status = ANY(\(ApplicationStatus.open.rawValues))
                """)
            if !open.isEmpty { throw PilotError.applicationAlreadyOpen(region.rawValue) }
            // A region rejected before may apply again: it is an applicant once more.
            try await connection.query(
                "UPDATE region SET status = 'applicant' WHERE code = \(region.rawValue) AND status = 'rejected'")
            try await connection.insert("""
                INSERT INTO application (id, region_code, batch_year, status, work_plan_title, work_plan_summary,
                    planned_activities, targeted_sales_fen, subsidy_funds_fen)
                VALUES (\(id), \(region.rawValue), \(batchYear), \(ApplicationStatus.draft.rawValue), \(plan.title),
                    \(plan.summary), \(plan.plannedActivities), \(plan.targetedSales), \(plan.subsidyFunds))
                """, orFailWith: .applicationAlreadyOpen(region.rawValue))
            if let safetyPlan {
                try await store(safetyPlan, for: id, on: connection)
            }
        }
        return try await application(id)
    }

    /// Replaces the work plan of a draft or returned application.
    func reviseWorkPlan(of id: UUID, to plan: WorkPlan, access: RegionAccess) async throws -> ApplicationView {
        try await context.pool.transaction { connection in
            let current = try await locked(id, access: access, on: connection)
            try ApplicationAction.revise.transition(from: current.status)
            try await connection.query("""
                UPDATE application SET work_plan_title = \(plan.title), work_plan_summary = \(plan.summary),
                    planned_activities = \(plan.plannedActivities), targeted_sales_fen = \(plan.targetedSales),
                    subsidy_funds_fen = \(plan.subsidyFunds), updated_at = now()
                WHERE id = \(id)
                """)
        }
        return try await application(id)
    }

    /// Stores the work plan document with its SHA-256 and size, replacing any earlier one.
    func replaceDocument(of id: UUID, with document: Document, access: RegionAccess) async throws -> ApplicationView {
        let digest = SHA256.hash(data: document.bytes).lowercaseHex
        try await context.pool.transaction { connection in
            let current = try await locked(id, access: access, on: connection)
            try ApplicationAction.replaceDocument.transition(from: current.status)
            try await connection.query("""
                UPDATE application SET document = \(PostgresBytes(document.bytes)), document_name = \(document.fileName),
                    document_media_type = \(document.mediaType), document_sha256 = \(digest),
                    document_size = \(document.bytes.count), updated_at = now()
                WHERE id = \(id)
                """)
        }
        return try await application(id)
    }

    /// The bytes of the application's work plan document (empty when it has none).
    func documentBytes(of id: UUID) async throws -> [UInt8] {
        let rows = try await context.pool.query("SELECT document FROM application WHERE id = \(id)")
        return try rows.first?.decode("document", as: PostgresBytes.self).bytes ?? []
    }

    /// Attaches or replaces the safety plan, until the application is decided.
    func attachSafetyPlan(_ plan: SafetyPlanInput, to id: UUID, access: RegionAccess) async throws -> ApplicationView {
        try await context.pool.transaction { connection in
            let current = try await locked(id, access: access, on: connection)
            try ApplicationAction.attachSafetyPlan.transition(from: current.status)
            try await store(plan, for: id, on: connection)
        }
        return try await application(id)
    }

    // MARK: - Submission and review

    /// Submits a draft or returned application into its batch, unless the batch is full.
    func submit(_ id: UUID, access: RegionAccess) async throws -> ApplicationView {
        let now = context.clock.now()
        try await context.pool.transaction { connection in
            let current = try await locked(id, access: access, on: connection)
            let next = try ApplicationAction.submit.transition(from: current.status)
            guard let document = current.document else { throw PilotError.documentRequired }
            // The batch row is the lock that serialises submissions into one batch.
            let cap = try await batchCap(current.batchYear, on: connection)
            let taken = try await connection.query("""
                SELECT count(*) AS n FROM application
                WHERE batch_year = \(current.batchYear) AND id <> \(id)
                  AND status = ANY(\(ApplicationStatus.holdingBatchPlace.rawValues))
                """)
            if try taken.first?.decode("n", as: Int.self) ?? 0 >= cap {
                throw PilotError.batchCapReached(year: current.batchYear, cap: cap)
            }
            try await connection.query("""
                UPDATE application SET status = \(next.rawValue), submitted_at = \(now), decision_reason = NULL,
                    updated_at = now()
                WHERE id = \(id)
                """)
            try await context.outbox.append(RegionApplicationSubmitted(
                regionCode: try DivisionCode(validating: current.regionCode), regionName: current.regionName,
                applicationID: id.uuidString.lowercased(), batchYear: current.batchYear,
                workPlanTitle: current.workPlan.title, plannedActivities: current.workPlan.plannedActivities,
                targetedSales: Fen(current.workPlan.targetedSales), subsidyFunds: Fen(current.workPlan.subsidyFunds),
                workPlanSHA256: document.sha256, hasSafetyPlan: current.hasSafetyPlan, submittedAt: now),
                on: connection, time: now)
        }
        return try await application(id)
    }

    /// Records one department's opinion for the current round and applies ``ApprovalRule``: the application
    /// stays under review, or is approved (its region with it), rejected or returned for revision.
    func review(
        _ id: UUID, by department: GuidingDepartment, opinion: ReviewOpinion, comment: String?, reviewer: String
    ) async throws -> ApplicationView {
        let now = context.clock.now()
        try await context.pool.transaction { connection in
            guard let current = try await load(id, on: connection, lock: true) else {
                throw PilotError.applicationNotFound(id.uuidString)
            }
            try ApplicationAction.review.transition(from: current.status)
            var opinions: [GuidingDepartment: ReviewOpinion] = [:]
            var comments: [GuidingDepartment: String] = [:]
            for review in current.reviews where review.round == current.round {
                if let d = GuidingDepartment(rawValue: review.department), let o = ReviewOpinion(rawValue: review.opinion) {
                    opinions[d] = o
                    comments[d] = review.comment
                }
            }
            let missing = ApprovalRule.missingConcurrences(before: opinion, by: department, given: opinions)
            if !missing.isEmpty { throw PilotError.concurrenceOrder(missing: missing) }
            opinions[department] = opinion
            comments[department] = comment
            let regionCode = try DivisionCode(validating: current.regionCode)
            let applicationID = id.uuidString.lowercased()
            try await connection.query("""
                INSERT INTO review (application_id, round, department, opinion, comment, reviewer, recorded_at)
                VALUES (\(id), \(current.round), \(department.rawValue), \(opinion.rawValue), \(comment),
                    \(reviewer), \(now))
                ON CONFLICT (application_id, round, department) DO UPDATE
                SET opinion = EXCLUDED.opinion, comment = EXCLUDED.comment, reviewer = EXCLUDED.reviewer,
                    recorded_at = EXCLUDED.recorded_at
                """)
            var events: [CloudEvent] = [try event(RegionReviewRecorded(
                regionCode: regionCode, applicationID: applicationID, department: department, opinion: opinion,
                comment: comment, recordedAt: now), at: now)]
            // The events' `reason` holds at most 1000 characters (their schema says so); the reviews keep every
            // comment in full, so a longer joined text is cut with an ellipsis.
            func reason(of departments: [GuidingDepartment], default fallback: String) -> String {
                let texts = departments.compactMap { d in comments[d].map { "\(d.rawValue.uppercased()): \($0)" } }
                let text = texts.isEmpty ? fallback : texts.joined(separator: "; ")
                return text.count <= 1000 ? text : String(text.prefix(999)) + "…"
            }
            let outcome = ApprovalRule.evaluate(opinions)
            let next = ApplicationStatus(after: outcome)
            switch outcome {
            case .pending:
                try await connection.query(
                    "UPDATE application SET status = \(next.rawValue), updated_at = now() WHERE id = \(id)")
            case .approved(let concurring):
                guard current.hasSafetyPlan else { throw PilotError.safetyPlanRequired }
                let cap = try await batchCap(current.batchYear, on: connection)
                let approved = try await connection.query("""
                    SELECT count(*) AS n FROM region WHERE batch_year = \(current.batchYear) AND status = 'approved'
                    """)
                if try approved.first?.decode("n", as: Int.self) ?? 0 >= cap {
                    throw PilotError.batchCapReached(year: current.batchYear, cap: cap)
                }
                let today = context.settings.today
                try await connection.query("""
                    UPDATE application SET status = \(next.rawValue), decided_at = \(now), updated_at = now() WHERE id = \(id)
                    """)
                try await connection.query("""
                    UPDATE region SET status = 'approved', batch_year = \(current.batchYear),
                        approved_on = \(today.description)::date, approval_announced_at = \(now)
                    WHERE code = \(current.regionCode)
                    """)
                events.append(try event(RegionApproved(
                    regionCode: regionCode, regionName: current.regionName, applicationID: applicationID,
                    batchYear: current.batchYear, concurringDepartments: concurring, approvedOn: today,
                    approvedAt: now), at: now))
            case .rejected(let objecting):
                let text = reason(of: objecting, default: "objected by " + objecting.map { $0.rawValue.uppercased() }.joined(separator: ", "))
                try await connection.query("""
                    UPDATE application SET status = \(next.rawValue), decision_reason = \(text), decided_at = \(now),
                        updated_at = now()
                    WHERE id = \(id)
                    """)
                try await connection.query(
                    "UPDATE region SET status = 'rejected' WHERE code = \(current.regionCode) AND status <> 'approved'")
                events.append(try event(RegionRejected(
                    regionCode: regionCode, applicationID: applicationID, objectingDepartments: objecting,
                    reason: text, rejectedAt: now), at: now))
            case .returned(let requesting):
                let text = reason(of: requesting, default: "revision requested by " + requesting.map { $0.rawValue.uppercased() }.joined(separator: ", "))
                try await connection.query("""
                    UPDATE application SET status = \(next.rawValue), round = round + 1, decision_reason = \(text),
                        updated_at = now()
                    WHERE id = \(id)
                    """)
                events.append(try event(RegionReturned(
                    regionCode: regionCode, applicationID: applicationID, requestingDepartments: requesting,
                    reason: text, returnedAt: now), at: now))
            }
            try await context.outbox.append(events, on: connection)
        }
        return try await application(id)
    }

    // MARK: - Reading

    /// One application, or `application-not-found`.
    func application(_ id: UUID) async throws -> ApplicationView {
        try await context.pool.withConnection { connection in
            guard let view = try await load(id, on: connection) else {
                throw PilotError.applicationNotFound(id.uuidString)
            }
            return view
        }
    }

    /// Applications in the order they were started; `regionCode` and `status` filter when given (a status no
    /// application has matches none).
    func applications(regionCode: String?, status: String?) async throws -> [ApplicationView] {
        let listing: PostgresQuery = """
            SELECT id FROM application
            WHERE (\(regionCode)::text IS NULL OR region_code = \(regionCode))
              AND (\(status)::text IS NULL OR status = \(status))
            ORDER BY created_at
            """
        let ids = try await context.pool.query(listing.plannedWithValues)
        var applications: [ApplicationView] = []
        for row in ids.rows {
            applications.append(try await application(try row.decode("id", as: UUID.self)))
        }
        return applications
    }

    // MARK: - Storage

    private func event<Payload: EventPayload>(_ payload: Payload, at time: Date) throws -> CloudEvent {
        try CloudEvent(source: context.outbox.source.eventSource, payload: payload, time: time)
    }

    /// The batch's region cap, its row locked: the lock serialises submissions and approvals into one batch.
    private func batchCap(_ year: Int, on connection: PostgresConnection) async throws -> Int {
        let batch = try await connection.query("SELECT region_cap FROM batch WHERE year = \(year) FOR UPDATE")
        return try batch.first?.decode("region_cap", as: Int.self) ?? 0
    }

    /// Locks the application for a change by someone `access` lets act in its region.
    private func locked(
        _ id: UUID, access: RegionAccess, on connection: PostgresConnection
    ) async throws -> ApplicationView {
        guard let current = try await load(id, on: connection, lock: true) else {
            throw PilotError.applicationNotFound(id.uuidString)
        }
        _ = try access(current.regionCode)
        return current
    }

    /// Replaces the safety plan; responsible persons' names and phones are stored only encrypted and hashed.
    private func store(_ plan: SafetyPlanInput, for id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE application SET safety_measures = \(plan.measures), updated_at = now() WHERE id = \(id)")
        try await connection.query("DELETE FROM safety_plan_person WHERE application_id = \(id)")
        let protector = context.service.personalData
        for (index, person) in plan.responsiblePersons.enumerated() {
            let phone = person.phoneDigits
            try await connection.query("""
                INSERT INTO safety_plan_person (application_id, position, role, name_encrypted, phone_hash,
                    phone_encrypted, phone_masked)
                VALUES (\(id), \(index), \(person.role), \(try protector.encrypt(person.name)),
                    \(protector.matchingHash(phone)), \(try protector.encrypt(phone)),
                    \(PersonalDataProtector.maskPhone(phone)))
                """)
        }
    }

    /// Loads one application with its safety plan and reviews, optionally locking its row.
    private func load(_ id: UUID, on connection: PostgresConnection, lock: Bool = false) async throws -> ApplicationView? {
        let rows = try await connection.query("""
            SELECT a.id, a.region_code, r.name AS region_name, a.batch_year, a.status, a.round,
                   a.work_plan_title, a.work_plan_summary, a.planned_activities, a.targeted_sales_fen,
                   a.subsidy_funds_fen, a.document_name, a.document_media_type, a.document_sha256, a.document_size,
                   a.safety_measures, a.decision_reason, a.submitted_at, a.decided_at
            FROM application a JOIN region r ON r.code = a.region_code
            WHERE a.id = \(id) \(unescaped: lock ? "FOR UPDATE OF a" : "")
            """)
        guard let row = rows.first else { return nil }
        var document: ApplicationView.Document?
        if let sha = try row.decode("document_sha256", as: String?.self) {
            document = ApplicationView.Document(
                fileName: try row.decode("document_name", as: String.self),
                mediaType: try row.decode("document_media_type", as: String.self),
                sha256: sha, size: try row.decode("document_size", as: Int.self))
        }
        var safetyPlan: ApplicationView.SafetyPlan?
        if let measures = try row.decode("safety_measures", as: String?.self) {
            let persons = try await connection.query("""
                SELECT role, phone_masked FROM safety_plan_person WHERE application_id = \(id) ORDER BY position
                """)
            safetyPlan = ApplicationView.SafetyPlan(measures: measures, responsiblePersons: try persons.rows.map {
                ApplicationView.ResponsiblePerson(
                    role: try $0.decode("role", as: String.self), phone: try $0.decode("phone_masked", as: String.self))
            })
        }
        let reviewRows = try await connection.query("""
            SELECT round, department, opinion, comment, recorded_at FROM review
            WHERE application_id = \(id) ORDER BY round, recorded_at, department
            """)
        let reviews = try reviewRows.rows.map {
            ApplicationView.Review(
                round: try $0.decode("round", as: Int.self), department: try $0.decode("department", as: String.self),
                opinion: try $0.decode("opinion", as: String.self), comment: try $0.decode("comment", as: String?.self),
                recordedAt: try $0.decode("recorded_at", as: Date.self))
        }
        let statusText = try row.decode("status", as: String.self)
        guard let status = ApplicationStatus(rawValue: statusText) else {
            throw PostgresError(kind: .decoding, message: "column status: unknown application status \(statusText)")
        }
        return ApplicationView(
            id: try row.decode("id", as: UUID.self).uuidString.lowercased(),
            regionCode: try row.decode("region_code", as: String.self),
            regionName: try row.decode("region_name", as: String.self),
            batchYear: try row.decode("batch_year", as: Int.self),
            status: status,
            round: try row.decode("round", as: Int.self),
            workPlan: WorkPlan(
                title: try row.decode("work_plan_title", as: String.self),
                summary: try row.decode("work_plan_summary", as: String.self),
                plannedActivities: try row.decode("planned_activities", as: Int.self),
                targetedSales: try row.decode("targeted_sales_fen", as: Int64.self),
                subsidyFunds: try row.decode("subsidy_funds_fen", as: Int64.self)),
            document: document, safetyPlan: safetyPlan, reviews: reviews,
            decisionReason: try row.decode("decision_reason", as: String?.self),
            submittedAt: try row.decode("submitted_at", as: Date?.self),
            decidedAt: try row.decode("decided_at", as: Date?.self))
    }
}
