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
    var counts: Counts
}
