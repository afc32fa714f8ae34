import Contracts
import Hummingbird

/// A region's industrial chain: its chain leaders (链主) and its industrial clusters with their members.
struct IndustrialChain: ResponseEncodable, Sendable {
    struct Cluster: Encodable, Sendable {
        var name: String
        /// The members' credit codes, sorted.
        var participants: [String]
    }

    var regionCode: String
    var chainLeaders: [ParticipantView]
    /// By name.
    var clusters: [Cluster]

    /// The chain of the region's `enrolled` participants.
    init(regionCode: String, enrolled: [ParticipantView]) {
        var clusters: [String: [String]] = [:]
        for participant in enrolled {
            if let cluster = participant.industrialCluster { clusters[cluster, default: []].append(participant.creditCode) }
        }
        self.regionCode = regionCode
        self.chainLeaders = enrolled.filter(\.isChainLeader)
        self.clusters = clusters.keys.sorted().map { Cluster(name: $0, participants: clusters[$0]!.sorted()) }
    }
}

extension IndustrialChain {
    /// The response schema (`GET /regions/{code}/industrial-chain`).
    static let schema: JSONSchema = .object([
        .required("regionCode", .divisionCode, "The region."),
        .required("chainLeaders", .array(of: ParticipantView.schema), "Enrolled participants that lead a chain (链主)."),
        .required("clusters", .array(of: .object([
            .required("name", .text(maxLength: 200), "The cluster."),
            .required("participants", .array(of: .creditCode, minItems: 1, uniqueItems: true), "Credit codes of its enrolled members, sorted."),
        ])), "Industrial clusters of the enrolled participants, by name."),
    ])
}
