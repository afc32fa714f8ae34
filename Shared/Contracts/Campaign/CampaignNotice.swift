import Foundation

/// One campaign year as the ministries' notice sets it: `seeds/campaign/<year>.json`.
///
/// The campaign runs over several years: the 2022 batch of pilot regions carries on into 2023, and a new batch joins
/// each year. A year's notice fixes its period, its theme, the batch that joins and how many regions it may hold, and
/// the day the regions' summary reports are due. A new year is a new file (with its holiday calendar,
/// `seeds/calendar/<year>.json`), not a code change: ``CampaignBook`` reads both.
public struct CampaignNotice: Codable, Sendable, Hashable {
    /// A batch of pilot regions and the number of regions it may hold.
    public struct Batch: Codable, Sendable, Hashable {
        public var year: Int
        public var name: String
        public var regionCap: Int
        /// The day its regions were approved, for a batch approved before the platform ran (the 2022 batch).
        public var approvedOn: CalendarDate?

        public init(year: Int, name: String, regionCap: Int, approvedOn: CalendarDate? = nil) {
            self.year = year
            self.name = name
            self.regionCap = regionCap
            self.approvedOn = approvedOn
        }
    }

    /// A body of the campaign's promotion group (推广工作组).
    public struct Body: Codable, Sendable, Hashable {
        public var name: String
        public var role: String

        public init(name: String, role: String) {
            self.name = name
            self.role = role
        }
    }

    /// An office the notice names for questions.
    public struct Contact: Codable, Sendable, Hashable {
        public var office: String
        public var phone: String?

        public init(office: String, phone: String? = nil) {
            self.office = office
            self.phone = phone
        }
    }

    public var year: Int
    public var title: String
    /// The notice's document number (文号), e.g. 工信厅联原函〔2023〕50号; absent where it is not recorded.
    public var number: String?
    public var issuedOn: CalendarDate?
    /// The issuing offices.
    public var issuers: [String]
    public var theme: String
    /// First day of the campaign year: activities are planned on days in `startsOn...endsOn`.
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    /// The day every pilot region's summary report is due (the end of November).
    public var summaryReportDueOn: CalendarDate
    /// The batch that joins this year: new applications join it.
    public var batch: Batch
    /// The batches before it that carry on.
    public var earlierBatches: [Batch]
    public var promotionGroup: [Body]
    public var contacts: [Contact]

    public init(
        year: Int, title: String, number: String?, issuedOn: CalendarDate?, issuers: [String], theme: String,
        startsOn: CalendarDate, endsOn: CalendarDate, summaryReportDueOn: CalendarDate, batch: Batch,
        earlierBatches: [Batch], promotionGroup: [Body], contacts: [Contact]
    ) {
        self.year = year
        self.title = title
        self.number = number
        self.issuedOn = issuedOn
        self.issuers = issuers
        self.theme = theme
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.summaryReportDueOn = summaryReportDueOn
        self.batch = batch
        self.earlierBatches = earlierBatches
        self.promotionGroup = promotionGroup
        self.contacts = contacts
    }

    /// The days of the campaign year.
    public var period: ClosedRange<CalendarDate> { startsOn...endsOn }

    /// Every batch the year knows, oldest first.
    public var batches: [Batch] { (earlierBatches + [batch]).sorted { $0.year < $1.year } }

    /// Why a notice cannot be used, or nil.
    public var problem: String? {
        if startsOn > endsOn { return "startsOn \(startsOn) is after endsOn \(endsOn)" }
        if startsOn.year != year || endsOn.year != year { return "its period \(startsOn)…\(endsOn) is not in \(year)" }
        if !period.contains(summaryReportDueOn) { return "summaryReportDueOn \(summaryReportDueOn) is outside its period" }
        if batch.year != year { return "its batch is of \(batch.year), not \(year)" }
        if let batch = batches.first(where: { $0.regionCap < 1 }) { return "batch \(batch.year) has a region cap below 1" }
        if Set(batches.map(\.year)).count != batches.count { return "a batch year is listed twice" }
        if theme.isEmpty || title.isEmpty || issuers.isEmpty { return "title, theme and issuers must not be empty" }
        return nil
    }
}
