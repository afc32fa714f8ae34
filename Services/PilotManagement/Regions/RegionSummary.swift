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
