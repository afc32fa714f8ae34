/// A fraud or anomaly rule that holds a claim for review: each is named, tested and listed on the hold.
public enum ClaimHoldRule: String, Sendable, Hashable, CaseIterable, Codable {
    /// Four or more claims by the same buyer in one programme.
    case repeatBuyer = "repeat-buyer"
    /// The seller's claims today are far above its daily norm.
    case sellerVolumeSpike = "seller-volume-spike"
    /// The same bank account receives subsidies for several buyers.
    case sharedBankAccount = "shared-bank-account"
    /// A unit price far above the seller's usual price for the same product.
    case priceAnomaly = "price-anomaly"
    /// A certificate of the claim was suspended or revoked before the claim was paid.
    case certificateWithdrawn = "certificate-withdrawn"
    /// The amount is above the programme's review threshold (two reviewers decide).
    case amountAboveThreshold = "amount-above-threshold"
}
