import Postgres

/// The `subsidy` schema's own migrations, numbered from 100 (the platform's outbox and inbox come first). A migration
/// that has shipped is never edited: a change is a new migration.
enum SubsidyMigrations {
    static let all: [PostgresMigration] = [readModels, programmesAndClaims, loanInterestSubsidies, loanPeriodPayments, householdIndex]

    /// What the service knows of other services, built only from their topics (eligibility never calls anyone):
    /// approved pilot regions, enrolled sellers, certificates with the days they were not valid, local lists.
    static let readModels = PostgresMigration(version: 100, name: "read models", sql: """
        CREATE TABLE pilot_region (
            region_code text PRIMARY KEY,
            region_name text NOT NULL,
            approved_on date NOT NULL
        );

        -- One row per enrolment; a seller is enrolled on day D when enrolled_on <= D and (withdrawn_on IS NULL or
        -- withdrawn_on > D). Days are Asia/Shanghai days.
        CREATE TABLE seller_enrolment (
            participant_id uuid PRIMARY KEY,
            region_code text NOT NULL,
            credit_code text NOT NULL,
            enrolled_on date NOT NULL,
            withdrawn_on date
        );
        CREATE INDEX seller_enrolment_seller ON seller_enrolment (credit_code, region_code);

        CREATE TABLE certificate (
            number text PRIMARY KEY,
            holder_credit_code text NOT NULL,
            category text NOT NULL,
            star_grade text NOT NULL,
            model text NOT NULL,
            issued_on date NOT NULL,
            expires_on date NOT NULL,
            status text NOT NULL
        );

        -- The days a certificate was not valid: suspended (until restored) or revoked / cancelled (for good).
        -- A purchase on day D is covered unless a row has from_day <= D < coalesce(until_day, infinity).
        CREATE TABLE certificate_withdrawal (
            id bigserial PRIMARY KEY,
            number text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('suspended', 'revoked', 'cancelled')),
            from_day date NOT NULL,
            until_day date
        );
        CREATE INDEX certificate_withdrawal_number ON certificate_withdrawal (number);

        -- A region's local list; an entry is listed on day D when added_on <= D and (removed_on IS NULL or
        -- removed_on > D).
        CREATE TABLE local_list_entry (
            entry_id uuid PRIMARY KEY,
            region_code text NOT NULL,
            certificate_number text,
            category text NOT NULL,
            added_on date NOT NULL,
            removed_on date
        );
        CREATE INDEX local_list_entry_certificate ON local_list_entry (region_code, certificate_number);
        """)

    /// Programmes with their budget slices and ledger, claims with their lines, reviews and the invoices they used,
    /// idempotency keys, and payment batches.
    static let programmesAndClaims = PostgresMigration(version: 101, name: "programmes, claims, ledger, payments", sql: """
        CREATE TABLE programme (
            id uuid PRIMARY KEY,
            region_code text NOT NULL,
            name text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('purchase', 'loan-interest')),
            status text NOT NULL CHECK (status IN ('draft', 'approved', 'open', 'exhausted', 'closed')),
            starts_on date NOT NULL,
            ends_on date NOT NULL CHECK (ends_on >= starts_on),
            budget bigint NOT NULL CHECK (budget > 0),
            rounding text NOT NULL CHECK (rounding IN ('half-up', 'down')),
            review_threshold bigint NOT NULL CHECK (review_threshold >= 0),
            funding_shares jsonb NOT NULL,
            terms jsonb NOT NULL,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            approved_by text,
            approved_at timestamptz,
            opened_at timestamptz,
            closed_at timestamptz,
            close_reason text
        );
        CREATE INDEX programme_region ON programme (region_code, status);

        -- The budget, split into slices that claims draw from, so concurrent claims do not all queue on one row:
        -- the sum of the capacities is the budget and used never exceeds capacity, so the programme never
        -- commits more than its budget. A claim that finds no slice with room rebalances them under a lock of all.
        CREATE TABLE budget_slice (
            programme_id uuid NOT NULL REFERENCES programme (id),
            slice integer NOT NULL,
            capacity bigint NOT NULL CHECK (capacity >= 0),
            used bigint NOT NULL CHECK (used >= 0 AND used <= capacity),
            accepting boolean NOT NULL DEFAULT false,
            PRIMARY KEY (programme_id, slice)
        );

        -- Every movement of money: reserved (a claim approved or held), released (a reserved claim rejected),
        -- paid (reserved → paid), clawed-back (paid → returned to the budget), topped-up (budget raised).
        CREATE TABLE ledger_entry (
            id bigserial PRIMARY KEY,
            programme_id uuid NOT NULL REFERENCES programme (id),
            claim_id uuid,
            kind text NOT NULL CHECK (kind IN ('reserved', 'released', 'paid', 'clawed-back', 'topped-up')),
            amount bigint NOT NULL CHECK (amount >= 0),
            recorded_at timestamptz NOT NULL
        );
        CREATE INDEX ledger_entry_programme ON ledger_entry (programme_id, kind);

        CREATE TABLE claim (
            id uuid PRIMARY KEY,
            programme_id uuid NOT NULL REFERENCES programme (id),
            region_code text NOT NULL,
            status text NOT NULL CHECK (status IN ('approved', 'rejected', 'held', 'paid', 'clawed-back')),
            consumer_ref text NOT NULL,
            household_ref text NOT NULL,
            id_number_masked text NOT NULL,
            phone_masked text,
            bank_account_encrypted text NOT NULL,
            bank_account_ref text NOT NULL,
            bank_account_masked text NOT NULL,
            seller_credit_code text NOT NULL,
            invoice_code text,
            invoice_number text NOT NULL,
            purchased_on date NOT NULL,
            purchase_amount bigint NOT NULL CHECK (purchase_amount >= 0),
            requested_amount bigint NOT NULL CHECK (requested_amount >= 0),
            reserved_amount bigint NOT NULL DEFAULT 0 CHECK (reserved_amount >= 0),
            budget_slice integer,
            rejection_reasons text[] NOT NULL DEFAULT '{}',
            hold_rules text[] NOT NULL DEFAULT '{}',
            reviews_required integer NOT NULL DEFAULT 1,
            submitted_by text NOT NULL,
            submitter_role text NOT NULL CHECK (submitter_role IN ('enterprise', 'consumer')),
            submitted_at timestamptz NOT NULL,
            decided_at timestamptz,
            approved_on date,
            payment_due_on date,
            overdue_notified_at timestamptz,
            payment_batch_id uuid,
            paid_at timestamptz,
            clawed_back_at timestamptz,
            clawback_reason text
        );
        CREATE INDEX claim_programme_status ON claim (programme_id, status);
        CREATE INDEX claim_region_status ON claim (region_code, status, submitted_at);
        CREATE INDEX claim_seller ON claim (seller_credit_code, submitted_at);
        CREATE INDEX claim_consumer ON claim (programme_id, consumer_ref);
        CREATE INDEX claim_bank_account ON claim (programme_id, bank_account_ref);
        CREATE INDEX claim_submitter ON claim (submitted_by, submitted_at);
        CREATE INDEX claim_due ON claim (payment_due_on) WHERE status = 'approved' AND overdue_notified_at IS NULL;

        CREATE TABLE claim_line (
            claim_id uuid NOT NULL REFERENCES claim (id),
            line_no integer NOT NULL,
            certificate_number text,
            local_list_entry_id uuid,
            category text,
            seller_credit_code text NOT NULL,
            quantity integer NOT NULL CHECK (quantity > 0),
            unit_price bigint NOT NULL CHECK (unit_price >= 0),
            subsidy_amount bigint NOT NULL CHECK (subsidy_amount >= 0),
            PRIMARY KEY (claim_id, line_no)
        );
        CREATE INDEX claim_line_certificate ON claim_line (certificate_number);
        CREATE INDEX claim_line_seller_product ON claim_line (seller_credit_code, certificate_number);

        -- An invoice backs one claim, ever: the first claim to insert its row owns it.
        CREATE TABLE invoice_use (
            invoice_code text NOT NULL DEFAULT '',
            invoice_number text NOT NULL,
            claim_id uuid NOT NULL,
            PRIMARY KEY (invoice_code, invoice_number)
        );

        CREATE TABLE claim_review (
            claim_id uuid NOT NULL REFERENCES claim (id),
            reviewer text NOT NULL,
            decision text NOT NULL CHECK (decision IN ('approve', 'reject')),
            comment text,
            reviewed_at timestamptz NOT NULL,
            PRIMARY KEY (claim_id, reviewer)
        );

        -- A submission's Idempotency-Key, per caller: a retry with the same key and body gets the same claim.
        CREATE TABLE idempotency_key (
            caller text NOT NULL,
            key text NOT NULL,
            request_sha256 text NOT NULL,
            claim_id uuid NOT NULL,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (caller, key)
        );

        -- A seller's claims per day, for the volume-spike rule.
        CREATE TABLE seller_day (
            seller_credit_code text NOT NULL,
            day date NOT NULL,
            claims integer NOT NULL,
            PRIMARY KEY (seller_credit_code, day)
        );

        CREATE TABLE payment_batch (
            id uuid PRIMARY KEY,
            programme_id uuid NOT NULL REFERENCES programme (id),
            region_code text NOT NULL,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            claim_count integer NOT NULL,
            total bigint NOT NULL,
            file_sha256 text NOT NULL
        );

        CREATE TABLE payment (
            id uuid PRIMARY KEY,
            batch_id uuid NOT NULL REFERENCES payment_batch (id),
            claim_id uuid NOT NULL REFERENCES claim (id),
            amount bigint NOT NULL CHECK (amount > 0),
            status text NOT NULL CHECK (status IN ('pending', 'paid', 'failed')),
            bank_reference text,
            failure_reason text,
            confirmed_at timestamptz
        );
        CREATE UNIQUE INDEX payment_open_claim ON payment (claim_id) WHERE status IN ('pending', 'paid');
        CREATE INDEX payment_batch_items ON payment (batch_id);
        """)

    /// Loan interest subsidies (贷款贴息) with their repayment schedule.
    static let loanInterestSubsidies = PostgresMigration(version: 102, name: "loan interest subsidies", sql: """
        CREATE TABLE loan_subsidy (
            id uuid PRIMARY KEY,
            programme_id uuid NOT NULL REFERENCES programme (id),
            region_code text NOT NULL,
            status text NOT NULL CHECK (status IN ('granted', 'rejected')),
            consumer_ref text NOT NULL,
            household_ref text NOT NULL,
            id_number_masked text NOT NULL,
            bank_account_encrypted text NOT NULL,
            bank_account_masked text NOT NULL,
            lender text NOT NULL,
            loan_contract_number text NOT NULL,
            loan_principal bigint NOT NULL CHECK (loan_principal > 0),
            eligible_share_basis_points integer NOT NULL CHECK (eligible_share_basis_points BETWEEN 1 AND 10000),
            subsidised_principal bigint NOT NULL CHECK (subsidised_principal >= 0),
            loan_term_months integer NOT NULL CHECK (loan_term_months BETWEEN 1 AND 360),
            subsidised_months integer NOT NULL,
            interest_rate_basis_points integer NOT NULL,
            subsidy_rate_basis_points integer NOT NULL,
            loan_date date NOT NULL,
            first_repayment_on date NOT NULL,
            certificate_numbers text[] NOT NULL,
            granted_amount bigint NOT NULL CHECK (granted_amount >= 0),
            budget_slice integer,
            rejection_reasons text[] NOT NULL DEFAULT '{}',
            submitted_by text NOT NULL,
            submitter_role text NOT NULL,
            created_at timestamptz NOT NULL
        );
        -- A loan is subsidised once: one granted subsidy per lender's contract.
        CREATE UNIQUE INDEX loan_subsidy_contract ON loan_subsidy (lender, loan_contract_number) WHERE status = 'granted';
        CREATE INDEX loan_subsidy_region ON loan_subsidy (region_code, created_at);
        CREATE INDEX loan_subsidy_submitter ON loan_subsidy (submitted_by, created_at);

        CREATE TABLE loan_subsidy_period (
            subsidy_id uuid NOT NULL REFERENCES loan_subsidy (id),
            period integer NOT NULL,
            due_on date NOT NULL,
            outstanding_principal bigint NOT NULL,
            amount bigint NOT NULL CHECK (amount >= 0),
            PRIMARY KEY (subsidy_id, period)
        );
        """)

    /// A payment pays a purchase claim or one repayment period of a loan interest subsidy.
    static let loanPeriodPayments = PostgresMigration(version: 103, name: "payments of loan periods", sql: """
        ALTER TABLE payment ALTER COLUMN claim_id DROP NOT NULL;
        ALTER TABLE payment ADD COLUMN loan_subsidy_id uuid REFERENCES loan_subsidy (id), ADD COLUMN loan_period integer;
        ALTER TABLE payment ADD CONSTRAINT payment_pays_one_thing CHECK (
            (claim_id IS NOT NULL AND loan_subsidy_id IS NULL AND loan_period IS NULL)
            OR (claim_id IS NULL AND loan_subsidy_id IS NOT NULL AND loan_period IS NOT NULL));
        CREATE UNIQUE INDEX payment_open_loan_period ON payment (loan_subsidy_id, loan_period) WHERE status IN ('pending', 'paid');
        ALTER TABLE loan_subsidy_period ADD COLUMN payment_batch_id uuid, ADD COLUMN paid_at timestamptz;
        CREATE INDEX loan_subsidy_period_due ON loan_subsidy_period (due_on) WHERE paid_at IS NULL AND payment_batch_id IS NULL;
        """)

    /// The household caps read a household's claims in a programme: without this index every claim of the
    /// programme was read for each new one (found by the claim benchmark).
    static let householdIndex = PostgresMigration(version: 104, name: "household index", sql: """
        CREATE INDEX claim_household ON claim (programme_id, household_ref);
        """)
}
