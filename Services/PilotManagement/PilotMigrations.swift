import Postgres

/// The `pilot` schema, version by version (numbered from 100; the platform's outbox and inbox come first).
///
/// Released migrations are never edited: a change is a new version.
enum PilotMigrations {
    static let all: [PostgresMigration] = [tables, firstBatch, calendarPeriods, approvalAnnouncements, complaintChannels]

    /// Regions, batches, applications with their work plan document and safety plan, department reviews,
    /// activities, participants, the enterprise read model and the deadline notices already sent.
    static let tables = PostgresMigration(version: 100, name: "pilot tables", sql: """
        CREATE TABLE batch (
            year integer PRIMARY KEY,
            name text NOT NULL,
            region_cap integer NOT NULL CHECK (region_cap > 0)
        );

        CREATE TABLE region (
            code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
            name text NOT NULL,
            level text NOT NULL CHECK (level IN ('province', 'city', 'county')),
            batch_year integer REFERENCES batch (year),
            status text NOT NULL CHECK (status IN ('applicant', 'approved', 'rejected')),
            approved_on date,
            summary_report_submitted_on date,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX region_status ON region (status, batch_year);

        CREATE TABLE application (
            id uuid PRIMARY KEY,
            region_code text NOT NULL REFERENCES region (code),
            batch_year integer NOT NULL REFERENCES batch (year),
            status text NOT NULL CHECK (status IN ('draft', 'submitted', 'under-review', 'approved', 'rejected', 'returned')),
            round integer NOT NULL DEFAULT 1,
            work_plan_title text NOT NULL,
            work_plan_summary text NOT NULL,
            planned_activities integer NOT NULL CHECK (planned_activities >= 0),
            targeted_sales_fen bigint NOT NULL CHECK (targeted_sales_fen >= 0),
            subsidy_funds_fen bigint NOT NULL CHECK (subsidy_funds_fen >= 0),
            document bytea,
            document_name text,
            document_media_type text,
            document_sha256 text,
            document_size integer,
            safety_measures text,
            decision_reason text,
            submitted_at timestamptz,
            decided_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX application_region ON application (region_code);
        CREATE INDEX application_batch_status ON application (batch_year, status);
        CREATE UNIQUE INDEX application_one_open_per_region ON application (region_code)
            WHERE status IN ('draft', 'submitted', 'under-review', 'returned');

        -- Responsible persons of a safety plan: personal data, kept only as a keyed hash and ciphertext.
        CREATE TABLE safety_plan_person (
            application_id uuid NOT NULL REFERENCES application (id) ON DELETE CASCADE,
            position integer NOT NULL,
            role text NOT NULL,
            name_encrypted text NOT NULL,
            phone_hash text NOT NULL,
            phone_encrypted text NOT NULL,
            phone_masked text NOT NULL,
            PRIMARY KEY (application_id, position)
        );

        CREATE TABLE review (
            application_id uuid NOT NULL REFERENCES application (id),
            round integer NOT NULL,
            department text NOT NULL CHECK (department IN ('miit', 'mohurd', 'moa', 'mofcom', 'samr', 'nrra')),
            opinion text NOT NULL CHECK (opinion IN ('concur', 'object', 'request-revision')),
            comment text,
            reviewer text NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (application_id, round, department)
        );

        CREATE TABLE activity (
            id uuid PRIMARY KEY,
            region_code text NOT NULL REFERENCES region (code),
            campaign_year integer NOT NULL,
            kind text NOT NULL CHECK (kind IN ('launch-meeting', 'public-lecture', 'special-sales-session', 'roadshow', 'online-campaign')),
            mode text NOT NULL CHECK (mode IN ('offline', 'online')),
            level text NOT NULL CHECK (level IN ('province', 'city', 'county', 'town', 'village')),
            place_code text NOT NULL,
            title text NOT NULL,
            starts_on date NOT NULL,
            ends_on date NOT NULL CHECK (ends_on >= starts_on),
            safety_plan_reference text,
            status text NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled')),
            attendance integer,
            enterprises_present integer,
            products_shown integer,
            sales_fen bigint,
            online_page_views integer,
            cancellation_reason text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX activity_calendar ON activity (region_code, starts_on);
        CREATE INDEX activity_dates ON activity (starts_on, status);
        CREATE UNIQUE INDEX activity_one_launch_meeting ON activity (region_code, campaign_year)
            WHERE kind = 'launch-meeting';

        -- What the service knows of the catalogue's enterprises, from gbm.catalogue.enterprises.v1.
        CREATE TABLE known_enterprise (
            credit_code text PRIMARY KEY,
            name text NOT NULL,
            kind text NOT NULL,
            region_code text NOT NULL,
            is_chain_leader boolean NOT NULL,
            industrial_cluster text,
            updated_at timestamptz NOT NULL
        );

        CREATE TABLE participant (
            id uuid PRIMARY KEY,
            region_code text NOT NULL REFERENCES region (code),
            credit_code text NOT NULL REFERENCES known_enterprise (credit_code),
            kind text NOT NULL CHECK (kind IN ('manufacturer', 'e-commerce-platform', 'store')),
            sales_zone text,
            pledged_discount_basis_points integer NOT NULL CHECK (pledged_discount_basis_points BETWEEN 0 AND 10000),
            is_chain_leader boolean NOT NULL,
            industrial_cluster text,
            status text NOT NULL CHECK (status IN ('enrolled', 'withdrawn')),
            withdrawal_reason text,
            enrolled_at timestamptz NOT NULL,
            withdrawn_at timestamptz
        );
        CREATE UNIQUE INDEX participant_one_enrolment ON participant (region_code, credit_code)
            WHERE status = 'enrolled';

        -- Each deadline notice goes out once per region, campaign year and kind.
        CREATE TABLE deadline_notice (
            region_code text NOT NULL REFERENCES region (code),
            campaign_year integer NOT NULL,
            kind text NOT NULL CHECK (kind IN ('reminder-14', 'reminder-3', 'overdue')),
            sent_at timestamptz NOT NULL,
            PRIMARY KEY (region_code, campaign_year, kind)
        );
        """)

    /// The 2022 first batch (seven regions, approved) and the 2023 second batch (about five regions).
    static let firstBatch = PostgresMigration(version: 101, name: "first batch of pilot regions", sql: """
        INSERT INTO batch (year, name, region_cap) VALUES
            (2022, '2022 first batch', 7),
            (2023, '2023 second batch', 5)
        ON CONFLICT (year) DO NOTHING;
        INSERT INTO region (code, name, level, batch_year, status, approved_on) VALUES
            ('330000', '浙江省', 'province', 2022, 'approved', DATE '2022-12-01'),
            ('370000', '山东省', 'province', 2022, 'approved', DATE '2022-12-01'),
            ('510000', '四川省', 'province', 2022, 'approved', DATE '2022-12-01'),
            ('120000', '天津市', 'province', 2022, 'approved', DATE '2022-12-01'),
            ('350000', '福建省', 'province', 2022, 'approved', DATE '2022-12-01'),
            ('440000', '广东省', 'province', 2022, 'approved', DATE '2022-12-01'),
            ('430000', '湖南省', 'province', 2022, 'approved', DATE '2022-12-01')
        ON CONFLICT (code) DO NOTHING;
        """)

    /// The calendar asks which activities overlap a window. `(region_code, starts_on)` bounds only the start, so a
    /// window late in the year walked nearly all of a region's activities; the periods' GiST index finds the
    /// overlapping ones directly.
    static let calendarPeriods = PostgresMigration(version: 102, name: "activity periods for the calendar", sql: """
        CREATE INDEX activity_period ON activity USING gist (daterange(starts_on, ends_on, '[]'));
        """)

    /// Whether a region's approval has been published. Approvals made through an application were published when
    /// they were made; the 2022 batch that `firstBatch` inserted never was, so it is left for ``RegionRegistry``
    /// to announce at start-up.
    static let approvalAnnouncements = PostgresMigration(version: 103, name: "region approval announcements", sql: """
        ALTER TABLE region ADD COLUMN approval_announced_at timestamptz;
        UPDATE region SET approval_announced_at = now()
        WHERE status = 'approved'
          AND EXISTS (SELECT 1 FROM application a WHERE a.region_code = region.code AND a.status = 'approved');
        """)

    /// When the complaints service last announced the region's complaint channels: a region's campaign is not ready
    /// until consumers know where to complain.
    static let complaintChannels = PostgresMigration(version: 104, name: "complaint channels published", sql: """
        ALTER TABLE region ADD COLUMN complaint_channels_published_at timestamptz;
        """)
}
