import Contracts

/// The summary report deadline: due on 30 November of the campaign year, with reminders 14 and 3 days before
/// and an overdue notice the day after.
public enum ReportDeadline {
    /// Which notice a region that has not reported is owed on a given day.
    public enum Notice: String, Sendable, CaseIterable {
        case reminder14 = "reminder-14"
        case reminder3 = "reminder-3"
        case overdue

        /// Days before the due date a reminder is sent for (nil for the overdue notice).
        public var daysBefore: Int? {
            switch self {
            case .reminder14: 14
            case .reminder3: 3
            case .overdue: nil
            }
        }
    }

    /// The notice due on `today` for a report due on `dueOn`, if any: the 14-day reminder from 14 days before
    /// until the 3-day reminder takes over, the 3-day reminder from 3 days before until the due date, the
    /// overdue notice from the day after. Each is sent at most once per region (the caller records it).
    public static func notice(on today: CalendarDate, dueOn: CalendarDate) -> Notice? {
        let daysLeft = today.days(until: dueOn)
        switch daysLeft {
        case ..<0: return .overdue
        case 0...3: return .reminder3
        case 4...14: return .reminder14
        default: return nil
        }
    }
}
