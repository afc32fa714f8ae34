import Contracts
import ServiceKit

extension Principal {
    /// The contract's role for whoever made a change.
    var actorRole: ActorRole {
        switch role {
        case .ministry: .ministryOfficial
        case .regionOfficial: .regionalOfficial
        case .certificationBody: .certificationBody
        case .enterprise: .enterprise
        case .consumer: .consumer
        }
    }
}
