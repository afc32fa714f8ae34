/// A Kafka topic of the contract: `gbm.<service>.<aggregate>.v<major>`, written only by its owner.
///
/// Every record's key is the aggregate id, so one aggregate's events keep their order. Messages a consumer cannot
/// process go to `deadLetter` with the reason.
public struct Topic: Sendable, Hashable {
    public let name: String
    public let owner: ServiceName
    public let partitions: Int
    /// What the record key (and `ce_subject`) holds on this topic, e.g. "certificate number".
    public let key: String

    public init(name: String, owner: ServiceName, partitions: Int, key: String = "aggregate id") {
        self.name = name
        self.owner = owner
        self.partitions = partitions
        self.key = key
    }

    /// `<name>.dlq`: where a consumer puts records it cannot process (with the reason in headers).
    public var deadLetter: String { Self.deadLetterName(of: name) }

    /// The one rule for a dead-letter topic's name: the topic's name followed by `.dlq`.
    public static func deadLetterName(of topicName: String) -> String { topicName + ".dlq" }

    /// The event types published on this topic, in catalogue order.
    public var eventTypes: [EventType] { EventCatalogue.allEventTypes.filter { $0.topic == self } }
}

extension Topic {
    // MARK: catalogue
    public static let catalogueEnterprises = Topic(
        name: "gbm.catalogue.enterprises.v1", owner: .catalogue, partitions: 3, key: "unified social credit code")
    public static let catalogueCertificates = Topic(
        name: "gbm.catalogue.certificates.v1", owner: .catalogue, partitions: 6, key: "certificate number")
    public static let catalogueLocalLists = Topic(
        name: "gbm.catalogue.local-lists.v1", owner: .catalogue, partitions: 3, key: "region division code")

    // MARK: pilot management
    public static let pilotRegions = Topic(
        name: "gbm.pilot.regions.v1", owner: .pilot, partitions: 3, key: "region division code")
    public static let pilotActivities = Topic(
        name: "gbm.pilot.activities.v1", owner: .pilot, partitions: 6, key: "activity id")
    public static let pilotParticipants = Topic(
        name: "gbm.pilot.participants.v1", owner: .pilot, partitions: 3, key: "participant (enrolment) id")

    // MARK: subsidy
    public static let subsidyProgrammes = Topic(
        name: "gbm.subsidy.programmes.v1", owner: .subsidy, partitions: 3, key: "programme id")
    public static let subsidyClaims = Topic(
        name: "gbm.subsidy.claims.v1", owner: .subsidy, partitions: 6, key: "claim id")
    public static let subsidyLoanInterestSubsidies = Topic(
        name: "gbm.subsidy.loan-interest-subsidies.v1", owner: .subsidy, partitions: 3, key: "loan-interest subsidy id")
    public static let subsidyPayments = Topic(
        name: "gbm.subsidy.payments.v1", owner: .subsidy, partitions: 6, key: "payment id")

    // MARK: complaints
    public static let complaintsComplaints = Topic(
        name: "gbm.complaints.complaints.v1", owner: .complaints, partitions: 6, key: "complaint id (a region's channel list: its division code)")
    public static let complaintsReports = Topic(
        name: "gbm.complaints.reports.v1", owner: .complaints, partitions: 3, key: "violation report id")

    // MARK: reporting
    public static let reportingReports = Topic(
        name: "gbm.reporting.reports.v1", owner: .reporting, partitions: 3, key: "report id")

    // MARK: platform
    /// End-to-end probes of the messaging layer (its tests and health checks). Not part of the published
    /// contract: not in `EventCatalogue.topics`, no schema file, no AsyncAPI channel. Owned by `reporting`, which
    /// reads every topic anyway.
    public static let platformProbes = Topic(
        name: "gbm.platform.probes.v1", owner: .reporting, partitions: 3, key: "probe id")
}
