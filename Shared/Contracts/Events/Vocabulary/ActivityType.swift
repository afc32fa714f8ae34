/// Kinds of pilot activity after the launch meeting.
public enum ActivityType: String, Sendable, Hashable, CaseIterable, Codable {
    /// Public lecture (公益宣讲).
    case publicLecture = "public-lecture"
    /// Special sales session (专场活动).
    case specialSalesSession = "special-sales-session"
    /// Roadshow or touring exhibition (巡展).
    case roadshow
    /// Online campaign (线上活动).
    case onlineCampaign = "online-campaign"
}
