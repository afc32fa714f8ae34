import Postgres

extension PostgresConnection {
    /// Runs an insert whose unique index guards a rule; a concurrent request that slipped past the rule's check
    /// gets `error` (a 409) instead of a 500. Applications, launch meetings and enrolments each have one.
    func insert(_ query: PostgresQuery, orFailWith error: @autoclosure () -> PilotError) async throws {
        do {
            try await self.query(query)
        } catch let failure as PostgresError where failure.isUniqueViolation {
            throw error()
        }
    }
}
