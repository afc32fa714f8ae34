import Contracts
import Messaging
import Postgres

/// Facts from `gbm.pilot.*`: applications and approvals, launch meetings, activities (held ones at their place, by
/// type and level), participants, missed report deadlines; and the approved pilot regions, which owe a summary
/// report. A participant's withdrawal does not repeat its kind, so participants are rows each event fills in part.
enum PilotProjection {
    static let handlers: [EventHandler] = [
        FactLedger.handler(RegionApplicationSubmitted.self) { submitted in
            [Fact(.regionsApplied, region: submitted.regionCode, at: submitted.submittedAt)]
        },
        .on(RegionApproved.self) { approved, event, connection in
            try await connection.query("""
                INSERT INTO pilot_region (region_code, region_name, batch_year, approved_on)
                VALUES (\(approved.regionCode.rawValue), \(approved.regionName), \(approved.batchYear),
                    \(approved.approvedOn.description)::date)
                ON CONFLICT (region_code) DO UPDATE SET region_name = EXCLUDED.region_name,
                    batch_year = EXCLUDED.batch_year, approved_on = EXCLUDED.approved_on
                """)
            try await FactLedger.record(
                [Fact(.regionsApproved, String(approved.batchYear), region: approved.regionCode, day: approved.approvedOn)],
                of: event, on: connection)
        },
        FactLedger.handler(RegionLaunchMeetingHeld.self) { meeting in
            [
                Fact(.launchMeetings, region: meeting.placeCode, day: meeting.heldOn),
                Fact(.launchMeetingAttendance, region: meeting.placeCode, day: meeting.heldOn, value: Int64(meeting.attendance)),
            ]
        },
        FactLedger.handler(RegionReportDeadlineMissed.self) { missed in
            [Fact(.reportDeadlinesMissed, region: missed.regionCode, day: missed.dueOn)]
        },
        FactLedger.handler(ActivityScheduled.self) { scheduled in
            [Fact(.activitiesScheduled, region: scheduled.regionCode, day: scheduled.startsOn)]
        },
        FactLedger.handler(ActivityRescheduled.self) { rescheduled in
            guard rescheduled.previousStartsOn != rescheduled.startsOn else { return [] }
            return [
                Fact(.activitiesScheduled, region: rescheduled.regionCode, day: rescheduled.previousStartsOn, value: -1),
                Fact(.activitiesScheduled, region: rescheduled.regionCode, day: rescheduled.startsOn),
            ]
        },
        FactLedger.handler(ActivityCancelled.self) { cancelled in
            [Fact(.activitiesCancelled, region: cancelled.regionCode, at: cancelled.cancelledAt)]
        },
        FactLedger.handler(ActivityHeld.self) { held in
            let dimension = "\(held.type.rawValue)/\(held.level.rawValue)"
            let place = held.placeCode
            let day = held.startsOn
            return [
                Fact(.activitiesHeld, dimension, region: place, day: day),
                Fact(.attendance, dimension, region: place, day: day, value: Int64(held.attendance)),
                Fact(.activitySales, dimension, region: place, day: day, value: held.sales.rawValue),
                Fact(.enterprisesPresent, dimension, region: place, day: day, value: Int64(held.enterprisesPresent)),
                Fact(.onlinePageViews, dimension, region: place, day: day, value: Int64(held.onlinePageViews)),
            ]
        },
        .on(ParticipantEnrolled.self) { enrolled, event, connection in
            try await connection.query("""
                INSERT INTO participant (participant_id, region_code, kind, enrolled_on)
                VALUES (\(enrolled.participantID), \(enrolled.regionCode.rawValue), \(enrolled.kind.rawValue),
                    \(WorkingDayCalendar.day(of: enrolled.enrolledAt).description)::date)
                ON CONFLICT (participant_id) DO UPDATE SET region_code = EXCLUDED.region_code, kind = EXCLUDED.kind,
                    enrolled_on = EXCLUDED.enrolled_on
                """)
            try await FactLedger.record(
                [Fact(.participantsEnrolled, enrolled.kind.rawValue, region: enrolled.regionCode, at: enrolled.enrolledAt)],
                of: event, on: connection)
        },
        .on(ParticipantWithdrawn.self) { withdrawn, event, connection in
            try await connection.query("""
                INSERT INTO participant (participant_id, region_code, withdrawn_on)
                VALUES (\(withdrawn.participantID), \(withdrawn.regionCode.rawValue),
                    \(WorkingDayCalendar.day(of: withdrawn.withdrawnAt).description)::date)
                ON CONFLICT (participant_id) DO UPDATE SET withdrawn_on = EXCLUDED.withdrawn_on
                """)
            try await FactLedger.record(
                [Fact(.participantsWithdrawn, region: withdrawn.regionCode, at: withdrawn.withdrawnAt)],
                of: event, on: connection)
        },
    ]
}
