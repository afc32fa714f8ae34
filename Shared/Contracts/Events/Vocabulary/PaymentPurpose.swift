/// What a payment pays out.
public enum PaymentPurpose: String, Sendable, Hashable, CaseIterable, Codable {
    /// An approved purchase subsidy claim.
    case purchaseSubsidy = "purchase-subsidy"
    /// A granted loan interest subsidy.
    case loanInterestSubsidy = "loan-interest-subsidy"
}
