/// Where a purchase subsidy claim is. Eligibility is decided when it is submitted, from the service's read models:
///
/// | from     | event                                 | to          |
/// |----------|---------------------------------------|-------------|
/// | (new)    | eligible, no rule holds it            | approved    |
/// | (new)    | eligible, a fraud or anomaly rule     | held        |
/// | (new)    | any reason fails                      | rejected    |
/// | held     | enough reviewers approve              | approved    |
/// | held     | a reviewer rejects                    | rejected    |
/// | approved | its certificate suspended or revoked  | held        |
/// | approved | the bank confirms payment             | paid        |
/// | paid     | goods returned or fraud found         | clawed-back |
///
/// Approved and held claims hold a reservation in the budget; rejection releases it, clawback returns the payment.
public enum ClaimStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case approved
    case rejected
    case held
    case paid
    case clawedBack = "clawed-back"
}
