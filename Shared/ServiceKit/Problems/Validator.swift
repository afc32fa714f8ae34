/// Collects every problem with an input before failing, so a caller learns about all bad fields in one round trip.
///
/// ```swift
/// var validator = Validator()
/// validator.require(!name.isEmpty, field: "name", "must not be empty")
/// validator.check(field: "regionCode") { try DivisionCode(body.regionCode) }
/// try validator.validate()   // throws one 422 Problem listing every FieldError
/// ```
public struct Validator: Sendable {
    /// The field errors collected so far.
    public private(set) var errors: [FieldError] = []

    public init() {}

    /// Whether nothing has been rejected yet.
    public var isValid: Bool { errors.isEmpty }

    /// Records `reason` for `field`.
    public mutating func add(field: String, reason: String) {
        errors.append(FieldError(field: field, reason: reason))
    }

    /// The largest count an `integer` column holds: a larger one is refused here, not by PostgreSQL as a 500.
    public static let maximumCount = Int(Int32.max)
    /// The largest amount in fen: 2^53 − 1, exact in every JSON reader (and in a `bigint`).
    public static let maximumFen: Int64 = 9_007_199_254_740_991

    /// Records an error for `field` unless `value` is a count from 0 to ``maximumCount``.
    public mutating func count(_ value: Int, field: String) {
        require((0...Self.maximumCount).contains(value), field: field, "must be a whole number from 0 to \(Self.maximumCount)")
    }

    /// Records an error for `field` unless `value` is an amount in fen from 0 to ``maximumFen``.
    public mutating func fen(_ value: Int64, field: String) {
        require((0...Self.maximumFen).contains(value), field: field, "must be an amount in fen from 0 to \(Self.maximumFen)")
    }

    /// Records `reason` for `field` unless `condition` holds.
    public mutating func require(_ condition: Bool, field: String, _ reason: @autoclosure () -> String) {
        if !condition { add(field: field, reason: reason()) }
    }

    /// Runs a throwing parse or check and records its failure for `field`, returning its value when it succeeded.
    ///
    /// A thrown ``Problem`` contributes its own field errors (re-rooted under `field`) or its detail; any other error
    /// contributes its description.
    @discardableResult
    public mutating func check<T>(field: String, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let problem as Problem {
            if problem.errors.isEmpty {
                add(field: field, reason: problem.detail ?? problem.title)
            } else {
                for error in problem.errors {
                    let path = error.field.isEmpty ? field : "\(field).\(error.field)"
                    add(field: path, reason: error.reason)
                }
            }
        } catch {
            add(field: field, reason: String(describing: error))
        }
        return nil
    }

    /// Throws one 422 ``Problem`` listing every collected field error, if there are any.
    public func validate() throws(Problem) {
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}
