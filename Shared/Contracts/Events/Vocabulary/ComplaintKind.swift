/// What a consumer brings to the market regulator (SAMR interim measures on complaints and reports).
public enum ComplaintKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A question (咨询): answered and closed, no deadline.
    case consultation
    /// A consumer's dispute with a seller or enterprise (投诉), possibly asking for compensation.
    case complaint
    /// A suspected violation (举报), e.g. a fake green certification label or a certificate used beyond its scope.
    case report
}
