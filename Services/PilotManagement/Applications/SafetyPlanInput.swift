import Contracts
import ServiceKit

/// A safety plan as a region official sends it: the measures and the responsible persons, names and phones in
/// clear (stored only encrypted and hashed).
struct SafetyPlanInput: Decodable, Sendable {
    struct ResponsiblePerson: Decodable, Sendable {
        var role: String
        var name: String
        var phone: String

        /// The phone's digits, without spaces and dashes.
        var phoneDigits: String { phone.filter { !$0.isWhitespace && $0 != "-" } }
    }

    var measures: String
    var responsiblePersons: [ResponsiblePerson]

    /// Adds the plan's invalid fields to `validator`, named `safetyPlan.<field>`.
    func validate(into validator: inout Validator) {
        validator.text(measures, field: "safetyPlan.measures", maxLength: 5000)
        validator.require(!responsiblePersons.isEmpty, field: "safetyPlan.responsiblePersons", "must name at least one responsible person")
        for (index, person) in responsiblePersons.enumerated() {
            validator.text(person.role, field: "safetyPlan.responsiblePersons[\(index)].role", maxLength: 100)
            validator.text(person.name, field: "safetyPlan.responsiblePersons[\(index)].name", maxLength: 100)
            let digits = person.phoneDigits
            validator.require(
                (7...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber },
                field: "safetyPlan.responsiblePersons[\(index)].phone", "must be a phone number of 7 to 15 digits")
        }
    }
}

extension SafetyPlanInput {
    /// The schema of a safety plan as sent (`safetyPlan` of `POST /applications`, `PUT /applications/{id}/safety-plan`).
    static let schema: JSONSchema = .object([
        .required("measures", .text(maxLength: 5000), "The safety measures."),
        .required("responsiblePersons", .array(of: .object([
            .required("role", .text(maxLength: 100), "Their role (安全负责人…)."),
            .required("name", .text(maxLength: 100), "Name; stored only encrypted, never shown."),
            .required("phone", .string(pattern: "^[\\s-]*([0-9][\\s-]*){7,15}$"),
                      "Phone: 7 to 15 digits, spaces and dashes allowed; stored encrypted and hashed, shown masked."),
        ]), minItems: 1), "At least one responsible person."),
    ])
}
