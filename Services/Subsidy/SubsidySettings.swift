import Contracts
import ServiceHost

/// What `subsidy` runs with besides the host's configuration; tests replace the clock and tune the rules.
public struct SubsidySettings: ServiceSettings {
    /// The time now: decisions, due days, schedulers and event times read it.
    public var clock: ServiceClock
    /// How many slices a programme's budget is split into (concurrent claims spread over them).
    public var budgetSlices: Int
    /// The fraud and anomaly rules' thresholds.
    public var fraud: FraudThresholds
    /// Working days from approval to the payment due day.
    public var paymentWorkingDays: Int
    /// The working-day calendar due days are counted on (every campaign year's, `seeds/calendar/<year>.json`).
    public var workingDays: WorkingDayCalendar
    /// How often the overdue-payment check runs.
    public var deadlineCheckInterval: Duration

    public init(
        clock: ServiceClock = .system, budgetSlices: Int = 8, fraud: FraudThresholds = FraudThresholds(),
        paymentWorkingDays: Int = 15, workingDays: WorkingDayCalendar = .china2023,
        deadlineCheckInterval: Duration = .seconds(600)
    ) {
        self.clock = clock
        self.budgetSlices = budgetSlices
        self.fraud = fraud
        self.paymentWorkingDays = paymentWorkingDays
        self.workingDays = workingDays
        self.deadlineCheckInterval = deadlineCheckInterval
    }
}
