import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Parses path and query values into domain types, the way every subsidy route does.
enum RequestValue {
    /// A path id; anything that is not a UUID names nothing, so it is a 404 of the given kind.
    static func uuid(_ context: AppRequestContext, notFound: (String) -> SubsidyError) throws -> UUID {
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw notFound(text) }
        return id
    }

    /// An optional query value checked by `parse`, which records its failure in `validator`.
    static func query<Value>(
        _ request: Request, _ name: String, validator: inout Validator,
        _ parse: (inout Validator, String) -> Value?
    ) -> Value? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        return parse(&validator, text)
    }

    /// `limit` from the query: 1–500, 100 when absent.
    static func limit(_ request: Request, validator: inout Validator) -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return 100 }
        guard let value = Int(text), (1...500).contains(value) else {
            validator.add(field: "limit", reason: "must be a whole number from 1 to 500")
            return 100
        }
        return value
    }
}
