import Foundation
import ServiceTestSupport
import Testing

/// Steps several tests share: drafting, submitting and approving an application; opening a region's campaign.
extension PilotClient {
    static let safetyPlan = """
        {"measures":"人员密集场所限流、消防通道畅通、应急预案演练","responsiblePersons":[{"role":"安全负责人","name":"王建国","phone":"13812345678"}]}
        """

    func applicationJSON(_ region: String, name: String = "江苏省", safety: Bool = true) -> String {
        """
        {"regionCode":"\(region)","regionName":"\(name)",
         "workPlan":{"title":"\(name)2023年绿色建材下乡活动实施方案","summary":"全省开展启动会、专场和巡展",
                     "plannedActivities":60,"targetedSales":50000000000,"subsidyFunds":2000000000}
         \(safety ? ",\"safetyPlan\":" + PilotClient.safetyPlan : "")}
        """
    }

    /// A draft application of `region` with its document uploaded; returns its id.
    func draftApplication(_ region: String, safety: Bool = true) async throws -> String {
        let created = try await send(.post, "/applications", token: Tokens.region(region), json: applicationJSON(region, safety: safety))
        #expect(created.status == .created, "\(created.text)")
        let uploaded = try await send(
            .put, "/applications/\(created.id)/document?fileName=plan.pdf", token: Tokens.region(region),
            bytes: Array("%PDF-1.7 work plan of \(region)".utf8))
        #expect(uploaded.status == .ok, "\(uploaded.text)")
        return created.id
    }

    /// A submitted application of `region`; returns its id.
    func submittedApplication(_ region: String, safety: Bool = true) async throws -> String {
        let id = try await draftApplication(region, safety: safety)
        let submitted = try await send(.post, "/applications/\(id)/submission", token: Tokens.region(region))
        #expect(submitted.status == .ok, "\(submitted.text)")
        return id
    }

    @discardableResult
    func review(_ id: String, by department: String, _ opinion: String, comment: String? = nil) async throws -> Reply {
        let commentJSON = comment.map { ",\"comment\":\"\($0)\"" } ?? ""
        return try await send(.post, "/applications/\(id)/reviews", token: Tokens.ministry(department),
                              json: "{\"opinion\":\"\(opinion)\"\(commentJSON)}")
    }

    /// Holds the launch meeting of an approved region.
    @discardableResult
    func launchMeeting(_ region: String, on day: String = "2023-02-20", place: String? = nil) async throws -> Reply {
        try await send(.post, "/regions/\(region)/launch-meeting", token: Tokens.region(region),
                       json: "{\"heldOn\":\"\(day)\",\"placeCode\":\"\(place ?? region)\",\"attendance\":300}")
    }

    func activityJSON(
        type: String = "special-sales-session", level: String = "town", place: String = "330110005",
        startsOn: String = "2023-06-10", endsOn: String = "2023-06-11", safety: String? = "ZJ-AQ-2023-017",
        mode: String? = nil, title: String = "绿色建材下乡专场活动（良渚街道）"
    ) -> String {
        var fields = [
            "\"type\":\"\(type)\"", "\"level\":\"\(level)\"", "\"placeCode\":\"\(place)\"", "\"title\":\"\(title)\"",
            "\"startsOn\":\"\(startsOn)\"", "\"endsOn\":\"\(endsOn)\"",
        ]
        if let safety { fields.append("\"safetyPlanReference\":\"\(safety)\"") }
        if let mode { fields.append("\"mode\":\"\(mode)\"") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    @discardableResult
    func schedule(_ json: String, in region: String = "330000") async throws -> Reply {
        try await send(.post, "/regions/\(region)/activities", token: Tokens.region(region), json: json)
    }
}
