import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Under-investigation flags: set when the complaints service reports a certification violation about a
/// certificate, cleared by the market regulator of the report's region (a SAMR official anywhere, a bureau within
/// its division), never by the certification body under investigation. A flag never changes the status.
struct Investigation: Sendable {
    let context: CatalogueContext

    /// Consumes `gbm.complaints.reports.v1`: flags the certificate once per report (the inbox makes redelivery
    /// harmless; the report id makes a re-sent report harmless too). A report about a number the catalogue does
    /// not know (a forged certificate) has nothing to flag.
    var handler: EventHandler {
        EventHandler.on(CertificationViolationReported.self) { report, _, connection in
            try await flag(report, on: connection)
        }
    }

    func flag(_ report: CertificationViolationReported, on connection: PostgresConnection) async throws {
        let number = report.certificateNumber
        guard let reportID = UUID(uuidString: report.reportID)
        else { return }
        let certificate = try await connection.query(
            "SELECT holder_credit_code, product_name FROM certificates WHERE number = \(number) FOR UPDATE")
        guard let row = certificate.first else {
            context.logger.info("violation report names an unknown certificate", metadata: [
                "certificate.number": "\(number)", "report.id": "\(report.reportID)",
            ])
            return
        }
        let now = context.clock.now()
        let inserted = try await connection.query("""
            INSERT INTO investigation_flags
                (violation_report_id, certificate_number, violation_kind, region_code, reported_at, flagged_at)
            VALUES (\(reportID), \(number), \(report.violationKind.rawValue), \(report.regionCode.rawValue),
                \(report.reportedAt), \(now))
            ON CONFLICT (violation_report_id) DO NOTHING
            """)
        guard inserted.affectedRows == 1 else { return }
        try await connection.query("""
            UPDATE certificates SET updated_at = \(now), change_seq = nextval('certificate_change_seq')
            WHERE number = \(number)
            """)
        try await context.outbox.append(CertificateFlagged(
            certificateNumber: number, holderCreditCode: try row.creditCode("holder_credit_code"),
            productName: try row.decode("product_name", as: String.self), violationReportID: reportID.postgresText!,
            violationKind: report.violationKind, flaggedAt: now), on: connection, time: now)
    }

    /// Clears an open flag with the investigation's outcome; `regulator` must regulate the report's region.
    func clear(
        number: CertificateNumber, reportID: UUID, reason: String, regulator: Principal, on connection: PostgresConnection
    ) async throws -> CertificateView {
        let certificate = try await connection.query(
            "SELECT holder_credit_code FROM certificates WHERE number = \(number) FOR UPDATE")
        guard let row = certificate.first else { throw CatalogueError.certificateNotFound(number.rawValue) }
        let flag = try await connection.query("""
            SELECT region_code FROM investigation_flags
            WHERE violation_report_id = \(reportID) AND certificate_number = \(number) AND cleared_at IS NULL
            """)
        guard let flagRow = flag.first else { throw CatalogueError.flagNotFound(reportID.postgresText!) }
        let region = try flagRow.decode("region_code", as: String.self)
        // A region that is no division code (never from a valid report) is no bureau's: only SAMR may clear it.
        let mayClear = DivisionCode(rawValue: region).map(regulator.mayRegulate(in:)) ?? (regulator.role == .ministry)
        guard mayClear else {
            throw CatalogueError.flagOutsideJurisdiction(report: reportID.postgresText!, region: region)
        }
        let actor = regulator.actorRole
        let now = context.clock.now()
        let cleared = try await connection.query("""
            UPDATE investigation_flags SET cleared_at = \(now), clearance_reason = \(reason)
            WHERE violation_report_id = \(reportID) AND certificate_number = \(number) AND cleared_at IS NULL
            """)
        guard cleared.affectedRows == 1 else { throw CatalogueError.flagNotFound(reportID.postgresText!) }
        try await connection.query("""
            UPDATE certificates SET updated_at = \(now), change_seq = nextval('certificate_change_seq')
            WHERE number = \(number)
            """)
        try await context.outbox.append(CertificateFlagCleared(
            certificateNumber: number, holderCreditCode: try row.creditCode("holder_credit_code"),
            violationReportID: reportID.postgresText!, reason: reason, actorRole: actor, clearedAt: now),
            on: connection, time: now)
        return try await CertificateView.find(number, on: connection)!
    }
}
