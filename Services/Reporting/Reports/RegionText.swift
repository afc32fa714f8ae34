import Contracts
import ServiceKit

/// What a region writes in its report: experience, problems and next steps, and a text per guiding department
/// (keyed by its abbreviation, `MIIT` … `NRRA`). Every field is optional in a request and at most 20 000 characters.
struct RegionText: Codable, Sendable, Equatable {
    var experience: String?
    var problems: String?
    var nextSteps: String?
    var departments: [String: String]?

    static let empty = RegionText(experience: nil, problems: nil, nextSteps: nil, departments: nil)
    static let maxLength = 20_000

    /// Checks lengths and department names, naming each bad field.
    func validate(into validator: inout Validator, prefix: String = "") {
        for (field, value) in [("experience", experience), ("problems", problems), ("nextSteps", nextSteps)] {
            if let value { validator.require(value.unicodeScalars.count <= Self.maxLength, field: prefix + field, "must be at most \(Self.maxLength) characters") }
        }
        for (name, text) in departments ?? [:] {
            validator.require(GuidingDepartment(abbreviation: name) != nil, field: "\(prefix)departments.\(name)",
                              "must be one of MIIT, MOHURD, MOA, MOFCOM, SAMR, NRRA")
            validator.require(text.unicodeScalars.count <= Self.maxLength, field: "\(prefix)departments.\(name)",
                              "must be at most \(Self.maxLength) characters")
        }
    }

    /// The department's text ('' when none).
    func text(for department: GuidingDepartment) -> String {
        for (name, text) in departments ?? [:] where GuidingDepartment(abbreviation: name) == department { return text }
        return ""
    }
}
