import Contracts

/// What a pilot activity is: the launch meeting (启动会) that opens a region's campaign year, or one of the
/// activity types that may follow it.
public enum PilotActivityKind: String, Sendable, Hashable, CaseIterable, Codable {
    case launchMeeting = "launch-meeting"
    case publicLecture = "public-lecture"
    case specialSalesSession = "special-sales-session"
    case roadshow
    case onlineCampaign = "online-campaign"

    /// The contract's activity type, nil for the launch meeting (which has its own region event).
    public var activityType: ActivityType? {
        switch self {
        case .launchMeeting: nil
        case .publicLecture: .publicLecture
        case .specialSalesSession: .specialSalesSession
        case .roadshow: .roadshow
        case .onlineCampaign: .onlineCampaign
        }
    }

    /// Chinese name, for the calendar feed.
    public var chineseName: String {
        switch self {
        case .launchMeeting: "启动会"
        case .publicLecture: "公益宣讲"
        case .specialSalesSession: "专场活动"
        case .roadshow: "巡展"
        case .onlineCampaign: "线上活动"
        }
    }
}
