import Contracts

/// The JSON Schema (2020-12) of a summary report document (``SummaryReportDocument``), served at
/// `GET /summary-report-schema` and checked against every generated report by the tests.
enum ReportSchema {
    static let count = JSONSchema.integer(minimum: -9_007_199_254_740_991, maximum: 9_007_199_254_740_991)

    static let figures: JSONSchema = .object(
        SummaryReportDocument.Figures.zero.byName.keys.sorted().map { JSONSchema.Property.required($0, count, "Figure \($0) (fen for amounts).") })

    static let schema: JSONSchema = .object([
        .required("reportID", .uuid, "The report."),
        .required("regionCode", .divisionCode, "The pilot region."),
        .required("regionName", .text(maxLength: 200), "Its name."),
        .required("campaignYear", .year, "The campaign year."),
        .required("version", .integer(minimum: 1, maximum: 10_000), "The version."),
        .required("addressedTo", .array(of: .string(pattern: "^(MIIT|MOHURD|MOA|MOFCOM|SAMR|NRRA)$"), minItems: 6),
                  "The six guiding departments."),
        .required("periodStart", .date, "First day the figures cover."),
        .required("periodEnd", .date, "Last day the figures cover."),
        .required("generatedAt", .dateTime, "When the figures were read."),
        .required("figures", figures, "The region's figures from the projections, cumulative to periodEnd."),
        .required("departments", .array(of: .object([
            .required("department", .string(pattern: "^(MIIT|MOHURD|MOA|MOFCOM|SAMR|NRRA)$"), "The department."),
            .required("duty", .text(maxLength: 500), "Its duty in the notice."),
            .required("figures", .array(of: .object([
                .required("name", .text(maxLength: 100), "A figure's name."),
                .required("value", count, "Its value."),
            ])), "The figures bearing on the duty (none where no data exists)."),
            .required("text", .string(maxLength: RegionText.maxLength), "What the region writes for it."),
        ]), minItems: 6), "One section per guiding department."),
        .required("narrative", .object([
            .required("experience", .string(maxLength: RegionText.maxLength), "Experience."),
            .required("problems", .string(maxLength: RegionText.maxLength), "Problems."),
            .required("nextSteps", .string(maxLength: RegionText.maxLength), "Next steps."),
        ]), "The region's own sections."),
        .optional("correctionReason", .text(maxLength: 2000), "Why this version corrects the previous one."),
        .optional("monthly", .object([
            .required("months", .array(of: .string(pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$")), "YYYY-MM, January to periodEnd's month."),
            .required("activitiesHeld", .array(of: count), "Activities held, per month."),
            .required("attendance", .array(of: count), "Attendance, per month."),
            .required("subsidyPaid", .array(of: count), "Subsidy paid on claims per month, in fen."),
            .required("complaintsReceived", .array(of: count), "Complaints, consultations and reports received, per month."),
        ]), "Month by month, what the printable report charts."),
    ])

    static let document: JSONValue = schema.document(
        id: "urn:gbm:reporting:summary-report", title: "Summary report",
        description: "A pilot region's summary report for a campaign year, to the six guiding departments.")
}
