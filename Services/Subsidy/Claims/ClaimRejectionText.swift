import Contracts

/// Reason codes in words, for the rejection event's `reason` and the claim's view.
enum ClaimRejectionText {
    static func describe(_ reasons: [ClaimRejectionReason]) -> String {
        reasons.map(text).joined(separator: "; ")
    }

    static func text(_ reason: ClaimRejectionReason) -> String {
        switch reason {
        case .programmeNotOpen: "the programme does not take claims"
        case .outsideProgrammePeriod: "the purchase date is outside the programme period"
        case .unknownCertificate: "a certificate is not known to the catalogue"
        case .certificateNotValid: "a certificate was not valid on the purchase date"
        case .productNotListed: "a product is not on the region's local list"
        case .gradeNotEligible: "a product's grade is not paid for by the programme"
        case .categoryNotEligible: "a product's category is not eligible"
        case .priceAboveCeiling: "a unit price is above the programme's ceiling"
        case .sellerNotEnrolled: "the seller was not enrolled in the region on the purchase date"
        case .householdCountCap: "the household's item cap for a category is reached"
        case .householdAmountCap: "the household's subsidy cap for a category is reached"
        case .duplicateInvoice: "the invoice already backs another claim"
        case .budgetExhausted: "the programme's budget has no room for the amount"
        case .reviewRejected: "a reviewer rejected the claim"
        }
    }
}
