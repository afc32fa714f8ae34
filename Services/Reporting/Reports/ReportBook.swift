import Contracts
import Crypto
import Foundation
import Messaging
import Postgres
import ServiceHost
import ServiceKit

/// The summary reports: generates a region's report for a campaign year from the projections, keeps the region's
/// text, submits (locks and hashes), acknowledges and corrects versions (``ReportStatus``), and says who has not
/// submitted by 30 November. Every state change and its `gbm.reporting.reports.v1` event share one transaction.
struct ReportBook: Sendable {
    let context: ReportingContext

    /// A version as stored.
    struct Version: Sendable {
        var reportID: UUID
        var version: Int
        var regionCode: DivisionCode
        var campaignYear: Int
        var status: ReportStatus
        var text: RegionText
        var document: String
        var contentSHA256: String?
    }

    // MARK: generation

    /// Starts `region`'s report for `year` as a draft (version 1) from the projections.
    func generate(region: DivisionCode, year: Int) async throws -> ReportView {
        try await context.pool.transaction { connection in
            let name = try await regionName(region, on: connection)
            let existing = try await connection.query("""
                SELECT report_id FROM summary_report WHERE region_code = \(region.rawValue) AND campaign_year = \(year) LIMIT 1
                """)
            if let row = existing.first {
                throw ReportingError.reportExists(try row.decode("report_id", as: UUID.self).uuidString.lowercased())
            }
            let id = UUID()
            let document = try await compose(id: id, version: 1, region: region, name: name, year: year, text: .empty,
                                             correction: nil, on: connection)
            try await connection.query("""
                INSERT INTO summary_report (report_id, version, region_code, campaign_year, status, region_text, document, created_at)
                VALUES (\(id), 1, \(region.rawValue), \(year), 'draft', \(encode(RegionText.empty)), \(document),
                    \(context.clock.now()))
                """)
            return try await view(id, version: nil, on: connection)
        }
    }

    /// Saves the region's text in a draft and regenerates its figures.
    func edit(_ id: UUID, text: RegionText, access: RegionAccess) async throws -> ReportView {
        try await context.pool.transaction { connection in
            let current = try await latest(id, for: .edit, access: access, on: connection)
            let name = try await regionName(current.regionCode, on: connection)
            let document = try await compose(id: id, version: current.version, region: current.regionCode, name: name,
                                             year: current.campaignYear, text: text, correction: nil, on: connection)
            try await connection.query("""
                UPDATE summary_report SET region_text = \(encode(text)), document = \(document)
                WHERE report_id = \(id) AND version = \(current.version)
                """)
            return try await view(id, version: nil, on: connection)
        }
    }

    /// Locks the draft with fresh figures, records its hash and publishes `report.submitted`.
    func submit(_ id: UUID, access: RegionAccess) async throws -> ReportView {
        try await context.pool.transaction { connection in
            let current = try await latest(id, for: .submit, access: access, on: connection)
            let name = try await regionName(current.regionCode, on: connection)
            let now = context.clock.now()
            let document = try await compose(id: id, version: current.version, region: current.regionCode, name: name,
                                             year: current.campaignYear, text: current.text, correction: nil, on: connection)
            let hash = Self.sha256(document)
            try await connection.query("""
                UPDATE summary_report SET document = \(document), content_sha256 = \(hash), status = 'submitted',
                    submitted_at = \(now)
                WHERE report_id = \(id) AND version = \(current.version)
                """)
            let figures = try Self.decode(document).figures
            _ = try await context.outbox.append(SummaryReportSubmitted(
                reportID: id.uuidString.lowercased(), regionCode: current.regionCode, campaignYear: current.campaignYear,
                version: current.version, contentSHA256: hash,
                submittedBeforeDeadline: onTime(year: current.campaignYear), activitiesHeld: Int(figures.activitiesHeld),
                attendance: Int(figures.attendance), subsidyPaid: Fen(max(0, figures.subsidyPaid - figures.subsidyClawedBack)),
                submittedAt: now), on: connection, time: now)
            return try await view(id, version: nil, on: connection)
        }
    }

    /// A ministry official acknowledges the submitted version.
    func acknowledge(_ id: UUID, by principal: Principal) async throws -> ReportView {
        try await context.pool.transaction { connection in
            let current = try await latest(id, for: .acknowledge, access: { _ in principal }, on: connection)
            let now = context.clock.now()
            try await connection.query("""
                UPDATE summary_report SET status = 'acknowledged', acknowledged_at = \(now)
                WHERE report_id = \(id) AND version = \(current.version)
                """)
            _ = try await context.outbox.append(SummaryReportAcknowledged(
                reportID: id.uuidString.lowercased(), regionCode: current.regionCode, campaignYear: current.campaignYear,
                version: current.version, contentSHA256: current.contentSHA256 ?? "", department: principal.department,
                acknowledgedAt: now), on: connection, time: now)
            return try await view(id, version: nil, on: connection)
        }
    }

    /// A new, submitted version with fresh figures, the given text (or the previous one) and the reason; the
    /// previous version is superseded, unchanged otherwise.
    func correct(_ id: UUID, reason: String, text: RegionText?, access: RegionAccess) async throws -> ReportView {
        try await context.pool.transaction { connection in
            let current = try await latest(id, for: .correct, access: access, on: connection)
            let name = try await regionName(current.regionCode, on: connection)
            let now = context.clock.now()
            let version = current.version + 1
            let newText = text ?? current.text
            let document = try await compose(id: id, version: version, region: current.regionCode, name: name,
                                             year: current.campaignYear, text: newText, correction: reason, on: connection)
            let hash = Self.sha256(document)
            try await connection.query("""
                UPDATE summary_report SET status = 'superseded' WHERE report_id = \(id) AND version = \(current.version)
                """)
            try await connection.query("""
                INSERT INTO summary_report (report_id, version, region_code, campaign_year, status, region_text, document,
                    content_sha256, correction_reason, created_at, submitted_at)
                VALUES (\(id), \(version), \(current.regionCode.rawValue), \(current.campaignYear), 'submitted',
                    \(encode(newText)), \(document), \(hash), \(reason), \(now), \(now))
                """)
            _ = try await context.outbox.append(SummaryReportCorrected(
                reportID: id.uuidString.lowercased(), regionCode: current.regionCode, campaignYear: current.campaignYear,
                version: version, previousVersion: current.version, previousContentSHA256: current.contentSHA256 ?? "",
                contentSHA256: hash, reason: reason, correctedAt: now), on: connection, time: now)
            return try await view(id, version: nil, on: connection)
        }
    }

    // MARK: reading

    /// The latest version, or `version`; the caller's access is checked against the report's region.
    func view(_ id: UUID, version: Int?, access: RegionAccess) async throws -> ReportView {
        try await context.pool.withConnection { connection in
            let report = try await view(id, version: version, on: connection)
            _ = try access(report.regionCode)
            return report
        }
    }

    /// The pilot regions whose report for `year` was not submitted by 30 November (not at all, or later).
    func outstanding(year: Int) async throws -> [OutstandingView] {
        let deadline = context.settings.campaigns.summaryReportDue(year: year).startOfDay(in: ServiceClock.timeZone).addingTimeInterval(86_400)
        let rows = try await context.pool.query("""
            SELECT p.region_code, p.region_name, min(r.submitted_at) AS first_submitted
            FROM pilot_region p
            LEFT JOIN summary_report r ON r.region_code = p.region_code AND r.campaign_year = \(year) AND r.submitted_at IS NOT NULL
            WHERE p.batch_year <= \(year)
            GROUP BY p.region_code, p.region_name
            HAVING min(r.submitted_at) IS NULL OR min(r.submitted_at) >= \(deadline)
            ORDER BY p.region_code
            """)
        return try rows.rows.map { row in
            let submitted = try row.decode("first_submitted", as: Date?.self)
            return OutstandingView(
                regionCode: try row.decode("region_code"), regionName: try row.decode("region_name"),
                submittedLateOn: submitted.map { CalendarDate($0, in: ServiceClock.timeZone).description })
        }
    }

    /// The national roll-up: the figures of every region's current submitted (or acknowledged) version, summed.
    func national(year: Int) async throws -> NationalRollUpView {
        let rows = try await context.pool.query("""
            SELECT region_code, document FROM summary_report
            WHERE campaign_year = \(year) AND status IN ('submitted', 'acknowledged') ORDER BY region_code
            """)
        var totals = SummaryReportDocument.Figures.zero.byName
        var regions: [String] = []
        for row in rows.rows {
            regions.append(try row.decode("region_code"))
            for (name, value) in try Self.decode(try row.decode("document", as: String.self)).figures.byName {
                totals[name, default: 0] += value
            }
        }
        let pilots = try await context.pool.query("SELECT count(*)::int8 AS n FROM pilot_region WHERE batch_year <= \(year)")
        return NationalRollUpView(
            campaignYear: year, regionsSubmitted: regions, pilotRegions: Int(try pilots.first?.decode("n", as: Int64.self) ?? 0),
            figures: totals)
    }

    // MARK: helpers

    private func view(_ id: UUID, version: Int?, on connection: PostgresConnection) async throws -> ReportView {
        let rows = try await connection.query("""
            SELECT version, status, document, content_sha256, correction_reason, created_at, submitted_at, acknowledged_at,
                (SELECT max(version) FROM summary_report WHERE report_id = \(id)) AS latest
            FROM summary_report WHERE report_id = \(id) AND (\(version)::int IS NULL OR version = \(version)::int)
            ORDER BY version DESC LIMIT 1
            """)
        guard let row = rows.first else { throw ReportingError.reportNotFound(id.uuidString.lowercased()) }
        let document = try Self.decode(try row.decode("document", as: String.self))
        return ReportView(
            id: id.uuidString.lowercased(), regionCode: document.regionCode, campaignYear: document.campaignYear,
            version: try row.decode("version"), latestVersion: try row.decode("latest"),
            status: try row.decode("status"), contentSHA256: try row.decode("content_sha256", as: String?.self),
            correctionReason: try row.decode("correction_reason", as: String?.self),
            createdAt: try row.decode("created_at"), submittedAt: try row.decode("submitted_at", as: Date?.self),
            acknowledgedAt: try row.decode("acknowledged_at", as: Date?.self), document: document)
    }

    /// The latest version, locked, if `action` is allowed on it and the caller may act in its region.
    private func latest(
        _ id: UUID, for action: ReportAction, access: RegionAccess, on connection: PostgresConnection
    ) async throws -> Version {
        let rows = try await connection.query("""
            SELECT report_id, version, region_code, campaign_year, status, region_text, document, content_sha256
            FROM summary_report WHERE report_id = \(id) ORDER BY version DESC LIMIT 1 FOR UPDATE
            """)
        guard let row = rows.first else { throw ReportingError.reportNotFound(id.uuidString.lowercased()) }
        let region = try row.decode("region_code", as: String.self)
        _ = try access(region)
        let status = ReportStatus(rawValue: try row.decode("status", as: String.self)) ?? .draft
        guard action.allowedFrom.contains(status) else { throw ReportingError.reportState(status, action: action.rawValue) }
        return Version(
            reportID: id, version: try row.decode("version"), regionCode: DivisionCode(rawValue: region)!,
            campaignYear: try row.decode("campaign_year"), status: status,
            text: try JSONDecoder().decode(RegionText.self, from: Data(try row.decode("region_text", as: String.self).utf8)),
            document: try row.decode("document"), contentSHA256: try row.decode("content_sha256", as: String?.self))
    }

    private func regionName(_ region: DivisionCode, on connection: PostgresConnection) async throws -> String {
        let rows = try await connection.query("SELECT region_name FROM pilot_region WHERE region_code = \(region.rawValue)")
        guard let row = rows.first else { throw ReportingError.notAPilotRegion(region.rawValue) }
        return try row.decode("region_name")
    }

    /// The document of a version: figures from the projections at the end of `periodEnd`.
    private func compose(
        id: UUID, version: Int, region: DivisionCode, name: String, year: Int, text: RegionText, correction: String?,
        on connection: PostgresConnection
    ) async throws -> String {
        let yearEnd = CalendarDate(year: year, month: 12, day: 31)!
        let periodEnd = min(context.clock.today, yearEnd)
        let figures = try await ReportFigures.compute(region: region, on: periodEnd, connection: connection)
        let values = figures.byName
        let document = SummaryReportDocument(
            reportID: id.uuidString.lowercased(), regionCode: region.rawValue, regionName: name, campaignYear: year,
            version: version, addressedTo: GuidingDepartment.allCases.map(\.abbreviation),
            periodStart: context.settings.campaign.lowerBound.description, periodEnd: periodEnd.description,
            generatedAt: InternetDateTime.string(from: context.clock.now()), figures: figures,
            departments: SummaryReportDocument.duties.map { duty in
                SummaryReportDocument.DepartmentSection(
                    department: duty.department.abbreviation, duty: duty.duty,
                    figures: duty.figures.map { .init(name: $0, value: values[$0] ?? 0) },
                    text: text.text(for: duty.department))
            },
            narrative: .init(experience: text.experience ?? "", problems: text.problems ?? "", nextSteps: text.nextSteps ?? ""),
            correctionReason: correction,
            monthly: try await ReportFigures.monthly(region: region, year: year, through: periodEnd, connection: connection))
        return String(decoding: document.canonicalJSON, as: UTF8.self)
    }

    private func onTime(year: Int) -> Bool { context.clock.today <= context.settings.campaigns.summaryReportDue(year: year) }


    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).lowercaseHex
    }

    /// A stored document; figures added since it was written (complaint handling, …) read as 0.
    static func decode(_ document: String) throws -> SummaryReportDocument {
        let data = Data(document.utf8)
        if let decoded = try? JSONDecoder().decode(SummaryReportDocument.self, from: data) { return decoded }
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              var figures = object["figures"] as? [String: Any] else {
            return try JSONDecoder().decode(SummaryReportDocument.self, from: data)
        }
        for name in SummaryReportDocument.Figures.zero.byName.keys where figures[name] == nil { figures[name] = 0 }
        object["figures"] = figures
        return try JSONDecoder().decode(SummaryReportDocument.self, from: try JSONSerialization.data(withJSONObject: object))
    }

    private func encode(_ text: RegionText) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}
