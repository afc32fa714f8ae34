import Foundation
import HTTPTypes
import Testing
@testable import PilotManagement

@Suite("Pilot activities and the calendar, over HTTP")
struct PilotActivityTests {
    @Test func theLaunchMeetingMustBeHeldBeforeAnyOtherActivity() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            let early = try await client.schedule(client.activityJSON())
            #expect(early.status == .conflict)
            #expect(early.code == "launch-meeting-required")
            #expect(early.fields == ["startsOn"])

            let launch = try await client.launchMeeting("330000", on: "2023-02-20", place: "330100")
            #expect(launch.status == .created, "\(launch.text)")
            #expect(launch.json["type"] as? String == "launch-meeting")
            #expect(try await client.launchMeeting("330000").code == "launch-meeting-already-held")

            let beforeLaunch = try await client.schedule(client.activityJSON(startsOn: "2023-02-10", endsOn: "2023-02-12"))
            #expect(beforeLaunch.code == "launch-meeting-required")
            let scheduled = try await client.schedule(client.activityJSON())
            #expect(scheduled.status == .created, "\(scheduled.text)")
            #expect(scheduled.json["status"] as? String == "scheduled")
        }
        #expect(try await harness.count("activity") == 2)
        let launches = try await harness.events("gbm.pilot.region.launch-meeting-held.v1")
        #expect(launches.count == 1)
        #expect(launches.first?.payload["heldOn"] as? String == "2023-02-20")
        let scheduled = try await harness.events("gbm.pilot.activity.scheduled.v1")
        #expect(scheduled.count == 1)
        #expect(scheduled.first?.payload["level"] as? String == "town")
        #expect(scheduled.first?.payload["placeCode"] as? String == "330110005")
    }

    @Test func badActivitiesAreRefusedNamingTheFieldAndNothingIsStored() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            try await client.launchMeeting("330000")
            let cases: [(String, String)] = [
                (client.activityJSON(startsOn: "2022-12-30", endsOn: "2023-01-02"), "startsOn"),
                (client.activityJSON(startsOn: "2023-12-30", endsOn: "2024-01-02"), "endsOn"),
                (client.activityJSON(startsOn: "2023-06-12", endsOn: "2023-06-11"), "endsOn"),
                (client.activityJSON(place: "33011000"), "placeCode"),
                (client.activityJSON(place: "990110005"), "placeCode"),
                (client.activityJSON(place: "370102005"), "placeCode"),
                (client.activityJSON(level: "county"), "placeCode"),
                (client.activityJSON(level: "province", place: "330000"), "level"),
                (client.activityJSON(safety: nil), "safetyPlanReference"),
                (client.activityJSON(type: "launch-party"), "type"),
                (client.activityJSON(type: "online-campaign", mode: "offline"), "mode"),
            ]
            for (json, field) in cases {
                let reply = try await client.schedule(json)
                #expect(reply.status == .unprocessableContent, "\(json): \(reply.text)")
                #expect(reply.fields.contains(field), "\(json): \(reply.fields)")
            }
            let invalidRegion = try await client.send(.post, "/regions/331000x/activities", token: Tokens.ministry("MIIT"),
                                                      json: client.activityJSON())
            #expect(invalidRegion.status == .unprocessableContent)
            #expect(invalidRegion.fields == ["regionCode"])
            // Village level with a 12-digit code, online without a safety plan: fine.
            let village = try await client.schedule(client.activityJSON(
                type: "online-campaign", level: "village", place: "330110005001", safety: nil))
            #expect(village.status == .created, "\(village.text)")
            #expect(village.json["mode"] as? String == "online")
        }
        #expect(try await harness.count("activity") == 2)
        #expect(try await harness.events("gbm.pilot.activity.scheduled.v1").count == 1)
    }

    @Test func activitiesOnlyInApprovedRegionsAndOnlyByTheirOwnOfficials() async throws {
        let harness = try await PilotHarness.make()
        try await harness.run { client in
            let notPilot = try await client.send(.post, "/regions/320000/activities", token: Tokens.region("320000"),
                                                 json: client.activityJSON(place: "320102001"))
            #expect(notPilot.status == .conflict)
            #expect(notPilot.code == "region-not-approved")
            let notPilotLaunch = try await client.launchMeeting("320000", place: "320100")
            #expect(notPilotLaunch.code == "region-not-approved")
            let foreign = try await client.send(.post, "/regions/330000/activities", token: Tokens.region("370000"),
                                                json: client.activityJSON())
            #expect(foreign.status == .forbidden)
            let foreignLaunch = try await client.send(.post, "/regions/330000/launch-meeting", token: Tokens.region("370000"),
                                                      json: #"{"heldOn":"2023-02-20","placeCode":"330100","attendance":1}"#)
            #expect(foreignLaunch.status == .forbidden)
        }
        #expect(try await harness.count("activity") == 0)
        #expect(try await harness.allEventText().isEmpty)
    }

    @Test func aScheduledActivityIsRescheduledThenHeldOrCancelledWithReason() async throws {
        let harness = try await PilotHarness.make(today: "2023-05-01")
        try await harness.run { client in
            try await client.launchMeeting("330000")
            let first = try await client.schedule(client.activityJSON())
            let second = try await client.schedule(client.activityJSON(type: "roadshow", level: "county", place: "330110"))
            let token = Tokens.region("330000")

            let moved = try await client.send(.put, "/activities/\(first.id)/schedule", token: token,
                                              json: #"{"startsOn":"2023-06-17","endsOn":"2023-06-18","reason":"天气原因"}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(moved.json["startsOn"] as? String == "2023-06-17")
            let outside = try await client.send(.put, "/activities/\(first.id)/schedule", token: token,
                                                json: #"{"startsOn":"2024-01-17","endsOn":"2024-01-18","reason":"x"}"#)
            #expect(outside.fields == ["startsOn", "endsOn"])

            let tooEarly = try await client.send(.post, "/activities/\(first.id)/outcome", token: token,
                                                 json: #"{"attendance":500,"enterprisesPresent":30,"productsShown":200,"sales":123456789,"onlinePageViews":0}"#)
            #expect(tooEarly.code == "activity-not-started")
            harness.clock.set("2023-06-18")
            // Counts past an integer column and amounts past 2^53 fen are field errors, not a database error.
            let huge = try await client.send(.post, "/activities/\(first.id)/outcome", token: token,
                                             json: #"{"attendance":3000000000,"enterprisesPresent":-1,"productsShown":200,"sales":9007199254740992,"onlinePageViews":0}"#)
            #expect(huge.status == .unprocessableContent, "\(huge.text)")
            #expect(huge.fields == ["attendance", "enterprisesPresent", "sales"])
            let held = try await client.send(.post, "/activities/\(first.id)/outcome", token: token,
                                             json: #"{"attendance":500,"enterprisesPresent":30,"productsShown":200,"sales":123456789,"onlinePageViews":0}"#)
            #expect(held.status == .ok, "\(held.text)")
            #expect((held.json["outcome"] as? [String: Any])?["sales"] as? Int == 123_456_789)

            let cancelled = try await client.send(.post, "/activities/\(second.id)/cancellation", token: token,
                                                  json: #"{"reason":"场地检修"}"#)
            #expect(cancelled.json["status"] as? String == "cancelled")
            #expect(cancelled.json["cancellationReason"] as? String == "场地检修")
            let again = try await client.send(.post, "/activities/\(second.id)/cancellation", token: token,
                                              json: #"{"reason":"再次"}"#)
            #expect(again.code == "activity-state")
            let foreign = try await client.send(.post, "/activities/\(first.id)/cancellation", token: Tokens.region("370000"),
                                                json: #"{"reason":"越权"}"#)
            #expect(foreign.status == .forbidden)

            let read = try await client.send(.get, "/activities/\(first.id)", token: Tokens.ministry("NRRA"))
            #expect(read.json["status"] as? String == "held")
            #expect(read.json["id"] as? String == first.id)
            #expect(try await client.send(.get, "/activities/\(first.id)", token: Tokens.region("370000")).status == .forbidden)
            #expect(try await client.send(.get, "/activities/\(UUID())", token: token).code == "activity-not-found")

            let region = try await client.send(.get, "/regions/330000", token: Tokens.ministry("MIIT"))
            let counts = try #require(region.json["counts"] as? [String: Any])
            #expect(counts["activitiesHeld"] as? Int == 2)
            #expect(counts["activitiesCancelled"] as? Int == 1)
            #expect(region.json["launchMeetingHeldOn"] as? String == "2023-02-20")
        }
        let rescheduled = try await harness.events("gbm.pilot.activity.rescheduled.v1")
        #expect(rescheduled.first?.payload["previousStartsOn"] as? String == "2023-06-10")
        #expect(try await harness.events("gbm.pilot.activity.held.v1").first?.payload["sales"] as? Int == 123_456_789)
        #expect(try await harness.events("gbm.pilot.activity.cancelled.v1").count == 1)
    }

    @Test func theCalendarFiltersByRegionLevelTypeDateAndStatusAndThePublicSeesUpcomingActivities() async throws {
        let harness = try await PilotHarness.make(today: "2023-06-01")
        try await harness.run { client in
            try await client.launchMeeting("330000")
            try await client.launchMeeting("370000", place: "370100")
            _ = try await client.schedule(client.activityJSON(startsOn: "2023-05-10", endsOn: "2023-05-10"))
            _ = try await client.schedule(client.activityJSON(startsOn: "2023-07-01", endsOn: "2023-07-02"))
            _ = try await client.schedule(client.activityJSON(type: "public-lecture", level: "village", place: "330110005001",
                                                          startsOn: "2023-08-01", endsOn: "2023-08-01"))
            _ = try await client.schedule(client.activityJSON(type: "roadshow", level: "city", place: "370100",
                                                          startsOn: "2023-07-05", endsOn: "2023-07-09",
                                                          title: "山东省绿色建材巡展; 济南站"), in: "370000")
            let ministry = Tokens.ministry("MOFCOM")
            func titles(_ query: String, token: String? = nil) async throws -> [String] {
                let reply = try await client.send(.get, "/activities?\(query)", token: token ?? ministry)
                #expect(reply.status == .ok, "\(reply.text)")
                return ((reply.json["activities"] as? [[String: Any]]) ?? []).compactMap { $0["startsOn"] as? String }
            }
            #expect(try await titles("regionCode=330000").count == 4)
            #expect(try await titles("regionCode=330000&level=village") == ["2023-08-01"])
            #expect(try await titles("type=roadshow") == ["2023-07-05"])
            #expect(try await titles("from=2023-07-01&to=2023-07-31") == ["2023-07-01", "2023-07-05"])
            #expect(try await titles("status=held").count == 2)
            #expect(try await titles("", token: Tokens.region("370000")) == ["2023-02-20", "2023-07-05"])
            let bad = try await client.send(.get, "/activities?level=galaxy&from=2023-13-01", token: ministry)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(bad.fields) == ["level", "from"])
            let anonymous = try await client.send(.get, "/activities")
            #expect(anonymous.status == .unauthorized)

            let upcoming = try await client.send(.get, "/public/activities")
            let days = ((upcoming.json["activities"] as? [[String: Any]]) ?? []).compactMap { $0["startsOn"] as? String }
            #expect(days == ["2023-07-01", "2023-07-05", "2023-08-01"])

            let feed = try await client.send(.get, "/public/calendar.ics?regionCode=370000")
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(feed.text.hasPrefix("BEGIN:VCALENDAR\r\n"))
            #expect(feed.text.contains("DTSTART;VALUE=DATE:20230705\r\n"))
            #expect(feed.text.contains("DTEND;VALUE=DATE:20230710\r\n"))
            #expect(feed.text.contains("SUMMARY:山东省绿色建材巡展\\; 济南站"))
            #expect(feed.text.components(separatedBy: "BEGIN:VEVENT").count == 2)
            #expect(feed.text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        }
    }
}
