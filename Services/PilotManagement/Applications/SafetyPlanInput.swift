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
