import Contracts
import Foundation
import Postgres

/// The work plan a region applies with: what it sets out to do.
struct WorkPlan: Codable, Sendable, Equatable {
    var title: String
    var summary: String
    /// Goal: number of activities.
    var plannedActivities: Int
    /// Goal: sales of green building materials, in fen.
    var targetedSales: Int64
    /// Subsidy funds the region commits, in fen.
    var subsidyFunds: Int64
}

/// A pilot application as callers see it: no personal data in clear (phones masked, names not shown).
struct ApplicationView: Codable, Sendable {
    struct Document: Codable, Sendable {
        var fileName: String
        var mediaType: String
        var sha256: String
        var size: Int
    }

    struct ResponsiblePerson: Codable, Sendable {
        var role: String
        var phone: String
    }

    struct SafetyPlan: Codable, Sendable {
        var measures: String
        var responsiblePersons: [ResponsiblePerson]
    }

    struct Review: Codable, Sendable {
        var round: Int
        var department: String
        var opinion: String
        var comment: String?
        var recordedAt: Date
    }

    /// The id, a lower-case UUID as in the events.
    var id: String
    var regionCode: String
    var regionName: String
    var batchYear: Int
    var status: String
    var round: Int
    var workPlan: WorkPlan
    var document: Document?
    var safetyPlan: SafetyPlan?
    var reviews: [Review]
    var decisionReason: String?
    var submittedAt: Date?
    var decidedAt: Date?

    /// Whether a safety plan with measures and at least one responsible person is attached.
    var hasSafetyPlan: Bool { safetyPlan.map { !$0.responsiblePersons.isEmpty } ?? false }

    /// Loads one application with its safety plan and reviews, optionally locking its row.
    static func load(_ id: UUID, on connection: PostgresConnection, lock: Bool = false) async throws -> ApplicationView? {
        let rows = try await connection.query("""
            SELECT a.id, a.region_code, r.name AS region_name, a.batch_year, a.status, a.round,
                   a.work_plan_title, a.work_plan_summary, a.planned_activities, a.targeted_sales_fen,
                   a.subsidy_funds_fen, a.document_name, a.document_media_type, a.document_sha256, a.document_size,
                   a.safety_measures, a.decision_reason, a.submitted_at, a.decided_at
            FROM application a JOIN region r ON r.code = a.region_code
            WHERE a.id = \(id) \(unescaped: lock ? "FOR UPDATE OF a" : "")
            """)
        guard let row = rows.first else { return nil }
        var document: Document?
        if let sha = try row.decode("document_sha256", as: String?.self) {
            document = Document(
                fileName: try row.decode("document_name", as: String.self),
                mediaType: try row.decode("document_media_type", as: String.self),
                sha256: sha, size: try row.decode("document_size", as: Int.self))
        }
        var safetyPlan: SafetyPlan?
        if let measures = try row.decode("safety_measures", as: String?.self) {
            let persons = try await connection.query("""
                SELECT role, phone_masked FROM safety_plan_person WHERE application_id = \(id) ORDER BY position
                """)
            safetyPlan = SafetyPlan(measures: measures, responsiblePersons: try persons.rows.map {
                ResponsiblePerson(role: try $0.decode("role", as: String.self), phone: try $0.decode("phone_masked", as: String.self))
            })
        }
        let reviewRows = try await connection.query("""
            SELECT round, department, opinion, comment, recorded_at FROM review
            WHERE application_id = \(id) ORDER BY round, recorded_at, department
            """)
        let reviews = try reviewRows.rows.map {
            Review(
                round: try $0.decode("round", as: Int.self), department: try $0.decode("department", as: String.self),
                opinion: try $0.decode("opinion", as: String.self), comment: try $0.decode("comment", as: String?.self),
                recordedAt: try $0.decode("recorded_at", as: Date.self))
        }
        return ApplicationView(
            id: try row.decode("id", as: UUID.self).uuidString.lowercased(),
            regionCode: try row.decode("region_code", as: String.self),
            regionName: try row.decode("region_name", as: String.self),
            batchYear: try row.decode("batch_year", as: Int.self),
            status: try row.decode("status", as: String.self),
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
