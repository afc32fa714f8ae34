import Postgres
import ServiceKit

/// A database outage, an exhausted pool or a lock or statement time-out is the infrastructure's fault: a request
/// that meets one is answered 503 with `Retry-After`, not 500.
extension PostgresError: InfrastructureFailure {}
