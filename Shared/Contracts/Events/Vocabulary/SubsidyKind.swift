/// What a subsidy programme pays.
public enum SubsidyKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Purchase subsidy: a rate of the purchase price, capped.
    case purchase
    /// Loan interest subsidy (贷款贴息) on consumer loans for green building materials.
    case loanInterest = "loan-interest"
}
