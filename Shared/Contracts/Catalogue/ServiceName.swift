/// The five services; each owns the topics named after it and is the only one that publishes to them.
public enum ServiceName: String, Sendable, Hashable, CaseIterable, Codable {
    case catalogue
    /// The pilot-management service (executable `pilot-management`); its topics are `gbm.pilot.*`.
    case pilot
    case subsidy
    case complaints
    case reporting

    /// The CloudEvents `source` of everything this service publishes: `/gbm/<rawValue>`.
    public var eventSource: String { "/gbm/\(rawValue)" }
}
