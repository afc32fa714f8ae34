/// What a complaint is about.
public enum ComplaintCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// The product's quality or performance.
    case productQuality = "product-quality"
    /// A product sold as green or certified that is not.
    case falseGreenClaim = "false-green-claim"
    /// Price, promised discount (让利) or promotion terms.
    case priceOrDiscount = "price-or-discount"
    /// A subsidy claim or payment.
    case subsidy
    /// Delivery, installation or after-sales service.
    case installationOrAfterSales = "installation-or-after-sales"
    /// Anything else.
    case other
}
