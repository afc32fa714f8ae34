import Contracts
import Foundation
import Hummingbird

/// A region with its pilot status, batch and how far its campaign has got.
struct RegionSummary: ResponseEncodable, Codable, Sendable {
    struct Counts: Codable, Sendable {
        var activitiesScheduled: Int
        var activitiesHeld: Int
        var activitiesCancelled: Int
        var participantsEnrolled: Int
    }

    var code: String
    var name: String
    var level: String
    var batchYear: Int?
    var status: String
    var approvedOn: String?
    var launchMeetingHeldOn: String?
    var summaryReportSubmittedOn: String?
    /// When the complaints service last announced the region's complaint channels (hotline, 12315, online, office).
    var complaintChannelsPublishedAt: Date?
    var counts: Counts
    var readiness: Readiness

    /// Whether the region's campaign can run: approved, launched, with enrolled sellers, and consumers told where to
    /// complain. `missing` names what is not there yet, in that order.
    struct Readiness: Codable, Sendable {
        var ready: Bool
        var missing: [String]

        init(status: String, launchMeetingHeldOn: String?, participantsEnrolled: Int, complaintChannelsPublishedAt: Date?) {
            missing = [
                status == "approved" ? nil : "approval",
                launchMeetingHeldOn == nil ? "launch-meeting" : nil,
                participantsEnrolled > 0 ? nil : "participants",
                complaintChannelsPublishedAt == nil ? "complaint-channels" : nil,
            ].compactMap { $0 }
            ready = missing.isEmpty
        }
    }
}

extension RegionSummary {
    /// A region's statuses: an applicant, an approved pilot region, or rejected (it may apply again).
    static let statuses = ["applicant", "approved", "rejected"]

    /// What `missing` may name, in the order it names them.
    static let readinessItems = ["approval", "launch-meeting", "participants", "complaint-channels"]

    /// The response schema (`GET /regions`, `GET /regions/{code}`).
    static let schema: JSONSchema = .object([
        .required("code", .divisionCode, "GB/T 2260 code of the region (province, city or county)."),
        .required("name", .text(maxLength: 100), "Name."),
        .required("level", .enumeration(DivisionCode.Level.self), "province, city or county."),
        .optional("batchYear", .year, "Batch it was approved in (absent for an applicant that never was)."),
        .required("status", .values(RegionSummary.statuses), "applicant, approved or rejected."),
        .optional("approvedOn", .date, "Day it was approved."),
        .optional("launchMeetingHeldOn", .date, "Day of this campaign year's launch meeting (启动会)."),
        .optional("summaryReportSubmittedOn", .date, "Day its summary report for this campaign year was submitted (from reporting)."),
        .optional("complaintChannelsPublishedAt", .dateTime, "When complaints last announced the region's complaint channels."),
        .required("counts", .object([
            .required("activitiesScheduled", .count, "Activities scheduled and not yet held or cancelled (launch meeting not counted)."),
            .required("activitiesHeld", .count, "Activities held, the launch meeting included."),
            .required("activitiesCancelled", .count, "Activities cancelled."),
            .required("participantsEnrolled", .count, "Participants enrolled now."),
        ]), "How far its campaign has got."),
        .required("readiness", .object([
            .required("ready", .boolean, "Whether nothing is missing."),
            .required("missing", .array(of: .values(readinessItems), uniqueItems: true),
                      "What is not there yet: approval, launch-meeting, participants, complaint-channels."),
        ]), "Whether the region's campaign can run."),
    ])
}
