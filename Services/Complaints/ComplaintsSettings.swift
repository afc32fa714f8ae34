import Contracts
import ServiceHost

/// What `complaints` runs with besides the host's configuration; tests replace the clock and tune the limits.
///
/// The periods are SAMR's (《市场监督管理投诉举报处理暂行办法》), counted in working days on ``workingDays``.
public struct ComplaintsSettings: ServiceSettings {
    /// The time now: deadlines, schedulers and event times read it.
    public var clock: ServiceClock
    /// The working-day calendar every deadline is counted on (the official holidays and make-up working weekends
    /// of every campaign year's calendar, `seeds/calendar/<year>.json`).
    public var workingDays: WorkingDayCalendar
    /// Accept a complaint or not within this many working days of receipt (or reopening).
    public var acceptanceWorkingDays: Int
    /// Firm-first settlement lasts at most this many working days.
    public var settlementWorkingDays: Int
    /// Mediation ends within this many working days of acceptance.
    public var mediationWorkingDays: Int
    /// The parties are told of a terminated mediation within this many working days.
    public var terminationNoticeWorkingDays: Int
    /// Decide whether to open a case on a report within this many working days of receipt.
    public var reportDecisionWorkingDays: Int
    /// The complainant may reopen a closed case within this many working days of the closing.
    public var reopenWorkingDays: Int
    /// Handlers are reminded this many working days before a deadline.
    public var reminderWorkingDays: Int
    /// The same complainant, respondent and facts within this many calendar days is a duplicate.
    public var duplicateWindowDays: Int
    /// Largest attachment, in bytes (after base64 decoding).
    public var attachmentMaxBytes: Int
    /// Most attachments on one case.
    public var attachmentMaxCount: Int
    /// How often the deadline scan runs.
    public var deadlineCheckInterval: Duration
    /// Who may file through the Open311 facade (`GBM_OPEN311_API_KEYS`); none by default: filing there is closed.
    public var open311APIKeys: Open311APIKeys

    public init(
        clock: ServiceClock = .system, workingDays: WorkingDayCalendar = .china2023, acceptanceWorkingDays: Int = 7,
        settlementWorkingDays: Int = 10, mediationWorkingDays: Int = 45, terminationNoticeWorkingDays: Int = 7,
        reportDecisionWorkingDays: Int = 15, reopenWorkingDays: Int = 15, reminderWorkingDays: Int = 2,
        duplicateWindowDays: Int = 30, attachmentMaxBytes: Int = 400 * 1024, attachmentMaxCount: Int = 3,
        deadlineCheckInterval: Duration = .seconds(600), open311APIKeys: Open311APIKeys = .none
    ) {
        self.clock = clock
        self.workingDays = workingDays
        self.acceptanceWorkingDays = acceptanceWorkingDays
        self.settlementWorkingDays = settlementWorkingDays
        self.mediationWorkingDays = mediationWorkingDays
        self.terminationNoticeWorkingDays = terminationNoticeWorkingDays
        self.reportDecisionWorkingDays = reportDecisionWorkingDays
        self.reopenWorkingDays = reopenWorkingDays
        self.reminderWorkingDays = reminderWorkingDays
        self.duplicateWindowDays = duplicateWindowDays
        self.attachmentMaxBytes = attachmentMaxBytes
        self.attachmentMaxCount = attachmentMaxCount
        self.deadlineCheckInterval = deadlineCheckInterval
        self.open311APIKeys = open311APIKeys
    }
}
