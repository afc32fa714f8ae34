import Contracts
import Foundation
import Messaging
import Postgres

/// What the complaints service knows of the other services' facts, from their topics only: approved pilot regions
/// (intake and channels need one), enterprises and enrolled sellers (a respondent is known), certificates (a
/// certificate is known, and its holder and body for a certification violation report) and subsidy claims (a
/// complaint about a claim names a known one). Unknown references are flagged on the case, never refused.
enum ReferenceReadModel {
    static let handlers: [EventHandler] = [
        .on(RegionApproved.self) { approval, _, connection in
            try await connection.query("""
                INSERT INTO pilot_region (region_code, region_name) VALUES (\(approval.regionCode.rawValue), \(approval.regionName))
                ON CONFLICT (region_code) DO UPDATE SET region_name = EXCLUDED.region_name
                """)
        },
        .on(EnterpriseRegistered.self) { enterprise, _, connection in
            try await upsertEnterprise(enterprise.creditCode, name: enterprise.name, on: connection)
        },
        .on(EnterpriseUpdated.self) { enterprise, _, connection in
            try await upsertEnterprise(enterprise.creditCode, name: enterprise.name, on: connection)
        },
        .on(ParticipantEnrolled.self) { enrolment, _, connection in
            try await connection.query("""
                INSERT INTO known_enterprise (credit_code, name, source)
                VALUES (\(enrolment.creditCode.rawValue), \(enrolment.name), 'pilot-participant')
                ON CONFLICT (credit_code) DO NOTHING
                """)
        },
        .on(CertificateIssued.self) { certificate, _, connection in
            try await connection.query("""
                INSERT INTO known_certificate (number, holder_credit_code, certification_body)
                VALUES (\(certificate.certificateNumber.rawValue), \(certificate.holderCreditCode.rawValue),
                    \(certificate.certificationBody))
                ON CONFLICT (number) DO UPDATE SET holder_credit_code = EXCLUDED.holder_credit_code,
                    certification_body = EXCLUDED.certification_body
                """)
        },
        .on(ClaimSubmitted.self) { claim, _, connection in
            guard let id = UUID(uuidString: claim.claimID) else {
                throw PermanentEventError(reason: "claimID \(claim.claimID) is not a UUID")
            }
            try await connection.query("""
                INSERT INTO known_claim (claim_id, region_code, seller_credit_code)
                VALUES (\(id), \(claim.regionCode.rawValue), \(claim.sellerCreditCode.rawValue))
                ON CONFLICT (claim_id) DO NOTHING
                """)
        },
    ]

    private static func upsertEnterprise(
        _ code: UnifiedSocialCreditCode, name: String, on connection: PostgresConnection
    ) async throws {
        try await connection.query("""
            INSERT INTO known_enterprise (credit_code, name, source) VALUES (\(code.rawValue), \(name), 'catalogue')
            ON CONFLICT (credit_code) DO UPDATE SET name = EXCLUDED.name, source = 'catalogue'
            """)
    }
}
