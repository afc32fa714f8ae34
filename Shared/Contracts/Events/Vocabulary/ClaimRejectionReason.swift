/// Why a subsidy claim was rejected. A rejection lists every reason that failed, not only the first.
public enum ClaimRejectionReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// The programme was not open on the purchase date or at submission (draft, closed or exhausted).
    case programmeNotOpen = "programme-not-open"
    /// The purchase date is outside the programme period.
    case outsideProgrammePeriod = "outside-programme-period"
    /// A line names a certificate the catalogue never announced.
    case unknownCertificate = "unknown-certificate"
    /// A line's certificate was not valid (issued, not expired, not suspended or revoked) on the purchase date.
    case certificateNotValid = "certificate-not-valid"
    /// A line's product is not on the region's local list (when the programme requires it), or names a local-list
    /// entry the region does not hold on the purchase date.
    case productNotListed = "product-not-listed"
    /// A line's star grade has no rate in the programme (or local-list products are excluded).
    case gradeNotEligible = "grade-not-eligible"
    /// A line's product category is not eligible under the programme.
    case categoryNotEligible = "category-not-eligible"
    /// A line's unit price is above the programme's price ceiling: nothing is paid for it.
    case priceAboveCeiling = "price-above-ceiling"
    /// The seller was not an enrolled participant of the region on the purchase date.
    case sellerNotEnrolled = "seller-not-enrolled"
    /// The household's item count for a category would exceed the programme's cap.
    case householdCountCap = "household-count-cap"
    /// The household's subsidy for a category would exceed the programme's cap.
    case householdAmountCap = "household-amount-cap"
    /// The invoice already backs another claim.
    case duplicateInvoice = "duplicate-invoice"
    /// The programme's budget has no room for the amount.
    case budgetExhausted = "budget-exhausted"
    /// A reviewer rejected the claim after it was held.
    case reviewRejected = "review-rejected"
}
