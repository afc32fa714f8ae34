import Postgres

/// The `reporting` schema's own migrations, numbered from 100 (the platform's outbox and inbox come first). A migration
/// that has shipped is never edited: a change is a new migration.
enum ReportingMigrations {
    static let all: [PostgresMigration] = [projections, summaryReports, liveFeed, complaintCases, factsByRegion]

    /// The projections: keyed facts, each derived from one event alone (so redelivery and arrival order cannot change
    /// them), and the two entity tables whose later events lack what the first one said (a participant's kind, a
    /// pilot region's name). Aggregates are sums over `measure`, computed when asked.
    static let projections = PostgresMigration(version: 100, name: "projections", sql: """
        -- One row per (event, position in the event's list of facts): a signed amount of one metric, in one
        -- dimension (an activity's type and level, a claim's state…; '' when the metric has none), in one division
        -- (its 6-, 9- or 12-digit code; '' when the fact belongs to no division and counts only nationally), on one
        -- Asia/Shanghai day. A metric's value on a day is the sum of its facts up to that day.
        CREATE TABLE fact (
            ce_source text NOT NULL,
            ce_id text NOT NULL,
            seq int NOT NULL,
            metric text NOT NULL,
            dimension text NOT NULL,
            region_code text NOT NULL,
            day date NOT NULL,
            value bigint NOT NULL,
            PRIMARY KEY (ce_source, ce_id, seq)
        );
        CREATE INDEX fact_metric_region_day ON fact (metric, region_code text_pattern_ops, day);

        -- Enrolled participants: the withdrawal does not repeat the kind, so each event fills its own columns and
        -- the active count is derived (+1 on enrolment, -1 on withdrawal) whatever order they arrived in.
        CREATE TABLE participant (
            participant_id text PRIMARY KEY,
            region_code text NOT NULL,
            kind text,
            enrolled_on date,
            withdrawn_on date
        );

        -- Approved pilot regions (who owes a summary report).
        CREATE TABLE pilot_region (
            region_code text PRIMARY KEY,
            region_name text NOT NULL,
            batch_year int NOT NULL,
            approved_on date NOT NULL
        );

        CREATE VIEW measure AS
            SELECT metric, dimension, region_code, day, value FROM fact
            UNION ALL
            SELECT 'participants.active', kind, region_code, enrolled_on, 1 FROM participant
            WHERE enrolled_on IS NOT NULL
            UNION ALL
            SELECT 'participants.active', kind, region_code, withdrawn_on, -1 FROM participant
            WHERE enrolled_on IS NOT NULL AND withdrawn_on IS NOT NULL;
        """)

    /// Summary reports: one row per version; a submitted version is never updated again except to be acknowledged or
    /// superseded by a correction. `document` is the canonical JSON the content hash covers.
    static let summaryReports = PostgresMigration(version: 101, name: "summary reports", sql: """
        CREATE TABLE summary_report (
            report_id uuid NOT NULL,
            version int NOT NULL CHECK (version >= 1),
            region_code text NOT NULL,
            campaign_year int NOT NULL,
            status text NOT NULL CHECK (status IN ('draft', 'submitted', 'acknowledged', 'superseded')),
            region_text text NOT NULL,
            document text NOT NULL,
            content_sha256 text,
            correction_reason text,
            created_at timestamptz NOT NULL,
            submitted_at timestamptz,
            acknowledged_at timestamptz,
            PRIMARY KEY (report_id, version),
            CHECK (status = 'draft' OR content_sha256 IS NOT NULL),
            CHECK (version = 1 OR correction_reason IS NOT NULL)
        );
        CREATE UNIQUE INDEX summary_report_region_year ON summary_report (region_code, campaign_year, version);
        """)

    /// The live feed (``LiveFeed``): numbered in commit order by a one-row counter, keyed by the event.
    static let liveFeed = PostgresMigration(version: 102, name: "live feed", sql: """
        CREATE TABLE feed_counter (
            id int PRIMARY KEY CHECK (id = 1),
            last bigint NOT NULL
        );
        INSERT INTO feed_counter VALUES (1, 0);
        CREATE TABLE feed_entry (
            id bigint PRIMARY KEY,
            ce_source text NOT NULL,
            ce_id text NOT NULL,
            ce_type text NOT NULL,
            topic text NOT NULL,
            region_code text NOT NULL,
            day date NOT NULL,
            facts jsonb NOT NULL,
            UNIQUE (ce_source, ce_id)
        );
        CREATE INDEX feed_entry_region ON feed_entry (region_code text_pattern_ops, id);
        """)

    /// Complaint cases (``ComplaintsProjection``): receipt and latest closure or reopening, each filled by its own
    /// event; `measure` gains the cases open (+1 received, -1 closed), the cases handled and their handling time in
    /// working days (on the day of their latest closure, while not reopened after it).
    static let complaintCases = PostgresMigration(version: 103, name: "complaint cases", sql: """
        CREATE TABLE complaint_case (
            complaint_id text PRIMARY KEY,
            region_code text NOT NULL,
            kind text,
            received_on date,
            closed_at timestamptz,
            reopened_at timestamptz,
            closed_on date,
            handling_working_days int
        );

        CREATE OR REPLACE VIEW measure AS
            SELECT metric, dimension, region_code, day, value FROM fact
            UNION ALL
            SELECT 'participants.active', kind, region_code, enrolled_on, 1 FROM participant
            WHERE enrolled_on IS NOT NULL
            UNION ALL
            SELECT 'participants.active', kind, region_code, withdrawn_on, -1 FROM participant
            WHERE enrolled_on IS NOT NULL AND withdrawn_on IS NOT NULL
            UNION ALL
            SELECT 'complaints.open', kind, region_code, received_on, 1 FROM complaint_case
            WHERE received_on IS NOT NULL
            UNION ALL
            SELECT 'complaints.open', kind, region_code, closed_on, -1 FROM complaint_case
            WHERE received_on IS NOT NULL AND closed_on IS NOT NULL
              AND closed_at > coalesce(reopened_at, '-infinity'::timestamptz)
            UNION ALL
            SELECT 'complaints.handled', kind, region_code, closed_on, 1 FROM complaint_case
            WHERE handling_working_days IS NOT NULL AND closed_at > coalesce(reopened_at, '-infinity'::timestamptz)
            UNION ALL
            SELECT 'complaints.handling-working-days', kind, region_code, closed_on, handling_working_days FROM complaint_case
            WHERE handling_working_days IS NOT NULL AND closed_at > coalesce(reopened_at, '-infinity'::timestamptz);
        """)

    /// A region's figures (a report, an overview) read every metric of the region up to a day: without an index
    /// led by the division, each read scanned every fact (about 120 ms a region at 200 000 events; 3 ms with it).
    static let factsByRegion = PostgresMigration(version: 104, name: "facts by region", sql: """
        CREATE INDEX fact_region_day ON fact (region_code text_pattern_ops, day) INCLUDE (metric, dimension, value);
        """)
}
