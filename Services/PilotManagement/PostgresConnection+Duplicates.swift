import Postgres
import ServiceKit

extension PostgresConnection {
    /// Runs an insert whose unique index guards a rule; a concurrent request that slipped past the rule's check
    /// gets `problem` (a 409) instead of a 500.
    func insert(_ query: PostgresQuery, orFailWith problem: @autoclosure () -> Problem) async throws {
        do {
            try await self.query(query)
        } catch let error as PostgresError where error.isUniqueViolation {
            throw problem()
        }
    }
}
