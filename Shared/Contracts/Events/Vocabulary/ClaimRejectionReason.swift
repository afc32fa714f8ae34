/// Why a subsidy claim was rejected.
public enum ClaimRejectionReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// The product's certificate was not valid on the purchase date.
    case certificateNotValid = "certificate-not-valid"
    /// The product is not on the national list or the region's local list.
    case productNotListed = "product-not-listed"
    /// The product's star grade is not eligible under the programme.
    case gradeNotEligible = "grade-not-eligible"
    /// The seller is not an enrolled participant of the region.
    case sellerNotEnrolled = "seller-not-enrolled"
    /// The purchase date is outside the programme period.
    case outsideProgrammePeriod = "outside-programme-period"
    /// The programme's budget is used up.
    case budgetExhausted = "budget-exhausted"
    /// The consumer's cap for the programme is reached.
    case capExceeded = "cap-exceeded"
    /// The invoice was already claimed.
    case duplicateInvoice = "duplicate-invoice"
    /// Required evidence is missing.
    case incompleteEvidence = "incomplete-evidence"
}
