import Postgres

/// The `complaints` schema's own migrations, numbered from 100 (the platform's outbox and inbox come first). A migration
/// that has shipped is never edited: a change is a new migration.
enum ComplaintsMigrations {
    static let all: [PostgresMigration] = [readModels, channelsAndCases, disputeResolutionRoll]

    /// What the service knows of other services, built only from their topics: approved pilot regions, enterprises
    /// and enrolled sellers (respondents), certificates, subsidy claims. Used to flag unknown references, never to
    /// refuse a complaint.
    static let readModels = PostgresMigration(version: 100, name: "read models", sql: """
        CREATE TABLE pilot_region (
            region_code text PRIMARY KEY,
            region_name text NOT NULL
        );
        CREATE TABLE known_enterprise (
            credit_code text PRIMARY KEY,
            name text NOT NULL,
            source text NOT NULL CHECK (source IN ('catalogue', 'pilot-participant'))
        );
        CREATE TABLE known_certificate (
            number text PRIMARY KEY,
            holder_credit_code text NOT NULL,
            certification_body text NOT NULL
        );
        CREATE TABLE known_claim (
            claim_id uuid PRIMARY KEY,
            region_code text NOT NULL,
            seller_credit_code text NOT NULL
        );
        """)

    /// Each region's complaint channels; cases (consultations, complaints, reports) with their workflow state, the
    /// one deadline running now, breaches, history and attachments.
    static let channelsAndCases = PostgresMigration(version: 101, name: "channels, cases, attachments, history", sql: """
        CREATE TABLE complaint_channels (
            region_code text PRIMARY KEY,
            hotline text NOT NULL,
            handover_12315 boolean NOT NULL,
            online_address text,
            office_address text,
            office_hours text,
            published_by text NOT NULL,
            published_at timestamptz NOT NULL
        );

        CREATE SEQUENCE case_number_seq;

        CREATE TABLE complaint_case (
            id uuid PRIMARY KEY,
            case_number text NOT NULL UNIQUE,
            secret_hash text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('consultation', 'complaint', 'report')),
            channel text NOT NULL,
            category text NOT NULL,
            status text NOT NULL CHECK (status IN ('received', 'accepted', 'not-accepted', 'settlement', 'mediation',
                'mediated', 'mediation-terminated', 'case-opened', 'case-declined', 'closed')),
            region_code text NOT NULL,
            handling_division text NOT NULL,
            consumer_ref text NOT NULL,
            name_masked text NOT NULL,
            phone_masked text NOT NULL,
            id_number_masked text,
            contact_encrypted text NOT NULL,
            respondent_credit_code text,
            respondent_name text,
            respondent_known boolean NOT NULL,
            respondent_key text NOT NULL,
            certificate_number text,
            certificate_known boolean NOT NULL,
            claim_id uuid,
            claim_known boolean NOT NULL,
            purchased_on date,
            amount_in_dispute bigint CHECK (amount_in_dispute >= 0),
            facts text NOT NULL,
            facts_hash text NOT NULL,
            demands text,
            duplicate_of uuid REFERENCES complaint_case (id),
            received_on date NOT NULL,
            received_at timestamptz NOT NULL,
            submitted_by text,
            -- the deadline running now (none once decided or closed); breached_at / reminded_at belong to it
            due_deadline text,
            due_on date,
            breached_at timestamptz,
            reminded_at timestamptz,
            accepted_on date,
            mediation_due_on date,
            not_accepted_reason text,
            mediator text,
            agreement text,
            compensation bigint CHECK (compensation >= 0),
            outcome text,
            decision_note text,
            closed_on date,
            reopenable_until date,
            rating int CHECK (rating BETWEEN 1 AND 5),
            rating_comment text,
            reopen_count int NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL
        );
        CREATE INDEX complaint_case_division ON complaint_case (handling_division, received_at DESC);
        CREATE INDEX complaint_case_region ON complaint_case (region_code, received_at DESC);
        CREATE INDEX complaint_case_respondent ON complaint_case (respondent_key);
        CREATE INDEX complaint_case_duplicates ON complaint_case (consumer_ref, respondent_key, facts_hash, received_at);
        CREATE INDEX complaint_case_due ON complaint_case (due_on) WHERE due_on IS NOT NULL AND breached_at IS NULL;

        CREATE TABLE case_breach (
            case_id uuid NOT NULL REFERENCES complaint_case (id),
            deadline text NOT NULL,
            due_on date NOT NULL,
            detected_at timestamptz NOT NULL,
            PRIMARY KEY (case_id, deadline, due_on)
        );

        CREATE TABLE case_history (
            id bigserial PRIMARY KEY,
            case_id uuid NOT NULL REFERENCES complaint_case (id),
            action text NOT NULL,
            from_status text,
            to_status text NOT NULL,
            actor_role text NOT NULL,
            note text,
            at timestamptz NOT NULL
        );
        CREATE INDEX case_history_case ON case_history (case_id, id);

        CREATE TABLE case_attachment (
            id uuid PRIMARY KEY,
            case_id uuid NOT NULL REFERENCES complaint_case (id),
            file_name text NOT NULL,
            media_type text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
            size_bytes int NOT NULL CHECK (size_bytes > 0),
            sha256 text NOT NULL,
            content bytea NOT NULL CHECK (octet_length(content) = size_bytes)
        );
        CREATE INDEX case_attachment_case ON case_attachment (case_id);
        """)

    /// The enterprises enrolled in online dispute resolution: only complaints against them go to firm-first settlement.
    static let disputeResolutionRoll = PostgresMigration(version: 102, name: "online dispute resolution roll", sql: """
        CREATE TABLE odr_enrolment (
            credit_code text PRIMARY KEY,
            enrolled_on date NOT NULL,
            enrolled_by text NOT NULL,
            enrolled_at timestamptz NOT NULL
        );
        """)
}
