import Foundation
import Hummingbird

/// One version of a report with its state and document.
struct ReportView: ResponseEncodable, Sendable {
    var id: String
    var regionCode: String
    var campaignYear: Int
    var version: Int
    var latestVersion: Int
    var status: String
    var contentSHA256: String?
    var correctionReason: String?
    var createdAt: Date
    var submittedAt: Date?
    var acknowledgedAt: Date?
    var document: SummaryReportDocument
}

/// A pilot region that had not submitted its report by 30 November.
struct OutstandingView: Codable, Sendable, Equatable {
    var regionCode: String
    var regionName: String
    /// The day it submitted after the deadline; absent when it has not.
    var submittedLateOn: String?
}

struct OutstandingList: ResponseEncodable, Sendable {
    var campaignYear: Int
    var deadline: String
    var regions: [OutstandingView]
}

/// The figures of every region's current submitted version, summed.
struct NationalRollUpView: ResponseEncodable, Sendable {
    var campaignYear: Int
    var regionsSubmitted: [String]
    var pilotRegions: Int
    var figures: [String: Int64]
}
