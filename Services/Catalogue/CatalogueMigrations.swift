import Postgres

/// The catalogue schema, version by version (from 100; 1–99 are the platform's outbox and inbox).
///
/// Released migrations are never edited: add a new version instead.
enum CatalogueMigrations {
    static let all: [PostgresMigration] = [
        core, categoryTree, filterIndexes, fasterImport, changeFeedOrder, searchTextFromTheService,
        certificateOwnership, contactNameProtected, chunkedImport, nameBigrams,
    ]

    /// Enterprises, certificates with their status history, investigation flags, national list batches,
    /// approved pilot regions, technical requirements and local list entries.
    ///
    /// Chinese search: `pg_trgm` cannot use an index for patterns shorter than three characters and many
    /// product terms are two (保温, 门窗, 涂料), so every certificate keeps the character bigrams of its
    /// searchable text in a `text[]` with a GIN index; a query's bigrams must all be present (`@>`), then a
    /// substring check removes false positives.
    static let core = PostgresMigration(version: 100, name: "catalogue core", sql: """
        CREATE FUNCTION text_bigrams(t text) RETURNS text[]
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
            SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}'::text[])
            FROM generate_series(1, char_length(t) - 1) AS i
            $$;

        CREATE TABLE categories (
            code text PRIMARY KEY,
            parent_code text REFERENCES categories (code),
            product_category text NOT NULL,
            name_zh text NOT NULL,
            name_en text NOT NULL
        );

        CREATE TABLE enterprises (
            credit_code text PRIMARY KEY,
            name text NOT NULL,
            kind text NOT NULL,
            region_code text NOT NULL,
            address text NOT NULL,
            contact_name text,
            contact_phone_hash text,
            contact_phone_encrypted text,
            contact_phone_masked text,
            is_chain_leader boolean NOT NULL DEFAULT false,
            industrial_cluster text,
            registered_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL
        );
        CREATE INDEX enterprises_region ON enterprises (region_code);

        CREATE SEQUENCE certificate_change_seq;

        CREATE TABLE national_list_batches (
            batch_id text PRIMARY KEY,
            content_fingerprint text NOT NULL,
            mode text NOT NULL,
            total_rows integer NOT NULL,
            imported_rows integer NOT NULL,
            rejected_rows integer NOT NULL,
            report jsonb NOT NULL,
            imported_at timestamptz NOT NULL
        );

        CREATE TABLE certificates (
            number text PRIMARY KEY,
            holder_credit_code text NOT NULL REFERENCES enterprises (credit_code),
            manufacturer_credit_code text NOT NULL REFERENCES enterprises (credit_code),
            factory_name text,
            certification_body text NOT NULL,
            product_name text NOT NULL,
            model text NOT NULL,
            product_category text NOT NULL,
            sub_category text NOT NULL REFERENCES categories (code),
            star_grade text NOT NULL,
            certification_basis text NOT NULL,
            issued_on date NOT NULL,
            expires_on date NOT NULL CHECK (expires_on > issued_on),
            status text NOT NULL,
            status_changed_at timestamptz NOT NULL,
            national_batch_id text REFERENCES national_list_batches (batch_id),
            -- lower-cased: certificate number, product name, model, holder and manufacturer names
            search_text text NOT NULL,
            search_bigrams text[] GENERATED ALWAYS AS (text_bigrams(search_text)) STORED,
            change_seq bigint NOT NULL DEFAULT nextval('certificate_change_seq'),
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL
        );
        CREATE INDEX certificates_search ON certificates USING gin (search_bigrams);
        CREATE UNIQUE INDEX certificates_change_seq ON certificates (change_seq);
        CREATE INDEX certificates_holder ON certificates (holder_credit_code);
        CREATE INDEX certificates_manufacturer ON certificates (manufacturer_credit_code);
        CREATE INDEX certificates_status ON certificates (status, expires_on);
        CREATE INDEX certificates_category ON certificates (product_category, sub_category);
        CREATE INDEX certificates_grade ON certificates (star_grade);
        CREATE INDEX certificates_issued ON certificates (issued_on, number);
        CREATE INDEX certificates_expires ON certificates (expires_on, number);
        CREATE INDEX certificates_name ON certificates (product_name, number);

        CREATE TABLE certificate_status_history (
            id bigserial PRIMARY KEY,
            certificate_number text NOT NULL REFERENCES certificates (number),
            action text NOT NULL,
            from_status text,
            to_status text NOT NULL,
            reason text NOT NULL,
            actor_role text NOT NULL,
            actor_subject text,
            changed_at timestamptz NOT NULL
        );
        CREATE INDEX certificate_status_history_number ON certificate_status_history (certificate_number, changed_at);

        CREATE TABLE investigation_flags (
            violation_report_id uuid PRIMARY KEY,
            certificate_number text NOT NULL REFERENCES certificates (number),
            violation_kind text NOT NULL,
            region_code text NOT NULL,
            reported_at timestamptz NOT NULL,
            flagged_at timestamptz NOT NULL,
            cleared_at timestamptz,
            clearance_reason text
        );
        CREATE INDEX investigation_flags_open ON investigation_flags (certificate_number) WHERE cleared_at IS NULL;

        CREATE TABLE approved_regions (
            region_code text PRIMARY KEY,
            region_name text NOT NULL,
            batch_year integer NOT NULL,
            approved_on date NOT NULL,
            approved_at timestamptz NOT NULL
        );

        CREATE TABLE technical_requirements (
            id uuid PRIMARY KEY,
            region_code text NOT NULL REFERENCES approved_regions (region_code),
            product_category text NOT NULL,
            product_scope text NOT NULL,
            standard_code text NOT NULL,
            indicator text NOT NULL,
            threshold text NOT NULL,
            effective_on date NOT NULL,
            published_at timestamptz NOT NULL
        );
        CREATE INDEX technical_requirements_region ON technical_requirements (region_code);

        CREATE TABLE local_list_entries (
            id uuid PRIMARY KEY,
            region_code text NOT NULL REFERENCES approved_regions (region_code),
            basis text NOT NULL,
            certificate_number text REFERENCES certificates (number),
            requirement_id uuid REFERENCES technical_requirements (id),
            test_report_number text,
            testing_body text,
            manufacturer_credit_code text NOT NULL,
            product_name text NOT NULL,
            model text NOT NULL,
            product_category text NOT NULL,
            added_at timestamptz NOT NULL,
            removed_at timestamptz,
            removal_reason text,
            CHECK ((basis = 'certified') = (certificate_number IS NOT NULL)),
            CHECK (basis = 'certified' OR (requirement_id IS NOT NULL AND test_report_number IS NOT NULL
                                           AND testing_body IS NOT NULL))
        );
        CREATE UNIQUE INDEX local_list_entries_certified ON local_list_entries (region_code, certificate_number)
            WHERE removed_at IS NULL AND certificate_number IS NOT NULL;
        CREATE INDEX local_list_entries_region ON local_list_entries (region_code) WHERE removed_at IS NULL;
        """)

    /// The green building material certification classes and their sub-categories (reference data).
    static let categoryTree = PostgresMigration(version: 101, name: "category tree", sql: CategoryTree.insertSQL)

    /// Filters combined with the default order (certificate number) read an index instead of sorting the matches.
    static let filterIndexes = PostgresMigration(version: 102, name: "filter indexes", sql: """
        CREATE INDEX certificates_category_grade_number ON certificates (product_category, star_grade, number);
        CREATE INDEX certificates_grade_number ON certificates (star_grade, number);
        CREATE INDEX certificates_status_number ON certificates (status, number);
        """)

    /// Bulk imports spent a third of their database time on bigrams: `substr(lower(t), i, 2)` lowered the whole
    /// text and walked it from the start for every position. The same bigrams (same order, no duplicates) from
    /// one pass over the characters, about twice as fast. `certificates_grade` is a prefix of
    /// `certificates_grade_number`: one index fewer to maintain per row.
    static let fasterImport = PostgresMigration(version: 103, name: "faster bigrams, one index fewer", sql: """
        CREATE OR REPLACE FUNCTION text_bigrams(t text) RETURNS text[]
            LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
            DECLARE
                c text[] := string_to_array(lower(t), NULL);
                r text[] := '{}';
            BEGIN
                FOR i IN 1 .. coalesce(cardinality(c), 0) - 1 LOOP
                    r := r || (c[i] || c[i + 1]);
                END LOOP;
                RETURN ARRAY(SELECT DISTINCT b FROM unnest(r) AS b ORDER BY b);
            END
            $$;
        DROP INDEX certificates_grade;
        """)

    /// The change feed (`GET /changes?since=`) hands out `change_seq` order, and a reader's cursor moves past
    /// everything it saw. Two transactions could take sequence numbers in one order and commit in the other:
    /// a reader then saw the later number first and skipped the earlier one for good. Every statement that
    /// writes certificates now first takes this schema's change-feed lock, held to commit, so numbers are taken
    /// in commit order and a reader never sees a gap that fills in later. Catalogue writes are few (issues,
    /// status changes, list entries); they queue behind one another only for the rest of their transaction.
    static let changeFeedOrder = PostgresMigration(version: 104, name: "change feed in commit order", sql: """
        CREATE FUNCTION certificates_change_feed_lock() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext(TG_TABLE_SCHEMA || '.certificates.change_feed'));
                RETURN NULL;
            END
            $$;
        CREATE TRIGGER certificates_change_feed_lock BEFORE INSERT OR UPDATE ON certificates
            FOR EACH STATEMENT EXECUTE FUNCTION certificates_change_feed_lock();
        """)

    /// The service now writes each certificate's bigrams with its search text (`SearchText`): computing them in
    /// a generated column ran a PL/pgSQL function per row on the database's one busy core during imports. The
    /// rows already stored keep the bigrams the column computed, which are the same. `text_bigrams` stays as
    /// the reference a test holds the service's bigrams to.
    static let searchTextFromTheService = PostgresMigration(version: 105, name: "bigrams written by the service", sql: """
        ALTER TABLE certificates ALTER COLUMN search_bigrams DROP EXPRESSION;
        """)

    /// Which certification body issued a certificate, by its unified social credit code (from the issuing body's
    /// token, or the national list's `certificationBodyCode` column): a body changes only its own certificates.
    /// Certificates issued before have none and are changed only by ministry officials.
    static let certificateOwnership = PostgresMigration(version: 106, name: "certificate ownership", sql: """
        ALTER TABLE certificates ADD COLUMN certification_body_code text;
        CREATE INDEX certificates_certification_body_code ON certificates (certification_body_code);
        """)

    /// An enterprise's contact person's name is personal data: stored encrypted with a masked form for display,
    /// as the phone already is. The names stored in clear before are encrypted at start-up
    /// (`EnterpriseDirectory.protectStoredContactNames`, idempotent), which clears `contact_name`; nothing reads or
    /// writes that column any more.
    static let contactNameProtected = PostgresMigration(version: 107, name: "contact name encrypted", sql: """
        ALTER TABLE enterprises ADD COLUMN contact_name_encrypted text, ADD COLUMN contact_name_masked text;
        """)

    /// A national list import commits in chunks (`NationalListImport`): the batch row says how far it got and who
    /// is importing it (a lease renewed with every chunk, so an import whose process died can be taken over by
    /// sending the batch again), and the batch's certificate numbers are reserved before its first chunk, so that
    /// no certificate issued meanwhile can make a validated batch fail half-way.
    static let chunkedImport = PostgresMigration(version: 108, name: "national list import in chunks", sql: """
        ALTER TABLE national_list_batches
            ADD COLUMN status text NOT NULL DEFAULT 'imported' CHECK (status IN ('importing', 'imported')),
            ADD COLUMN importer uuid,
            ADD COLUMN lease_until timestamptz,
            ADD COLUMN completed_at timestamptz;
        UPDATE national_list_batches SET completed_at = imported_at;
        CREATE TABLE national_list_reservations (
            certificate_number text PRIMARY KEY,
            batch_id text NOT NULL REFERENCES national_list_batches (batch_id)
        );
        CREATE INDEX national_list_reservations_batch ON national_list_reservations (batch_id);
        """)

    /// A ranked search reads its relevance tiers in turn (`ProductSearch.runTiered`): products whose number, product
    /// name or model holds the text are found by those fields' bigrams alone, written by the service
    /// (`SearchText.nameText`) as it writes the whole search text's. The rows stored before get them here from
    /// `text_bigrams`, which gives the same bigrams.
    static let nameBigrams = PostgresMigration(version: 109, name: "bigrams of number, product name and model", sql: """
        ALTER TABLE certificates ADD COLUMN name_bigrams text[];
        UPDATE certificates SET name_bigrams = text_bigrams(number || ' ' || product_name || ' ' || model);
        ALTER TABLE certificates ALTER COLUMN name_bigrams SET NOT NULL;
        CREATE INDEX certificates_name_search ON certificates USING gin (name_bigrams);
        """)
}
