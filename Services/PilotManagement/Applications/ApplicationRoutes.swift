import Contracts
import Crypto
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceHost
import ServiceKit

/// Applications to become a pilot region: the work plan and its document, the safety plan, submission into a
/// capped batch, and the six departments' reviews decided by ``ApprovalRule``.
struct ApplicationRoutes: Sendable {
    let service: ServiceContext
    let settings: PilotSettings

    struct ResponsiblePersonInput: Decodable, Sendable {
        var role: String
        var name: String
        var phone: String
    }

    struct SafetyPlanInput: Decodable, Sendable {
        var measures: String
        var responsiblePersons: [ResponsiblePersonInput]
    }

    struct CreateRequest: Decodable, Sendable {
        var regionCode: String
        var regionName: String
        var workPlan: WorkPlan
        var safetyPlan: SafetyPlanInput?
    }

    struct ReviewRequest: Decodable, Sendable {
        var opinion: String
        var comment: String?
    }

    struct ApplicationList: Encodable, Sendable {
        var applications: [ApplicationView]
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("/applications") { request, context in try await create(request, context) }
        router.get("/applications") { request, context in try await list(request, context) }
        router.get("/applications/:id") { _, context in
            let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.applicationNotFound)
            return JSONReply(try await readable(id, context))
        }
        router.put("/applications/:id/work-plan") { request, context in try await reviseWorkPlan(request, context) }
        router.put("/applications/:id/document") { request, context in try await uploadDocument(request, context) }
        router.get("/applications/:id/document") { _, context in try await downloadDocument(context) }
        router.put("/applications/:id/safety-plan") { request, context in try await attachSafetyPlan(request, context) }
        router.post("/applications/:id/submission") { _, context in try await submit(context) }
        router.post("/applications/:id/reviews") { request, context in try await review(request, context) }
    }

    // MARK: - Drafting

    func create(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ApplicationView> {
        try context.require(role: .regionOfficial)
        let body = try await request.decode(as: CreateRequest.self, context: context)
        var validator = Validator()
        let code = validator.divisionCode(body.regionCode, field: "regionCode")
        if let code, code.level > .county {
            validator.add(field: "regionCode", reason: "must be a province, city or county code (6 digits)")
        }
        validator.text(body.regionName, field: "regionName", maxLength: 100)
        validate(body.workPlan, into: &validator)
        if let plan = body.safetyPlan { validate(plan, into: &validator) }
        try validator.validate()
        guard let code else { throw Problem.validation(field: "regionCode", reason: "is required") }
        try context.requireRegion(code.rawValue)

        let id = UUID()
        let batchYear = settings.applicationBatchYear
        try await service.pool.transaction { connection in
            try await connection.query("""
                INSERT INTO region (code, name, level, status) VALUES (\(code.rawValue), \(body.regionName), \(code.level.rawValue), 'applicant')
                ON CONFLICT (code) DO NOTHING
                """)
            let region = try await connection.query("SELECT status FROM region WHERE code = \(code.rawValue) FOR UPDATE")
            if try region.first?.decode("status", as: String.self) == "approved" {
                throw Problem.regionAlreadyApproved(code.rawValue)
            }
            let open = try await connection.query("""
                SELECT 1 FROM application WHERE region_code = \(code.rawValue)
                AND status IN ('draft', 'submitted', 'under-review', 'returned')
                """)
            if !open.isEmpty { throw Problem.applicationAlreadyOpen(code.rawValue) }
            // A region rejected before may apply again: it is an applicant once more.
            try await connection.query(
                "UPDATE region SET status = 'applicant' WHERE code = \(code.rawValue) AND status = 'rejected'")
            let plan = body.workPlan
            try await connection.insert("""
                INSERT INTO application (id, region_code, batch_year, status, work_plan_title, work_plan_summary,
                    planned_activities, targeted_sales_fen, subsidy_funds_fen)
                VALUES (\(id), \(code.rawValue), \(batchYear), 'draft', \(plan.title), \(plan.summary),
                    \(plan.plannedActivities), \(plan.targetedSales), \(plan.subsidyFunds))
                """, orFailWith: Problem.applicationAlreadyOpen(code.rawValue))
            if let safety = body.safetyPlan {
                try await store(safety, for: id, on: connection)
            }
        }
        return JSONReply(try await load(id), status: .created)
    }

    func reviseWorkPlan(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ApplicationView> {
        let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.applicationNotFound)
        try context.require(role: .regionOfficial)
        let plan = try await request.decode(as: WorkPlan.self, context: context)
        var validator = Validator()
        validate(plan, into: &validator)
        try validator.validate()
        try await service.pool.transaction { connection in
            let current = try await lockedForRegion(id, context, on: connection)
            guard ["draft", "returned"].contains(current.status) else {
                throw Problem.applicationState(current.status, action: "revised")
            }
            try await connection.query("""
                UPDATE application SET work_plan_title = \(plan.title), work_plan_summary = \(plan.summary),
                    planned_activities = \(plan.plannedActivities), targeted_sales_fen = \(plan.targetedSales),
                    subsidy_funds_fen = \(plan.subsidyFunds), updated_at = now()
                WHERE id = \(id)
                """)
        }
        return JSONReply(try await load(id))
    }

    /// Stores the work plan document from the raw request body (`Content-Type` is its media type, the query
    /// parameter `fileName` its name), with its SHA-256 and size; empty or oversized uploads change nothing.
    func uploadDocument(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ApplicationView> {
        let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.applicationNotFound)
        try context.require(role: .regionOfficial)
        let limit = settings.maxDocumentBytes
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw Problem(
                status: .contentTooLarge, code: "document-too-large", title: "Document too large",
                detail: "The work plan document may be at most \(limit) bytes.",
                errors: [FieldError(field: "document", reason: "must be at most \(limit) bytes")])
        }
        let bytes = Array(buffer.readableBytesView)
        var validator = Validator()
        validator.require(!bytes.isEmpty, field: "document", "must not be empty")
        let fileName = request.uri.queryParameters.get("fileName") ?? "work-plan"
        validator.require(!fileName.isEmpty && fileName.count <= 200, field: "fileName", "must be 1 to 200 characters")
        try validator.validate()
        let mediaType = request.headers[.contentType] ?? "application/octet-stream"
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        try await service.pool.transaction { connection in
            let current = try await lockedForRegion(id, context, on: connection)
            guard ["draft", "returned"].contains(current.status) else {
                throw Problem.applicationState(current.status, action: "given a new document")
            }
            try await connection.query("""
                UPDATE application SET document = \(PostgresBytes(bytes)), document_name = \(fileName),
                    document_media_type = \(mediaType), document_sha256 = \(digest), document_size = \(bytes.count),
                    updated_at = now()
                WHERE id = \(id)
                """)
        }
        return JSONReply(try await load(id))
    }

    func downloadDocument(_ context: AppRequestContext) async throws -> Response {
        let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.applicationNotFound)
        let application = try await readable(id, context)
        guard let document = application.document else {
            throw Problem.notFound("Application \(id) has no work plan document yet.", code: "document-not-found")
        }
        let rows = try await service.pool.query("SELECT document FROM application WHERE id = \(id)")
        let bytes = try rows.first?.decode("document", as: PostgresBytes.self).bytes ?? []
        return Response(
            status: .ok,
            headers: [.contentType: document.mediaType, .contentLength: String(bytes.count),
                      .eTag: "\"\(document.sha256)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func attachSafetyPlan(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ApplicationView> {
        let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.applicationNotFound)
        try context.require(role: .regionOfficial)
        let plan = try await request.decode(as: SafetyPlanInput.self, context: context)
        var validator = Validator()
        validate(plan, into: &validator)
        try validator.validate()
        try await service.pool.transaction { connection in
            let current = try await lockedForRegion(id, context, on: connection)
            guard ["draft", "returned", "submitted", "under-review"].contains(current.status) else {
                throw Problem.applicationState(current.status, action: "given a safety plan")
            }
            try await store(plan, for: id, on: connection)
        }
        return JSONReply(try await load(id))
    }

    // MARK: - Submission and review

    /// Submits a draft or returned application into its batch, unless the batch is full.
    func submit(_ context: AppRequestContext) async throws -> JSONReply<ApplicationView> {
        let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.applicationNotFound)
        try context.require(role: .regionOfficial)
        let now = settings.clock.now()
        try await service.pool.transaction { connection in
            let current = try await lockedForRegion(id, context, on: connection)
            guard ["draft", "returned"].contains(current.status) else {
                throw Problem.applicationState(current.status, action: "submitted")
            }
            guard let document = current.document else { throw Problem.documentRequired() }
            // The batch row is the lock that serialises submissions into one batch.
            let batch = try await connection.query(
                "SELECT region_cap FROM batch WHERE year = \(current.batchYear) FOR UPDATE")
            let cap = try batch.first?.decode("region_cap", as: Int.self) ?? 0
            let taken = try await connection.query("""
                SELECT count(*) AS n FROM application
                WHERE batch_year = \(current.batchYear) AND id <> \(id)
                  AND status IN ('submitted', 'under-review', 'approved')
                """)
            if try taken.first?.decode("n", as: Int.self) ?? 0 >= cap {
                throw Problem.batchCapReached(year: current.batchYear, cap: cap)
            }
            try await connection.query("""
                UPDATE application SET status = 'submitted', submitted_at = \(now), decision_reason = NULL,
                    updated_at = now()
                WHERE id = \(id)
                """)
            try await service.outbox.append(RegionApplicationSubmitted(
                regionCode: try DivisionCode(validating: current.regionCode), regionName: current.regionName,
                applicationID: id.uuidString.lowercased(), batchYear: current.batchYear,
                workPlanTitle: current.workPlan.title, plannedActivities: current.workPlan.plannedActivities,
                targetedSales: Fen(current.workPlan.targetedSales), subsidyFunds: Fen(current.workPlan.subsidyFunds),
                workPlanSHA256: document.sha256, hasSafetyPlan: current.hasSafetyPlan, submittedAt: now),
                on: connection, time: now)
        }
        return JSONReply(try await load(id))
    }

    /// Records one department's opinion for the current round and applies ``ApprovalRule``.
    func review(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ApplicationView> {
        let id = try RequestValue.uuid(try context.parameters.require("id"), notFound: Problem.applicationNotFound)
        let principal = try context.require(role: .ministry)
        guard let department = principal.department.flatMap({ GuidingDepartment(rawValue: $0.lowercased()) }) else {
            throw Problem.departmentRequired()
        }
        let body = try await request.decode(as: ReviewRequest.self, context: context)
        var validator = Validator()
        let opinion = validator.oneOf(body.opinion, as: ReviewOpinion.self, field: "opinion")
        if let comment = body.comment {
            validator.require(comment.count <= 2000, field: "comment", "must be at most 2000 characters")
        }
        try validator.validate()
        guard let opinion else { throw Problem.validation(field: "opinion", reason: "is required") }
        let now = settings.clock.now()
        try await service.pool.transaction { connection in
            guard let current = try await ApplicationView.load(id, on: connection, lock: true) else {
                throw Problem.applicationNotFound(id.uuidString)
            }
            guard ["submitted", "under-review"].contains(current.status) else {
                throw Problem.applicationState(current.status, action: "reviewed")
            }
            var opinions: [GuidingDepartment: ReviewOpinion] = [:]
            var comments: [GuidingDepartment: String] = [:]
            for review in current.reviews where review.round == current.round {
                if let d = GuidingDepartment(rawValue: review.department), let o = ReviewOpinion(rawValue: review.opinion) {
                    opinions[d] = o
                    comments[d] = review.comment
                }
            }
            let missing = ApprovalRule.missingConcurrences(before: opinion, by: department, given: opinions)
            if !missing.isEmpty { throw Problem.concurrenceOrder(missing: missing) }
            opinions[department] = opinion
            comments[department] = body.comment
            let regionCode = try DivisionCode(validating: current.regionCode)
            let applicationID = id.uuidString.lowercased()
            try await connection.query("""
                INSERT INTO review (application_id, round, department, opinion, comment, reviewer, recorded_at)
                VALUES (\(id), \(current.round), \(department.rawValue), \(opinion.rawValue), \(body.comment),
                    \(principal.subject), \(now))
                ON CONFLICT (application_id, round, department) DO UPDATE
                SET opinion = EXCLUDED.opinion, comment = EXCLUDED.comment, reviewer = EXCLUDED.reviewer,
                    recorded_at = EXCLUDED.recorded_at
                """)
            var events: [CloudEvent] = [try event(RegionReviewRecorded(
                regionCode: regionCode, applicationID: applicationID, department: department, opinion: opinion,
                comment: body.comment, recordedAt: now), at: now)]
            func reason(of departments: [GuidingDepartment], default fallback: String) -> String {
                let texts = departments.compactMap { d in comments[d].map { "\(d.rawValue.uppercased()): \($0)" } }
                return texts.isEmpty ? fallback : texts.joined(separator: "; ")
            }
            switch ApprovalRule.evaluate(opinions) {
            case .pending:
                try await connection.query(
                    "UPDATE application SET status = 'under-review', updated_at = now() WHERE id = \(id)")
            case .approved(let concurring):
                guard current.hasSafetyPlan else { throw Problem.safetyPlanRequired() }
                let batch = try await connection.query(
                    "SELECT region_cap FROM batch WHERE year = \(current.batchYear) FOR UPDATE")
                let cap = try batch.first?.decode("region_cap", as: Int.self) ?? 0
                let approved = try await connection.query("""
                    SELECT count(*) AS n FROM region WHERE batch_year = \(current.batchYear) AND status = 'approved'
                    """)
                if try approved.first?.decode("n", as: Int.self) ?? 0 >= cap {
                    throw Problem.batchCapReached(year: current.batchYear, cap: cap)
                }
                let today = settings.today
                try await connection.query("""
                    UPDATE application SET status = 'approved', decided_at = \(now), updated_at = now() WHERE id = \(id)
                    """)
                try await connection.query("""
                    UPDATE region SET status = 'approved', batch_year = \(current.batchYear),
                        approved_on = \(today.description)::date
                    WHERE code = \(current.regionCode)
                    """)
                events.append(try event(RegionApproved(
                    regionCode: regionCode, regionName: current.regionName, applicationID: applicationID,
                    batchYear: current.batchYear, concurringDepartments: concurring, approvedOn: today,
                    approvedAt: now), at: now))
            case .rejected(let objecting):
                let text = reason(of: objecting, default: "objected by " + objecting.map { $0.rawValue.uppercased() }.joined(separator: ", "))
                try await connection.query("""
                    UPDATE application SET status = 'rejected', decision_reason = \(text), decided_at = \(now),
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
                    UPDATE application SET status = 'returned', round = round + 1, decision_reason = \(text),
                        updated_at = now()
                    WHERE id = \(id)
                    """)
                events.append(try event(RegionReturned(
                    regionCode: regionCode, applicationID: applicationID, requestingDepartments: requesting,
                    reason: text, returnedAt: now), at: now))
            }
            try await service.outbox.append(events, on: connection)
        }
        return JSONReply(try await load(id))
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> JSONReply<ApplicationList> {
        let principal = try context.require(role: .ministry, .regionOfficial)
        let query = request.uri.queryParameters
        var regionFilter = query.get("regionCode")
        if principal.role == .regionOfficial {
            regionFilter = regionFilter ?? principal.regionCode
            try context.requireRegion(regionFilter ?? "")
        }
        let status = query.get("status")
        let listing: PostgresQuery = """
            SELECT id FROM application
            WHERE (\(regionFilter)::text IS NULL OR region_code = \(regionFilter))
              AND (\(status)::text IS NULL OR status = \(status))
            ORDER BY created_at
            """
        let ids = try await service.pool.query(listing.plannedWithValues)
        var applications: [ApplicationView] = []
        for row in ids.rows {
            applications.append(try await load(try row.decode("id", as: UUID.self)))
        }
        return JSONReply(ApplicationList(applications: applications))
    }

    // MARK: - Helpers

    private func event<Payload: EventPayload>(_ payload: Payload, at time: Date) throws -> CloudEvent {
        try CloudEvent(source: service.outbox.source.eventSource, payload: payload, time: time)
    }

    private func load(_ id: UUID) async throws -> ApplicationView {
        try await service.pool.withConnection { connection in
            guard let view = try await ApplicationView.load(id, on: connection) else {
                throw Problem.applicationNotFound(id.uuidString)
            }
            return view
        }
    }

    /// The application, if the caller may read it: any ministry official, or an official of its region.
    private func readable(_ id: UUID, _ context: AppRequestContext) async throws -> ApplicationView {
        try context.require(role: .ministry, .regionOfficial)
        let view = try await load(id)
        try context.requireRegion(view.regionCode)
        return view
    }

    /// Locks the application for a change by an official of its region.
    private func lockedForRegion(
        _ id: UUID, _ context: AppRequestContext, on connection: PostgresConnection
    ) async throws -> ApplicationView {
        guard let current = try await ApplicationView.load(id, on: connection, lock: true) else {
            throw Problem.applicationNotFound(id.uuidString)
        }
        try context.requireRegion(current.regionCode)
        return current
    }

    private func validate(_ plan: WorkPlan, into validator: inout Validator) {
        validator.text(plan.title, field: "workPlan.title", maxLength: 200)
        validator.text(plan.summary, field: "workPlan.summary", maxLength: 5000)
        validator.require(plan.plannedActivities >= 0, field: "workPlan.plannedActivities", "must not be negative")
        validator.require(plan.targetedSales >= 0, field: "workPlan.targetedSales", "must be a non-negative amount in fen")
        validator.require(plan.subsidyFunds >= 0, field: "workPlan.subsidyFunds", "must be a non-negative amount in fen")
    }

    private func validate(_ plan: SafetyPlanInput, into validator: inout Validator) {
        validator.text(plan.measures, field: "safetyPlan.measures", maxLength: 5000)
        validator.require(!plan.responsiblePersons.isEmpty, field: "safetyPlan.responsiblePersons", "must name at least one responsible person")
        for (index, person) in plan.responsiblePersons.enumerated() {
            validator.text(person.role, field: "safetyPlan.responsiblePersons[\(index)].role", maxLength: 100)
            validator.text(person.name, field: "safetyPlan.responsiblePersons[\(index)].name", maxLength: 100)
            let digits = person.phone.filter { !$0.isWhitespace && $0 != "-" }
            validator.require(
                (7...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber },
                field: "safetyPlan.responsiblePersons[\(index)].phone", "must be a phone number of 7 to 15 digits")
        }
    }

    /// Replaces the safety plan; responsible persons' names and phones are stored only encrypted and hashed.
    private func store(_ plan: SafetyPlanInput, for id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE application SET safety_measures = \(plan.measures), updated_at = now() WHERE id = \(id)")
        try await connection.query("DELETE FROM safety_plan_person WHERE application_id = \(id)")
        let protector = service.personalData
        for (index, person) in plan.responsiblePersons.enumerated() {
            let phone = person.phone.filter { !$0.isWhitespace && $0 != "-" }
            try await connection.query("""
                INSERT INTO safety_plan_person (application_id, position, role, name_encrypted, phone_hash,
                    phone_encrypted, phone_masked)
                VALUES (\(id), \(index), \(person.role), \(try protector.encrypt(person.name)),
                    \(protector.matchingHash(phone)), \(try protector.encrypt(phone)),
                    \(PersonalDataProtector.maskPhone(phone)))
                """)
        }
    }
}
