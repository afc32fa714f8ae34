import Contracts
import Foundation

/// A region's summary report for a campaign year, as the six ministries receive it: the figures from the
/// projections (cumulative from the campaign's first day to `periodEnd`), one section per guiding department's duty
/// in the notice (figures where the data exists, the region's own text otherwise or besides), and the region's
/// free-text sections. Its canonical JSON (sorted keys) is what the content hash covers.
struct SummaryReportDocument: Codable, Sendable, Equatable {
    struct Figures: Codable, Sendable, Equatable {
        var activitiesHeld: Int64
        var activitiesAtTownOrVillage: Int64
        var attendance: Int64
        var launchMeetings: Int64
        var activitySales: Int64
        var participantsActive: Int64
        var platformsActive: Int64
        var storesActive: Int64
        var manufacturersActive: Int64
        var certifiedProductsValid: Int64
        var certificatesIssued: Int64
        var certificatesWithdrawn: Int64
        var localListEntries: Int64
        var productsUnderInvestigation: Int64
        var programmesApproved: Int64
        var budget: Int64
        var claimsSubmitted: Int64
        var claimsApproved: Int64
        var claimsRejected: Int64
        var subsidyApproved: Int64
        var subsidyPaid: Int64
        var subsidyClawedBack: Int64
        var loanSubsidiesGranted: Int64
        var loanSubsidyAmount: Int64
        var reportDeadlinesMissed: Int64
        var complaintsReceived: Int64
        var complaintsOpen: Int64
        var complaintsClosed: Int64
        var complaintsHandled: Int64
        var complaintHandlingWorkingDays: Int64
        var complaintsMediated: Int64
        var complaintsMediationTerminated: Int64
        var complaintDeadlineBreaches: Int64
        var complaintCompensation: Int64
        var certificationViolationsReported: Int64

        static let zero = Figures(
            activitiesHeld: 0, activitiesAtTownOrVillage: 0, attendance: 0, launchMeetings: 0, activitySales: 0,
            participantsActive: 0, platformsActive: 0, storesActive: 0, manufacturersActive: 0, certifiedProductsValid: 0,
            certificatesIssued: 0, certificatesWithdrawn: 0, localListEntries: 0, productsUnderInvestigation: 0,
            programmesApproved: 0, budget: 0, claimsSubmitted: 0, claimsApproved: 0, claimsRejected: 0, subsidyApproved: 0,
            subsidyPaid: 0, subsidyClawedBack: 0, loanSubsidiesGranted: 0, loanSubsidyAmount: 0, reportDeadlinesMissed: 0,
            complaintsReceived: 0, complaintsOpen: 0, complaintsClosed: 0, complaintsHandled: 0,
            complaintHandlingWorkingDays: 0, complaintsMediated: 0, complaintsMediationTerminated: 0,
            complaintDeadlineBreaches: 0, complaintCompensation: 0, certificationViolationsReported: 0)

        /// The average handling time of the cases handled, in hundredths of a working day (0 when none).
        var averageHandlingHundredths: Int64 {
            OverviewView.ComplaintHandling.averageHundredths(workingDays: complaintHandlingWorkingDays, cases: complaintsHandled)
        }

        /// Each figure by its field name.
        var byName: [String: Int64] {
            Dictionary(uniqueKeysWithValues: Mirror(reflecting: self).children.compactMap { child in
                guard let name = child.label, let value = child.value as? Int64 else { return nil }
                return (name, value)
            })
        }
    }

    struct DepartmentSection: Codable, Sendable, Equatable {
        var department: String
        var duty: String
        /// The figures that bear on the duty (named as in ``Figures``); empty where no data exists.
        var figures: [NamedFigure]
        /// What the region writes for this department ('' until it does).
        var text: String
    }

    struct NamedFigure: Codable, Sendable, Equatable {
        var name: String
        var value: Int64
    }

    /// Month by month, from January of the campaign year to `periodEnd`'s month: what the printable report charts.
    struct Monthly: Codable, Sendable, Equatable {
        /// `YYYY-MM`, one per month.
        var months: [String]
        var activitiesHeld: [Int64]
        var attendance: [Int64]
        /// Subsidy paid on claims, in fen.
        var subsidyPaid: [Int64]
        var complaintsReceived: [Int64]
    }

    struct Narrative: Codable, Sendable, Equatable {
        var experience: String
        var problems: String
        var nextSteps: String
    }

    var reportID: String
    var regionCode: String
    var regionName: String
    var campaignYear: Int
    var version: Int
    var addressedTo: [String]
    var periodStart: String
    var periodEnd: String
    var generatedAt: String
    var figures: Figures
    var departments: [DepartmentSection]
    var narrative: Narrative
    var correctionReason: String?
    /// Absent in documents written before the printable report charted them.
    var monthly: Monthly?

    /// The duty of each guiding department in the notice, in the notice's order, and the figures that bear on it.
    static let duties: [(department: GuidingDepartment, duty: String, figures: [String])] = [
        (.miit, "“三品”行动: more varieties, better quality, green building material brands",
         ["certifiedProductsValid", "certificatesIssued", "localListEntries"]),
        (.mohurd, "Rural housing construction and energy-saving retrofits with green building materials", []),
        (.mofcom, "Green building material sales zones on e-commerce platforms and in stores",
         ["platformsActive", "storesActive", "activitySales", "subsidyPaid"]),
        (.samr, "Certification oversight and consumer complaints",
         ["productsUnderInvestigation", "certificatesWithdrawn", "certificationViolationsReported", "complaintsReceived",
          "complaintsClosed", "complaintsHandled", "complaintHandlingWorkingDays", "complaintsMediated",
          "complaintsMediationTerminated", "complaintDeadlineBreaches", "complaintCompensation"]),
        (.moa, "Rural infrastructure and the rural toilet programme", []),
        (.nrra, "Farmers' participation and village construction", ["attendance", "activitiesAtTownOrVillage"]),
    ]

    /// The canonical bytes: JSON with sorted keys, no escaped slashes.
    var canonicalJSON: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(self)
    }
}
