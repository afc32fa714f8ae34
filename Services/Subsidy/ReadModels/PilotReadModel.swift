import Contracts
import Foundation
import Messaging
import Postgres

/// Approved pilot regions and the sellers enrolled in them, from `gbm.pilot.regions.v1` and
/// `gbm.pilot.participants.v1`: programmes are drafted only in an approved region, and a claim's seller must have
/// been enrolled in the region on the purchase date. Days are Asia/Shanghai days.
enum PilotReadModel {
    static let handlers: [EventHandler] = [
        .on(RegionApproved.self) { approval, _, connection in
            try await connection.query("""
                INSERT INTO pilot_region (region_code, region_name, approved_on)
                VALUES (\(approval.regionCode.rawValue), \(approval.regionName), \(approval.approvedOn.description)::date)
                ON CONFLICT (region_code) DO UPDATE SET region_name = EXCLUDED.region_name, approved_on = EXCLUDED.approved_on
                """)
        },
        .on(ParticipantEnrolled.self) { enrolment, _, connection in
            guard let id = UUID(uuidString: enrolment.participantID) else {
                throw PermanentEventError(reason: "participantID \(enrolment.participantID) is not a UUID")
            }
            try await connection.query("""
                INSERT INTO seller_enrolment (participant_id, region_code, credit_code, enrolled_on)
                VALUES (\(id), \(enrolment.regionCode.rawValue), \(enrolment.creditCode.rawValue),
                    \(WorkingDayCalendar.day(of: enrolment.enrolledAt).description)::date)
                ON CONFLICT (participant_id) DO NOTHING
                """)
        },
        .on(ParticipantWithdrawn.self) { withdrawal, _, connection in
            guard let id = UUID(uuidString: withdrawal.participantID) else {
                throw PermanentEventError(reason: "participantID \(withdrawal.participantID) is not a UUID")
            }
            try await connection.query("""
                UPDATE seller_enrolment SET withdrawn_on = \(WorkingDayCalendar.day(of: withdrawal.withdrawnAt).description)::date
                WHERE participant_id = \(id) AND withdrawn_on IS NULL
                """)
        },
    ]
}
