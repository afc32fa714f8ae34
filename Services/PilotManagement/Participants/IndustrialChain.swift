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
