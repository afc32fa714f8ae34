import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Parses path values into domain types, the way every pilot route does.
enum RequestValue {
    /// A path id; anything that is not a UUID names nothing, so it is a 404 of the given kind.
    static func uuid(_ text: String, notFound: (String) -> PilotError) throws(PilotError) -> UUID {
        guard let id = UUID(uuidString: text) else { throw notFound(text) }
        return id
    }

    /// The path's `:code` as a division code; a malformed one is a 422 naming `regionCode`.
    static func regionCode(_ context: AppRequestContext) throws -> DivisionCode {
        var validator = Validator()
        let code = validator.divisionCode(try context.parameters.require("code"), field: "regionCode")
        try validator.validate()
        return code!
    }
}
