import Foundation
import Hummingbird

/// A pilot application as callers see it: no personal data in clear (phones masked, names not shown).
struct ApplicationView: ResponseEncodable, Codable, Sendable {
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
    var status: ApplicationStatus
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
}
