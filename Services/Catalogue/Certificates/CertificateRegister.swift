import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Issues certificates and changes their status, each change with its history row and its event in the same
/// transaction. Certificates are never deleted, so a number once issued (and revoked) is never issued again.
struct CertificateRegister: Sendable {
    let context: CatalogueContext

    /// Who made a change: the role goes on the event, the account id only into the history table. A certification
    /// body also names itself (its token's credit code): it issues certificates as their issuer and changes no
    /// other body's.
    struct Actor: Sendable {
        var role: ActorRole
        var subject: String?
        var certificationBody: UnifiedSocialCreditCode? = nil

        static let system = Actor(role: .system, subject: nil)

        /// Throws `certificate-of-another-body` when this actor is a certification body and `issuer` is not it.
        func requireOwnership(of number: CertificateNumber, issuedBy issuer: String?) throws(CatalogueError) {
            guard let certificationBody else { return }
            guard issuer == certificationBody.rawValue else { throw .certificateOfAnotherBody(number.rawValue) }
        }
    }

    /// Issues one certificate; a number already issued is a conflict naming whether it was revoked.
    func issue(_ draft: CertificateDraft, actor: Actor, on connection: PostgresConnection) async throws -> CertificateView {
        let names = try await Self.enterpriseNames(of: [draft.holder, draft.manufacturer], on: connection)
        var validator = Validator()
        if names[draft.holder.rawValue] == nil {
            validator.add(field: "holderCreditCode", reason: "no enterprise is registered with this credit code")
        }
        if names[draft.manufacturer.rawValue] == nil && draft.manufacturer != draft.holder {
            validator.add(field: "manufacturerCreditCode", reason: "no enterprise is registered with this credit code")
        }
        try validator.validate()
        let issued = try await issueMany([draft], names: names, batchID: nil, actor: actor, on: connection)
        guard issued.count == 1 else {
            let existing = try await connection.query(
                "SELECT status FROM certificates WHERE number = \(draft.number.rawValue)")
            if existing.isEmpty, let reserved = try await connection.query(
                "SELECT batch_id FROM national_list_reservations WHERE certificate_number = \(draft.number.rawValue)").first {
                throw CatalogueError.certificateNumberReserved(
                    number: draft.number.rawValue, batch: try reserved.decode("batch_id", as: String.self))
            }
            if try existing.first?.decode("status", as: String.self) == CertificateStatus.revoked.rawValue {
                throw CatalogueError.certificateNumberRevoked(draft.number.rawValue)
            }
            throw CatalogueError.certificateNumberTaken(draft.number.rawValue)
        }
        return try await CertificateView.find(draft.number, on: connection)!
    }

    /// Inserts the drafts whose numbers are free, with history and events; returns the numbers inserted.
    /// `names` are the registered names of the holders and manufacturers (`enterpriseNames`), which the caller
    /// has already checked them against; they go into the search text.
    ///
    /// Rows go in chunks. While PostgreSQL inserts one chunk, the next is prepared on another core: its search
    /// text and bigrams, its events, and its statement's parameters.
    ///
    /// A number reserved by a national list batch being imported is skipped unless `batchID` is that batch. The
    /// change-feed lock (migration 104) is taken first, in a statement of its own: the insert that follows sees
    /// every reservation committed before it, and none can commit while it runs (reserving takes the same lock).
    func issueMany(
        _ drafts: [CertificateDraft], names: [String: String], batchID: String?, actor: Actor,
        on connection: PostgresConnection
    ) async throws -> Set<String> {
        guard !drafts.isEmpty else { return [] }
        try await Self.lockChangeFeed(on: connection)
        let now = context.clock.now()
        let chunkSize = 5000
        let chunks = stride(from: 0, to: drafts.count, by: chunkSize).map {
            Array(drafts[$0..<min($0 + chunkSize, drafts.count)])
        }
        var inserted: Set<String> = []
        let outbox = context.outbox
        func prepare(_ chunk: [CertificateDraft]) -> Task<PreparedChunk, any Error> {
            Task { try PreparedChunk(chunk, names: names, batchID: batchID, actor: actor, at: now, outbox: outbox) }
        }
        var next: Task<PreparedChunk, any Error>? = prepare(chunks[0])
        for index in chunks.indices {
            guard let current = try await next?.value else { break }
            next = index + 1 < chunks.count ? prepare(chunks[index + 1]) : nil
            let rows = try await connection.query(current.insert)
            let numbers = try rows.rows.map { try $0.decode("number", as: String.self) }
            inserted.formUnion(numbers)
            guard !numbers.isEmpty else { continue }
            try await connection.query("""
                INSERT INTO certificate_status_history
                    (certificate_number, action, from_status, to_status, reason, actor_role, actor_subject, changed_at)
                SELECT n, 'issue', NULL, 'valid', \(batchID.map { "national list batch \($0)" } ?? "issued"),
                    \(actor.role.rawValue), \(actor.subject), \(now)
                FROM unnest(\(numbers)) AS n
                """)
            if numbers.count == current.numbers.count {
                try await outbox.append(current.outboxInsert, on: connection)
            } else {
                // Some numbers were taken meanwhile: only the inserted ones' events.
                let fresh = Set(numbers)
                try await outbox.append(
                    zip(current.numbers, current.events).filter { fresh.contains($0.0) }.map(\.1), on: connection)
            }
        }
        return inserted
    }

    /// One chunk of an issue, ready to send: the insert statement (numbers already taken are skipped and the
    /// inserted ones returned), one `CertificateIssued` event per draft, in order, and the statement appending
    /// them all to the outbox.
    struct PreparedChunk: Sendable {
        var insert: PostgresQuery
        var numbers: [String]
        var events: [CloudEvent]
        var outboxInsert: PostgresQuery

        init(
            _ drafts: [CertificateDraft], names: [String: String], batchID: String?, actor: Actor, at now: Date,
            outbox: Outbox
        ) throws {
            // Drafts naming an enterprise that is not registered are left out, as the foreign keys require.
            let drafts = drafts.filter { names[$0.holder.rawValue] != nil && names[$0.manufacturer.rawValue] != nil }
            let searchTexts = drafts.map { draft in
                SearchText.of(
                    number: draft.number.rawValue, productName: draft.productName, model: draft.model,
                    holderName: names[draft.holder.rawValue] ?? "", manufacturerName: names[draft.manufacturer.rawValue] ?? "")
            }
            let nameBigrams = drafts.map { draft in
                SearchText.bigramLiteral(of: SearchText.nameText(
                    number: draft.number.rawValue, productName: draft.productName, model: draft.model))
            }
            numbers = drafts.map(\.number.rawValue)
            insert = """
                INSERT INTO certificates (number, holder_credit_code, manufacturer_credit_code, factory_name,
                    certification_body, certification_body_code, product_name, model, product_category, sub_category,
                    star_grade, certification_basis, issued_on, expires_on, status, status_changed_at,
                    national_batch_id, search_text, search_bigrams, name_bigrams, created_at, updated_at)
                SELECT r.n, r.h, r.m, NULLIF(r.f, ''), r.b, NULLIF(r.bc, ''), r.p, r.mo, r.c, r.s, r.g, r.basis,
                    r.i::date, r.e::date, 'valid', \(now), \(batchID), r.t, r.bg::text[], r.nb::text[], \(now), \(now)
                FROM unnest(\(numbers), \(drafts.map(\.holder.rawValue)),
                            \(drafts.map(\.manufacturer.rawValue)), \(drafts.map { $0.factoryName ?? "" }),
                            \(drafts.map(\.certificationBody)), \(drafts.map(\.productName)), \(drafts.map(\.model)),
                            \(drafts.map(\.category.rawValue)), \(drafts.map(\.subCategory)),
                            \(drafts.map(\.starGrade.rawValue)), \(drafts.map(\.certificationBasis)),
                            \(drafts.map(\.issuedOn.description)), \(drafts.map(\.expiresOn.description)),
                            \(searchTexts), \(searchTexts.map(SearchText.bigramLiteral(of:))),
                            \(drafts.map { $0.certificationBodyCode?.rawValue ?? "" }), \(nameBigrams))
                    WITH ORDINALITY AS r(n, h, m, f, b, p, mo, c, s, g, basis, i, e, t, bg, bc, nb, ord)
                WHERE NOT EXISTS (SELECT 1 FROM national_list_reservations v
                                  WHERE v.certificate_number = r.n AND v.batch_id IS DISTINCT FROM \(batchID))
                ORDER BY r.ord
                ON CONFLICT (number) DO NOTHING
                RETURNING number
                """
            events = try drafts.map { draft in
                try CloudEvent(payload: CertificateIssued(
                    certificateNumber: draft.number, holderCreditCode: draft.holder,
                    manufacturerCreditCode: draft.manufacturer, factoryName: draft.factoryName,
                    certificationBody: draft.certificationBody, productName: draft.productName, model: draft.model,
                    category: draft.category, subCategory: draft.subCategory, starGrade: draft.starGrade,
                    certificationBasis: draft.certificationBasis, issuedOn: draft.issuedOn, expiresOn: draft.expiresOn,
                    actorRole: actor.role, issuedAt: now), time: now)
            }
            outboxInsert = try outbox.statement(appending: events)
        }
    }

    /// Suspends, restores, revokes, cancels or expires a certificate, if its current status allows it.
    func apply(
        _ action: CertificateAction, to number: CertificateNumber, reason: String, suspendedUntil: CalendarDate? = nil,
        actor: Actor, on connection: PostgresConnection
    ) async throws -> CertificateView {
        let locked = try await connection.query("""
            SELECT status, holder_credit_code, product_name, expires_on, certification_body_code
            FROM certificates WHERE number = \(number) FOR UPDATE
            """)
        guard let row = locked.first else { throw CatalogueError.certificateNotFound(number.rawValue) }
        try actor.requireOwnership(of: number, issuedBy: try row.decode("certification_body_code", as: String?.self))
        let from = try row.enumeration("status", as: CertificateStatus.self)
        let holder = try row.creditCode("holder_credit_code")
        let expiresOn = try row.calendarDate("expires_on")
        let to = try action.transition(from: from)
        let now = context.clock.now()
        try await connection.query("""
            UPDATE certificates SET status = \(to.rawValue), status_changed_at = \(now), updated_at = \(now),
                change_seq = nextval('certificate_change_seq')
            WHERE number = \(number)
            """)
        try await recordHistory(number, action: action, from: from, to: to, reason: reason, actor: actor, at: now, on: connection)
        let event: CloudEvent
        switch action {
        case .suspend:
            event = try CloudEvent(payload: CertificateSuspended(
                certificateNumber: number, holderCreditCode: holder, previousStatus: from, suspendedUntil: suspendedUntil,
                reason: reason, actorRole: actor.role, suspendedAt: now), time: now)
        case .restore:
            event = try CloudEvent(payload: CertificateRestored(
                certificateNumber: number, holderCreditCode: holder, previousStatus: from, reason: reason,
                actorRole: actor.role, restoredAt: now), time: now)
        case .revoke:
            event = try CloudEvent(payload: CertificateRevoked(
                certificateNumber: number, holderCreditCode: holder, previousStatus: from, reason: reason,
                actorRole: actor.role, revokedAt: now), time: now)
        case .cancel:
            event = try CloudEvent(payload: CertificateCancelled(
                certificateNumber: number, holderCreditCode: holder, previousStatus: from, reason: reason,
                actorRole: actor.role, cancelledAt: now), time: now)
        case .expire:
            event = try CloudEvent(payload: CertificateExpired(
                certificateNumber: number, holderCreditCode: holder, previousStatus: from, expiredOn: expiresOn,
                reason: reason, actorRole: actor.role, expiredAt: now), time: now)
        case .issue, .renew:
            preconditionFailure("issue and renew have their own operations")
        }
        try await context.outbox.append([event], on: connection)
        return try await CertificateView.find(number, on: connection)!
    }

    /// Extends a valid certificate to a new expiry date (five years from the old one unless given), optionally
    /// with a new star grade.
    func renew(
        _ number: CertificateNumber, expiresOn requested: CalendarDate?, starGrade requestedGrade: StarGrade?, reason: String,
        actor: Actor, on connection: PostgresConnection
    ) async throws -> CertificateView {
        let locked = try await connection.query("""
            SELECT status, holder_credit_code, star_grade, expires_on, certification_body_code
            FROM certificates WHERE number = \(number) FOR UPDATE
            """)
        guard let row = locked.first else { throw CatalogueError.certificateNotFound(number.rawValue) }
        try actor.requireOwnership(of: number, issuedBy: try row.decode("certification_body_code", as: String?.self))
        let from = try row.enumeration("status", as: CertificateStatus.self)
        _ = try CertificateAction.renew.transition(from: from)
        let previous = try row.calendarDate("expires_on")
        let grade = try requestedGrade ?? row.enumeration("star_grade", as: StarGrade.self)
        guard let expiresOn = requested ?? CertificateDraft.defaultExpiry(issuedOn: previous.adding(days: 1)) else {
            throw Problem.validation(field: "expiresOn", reason: "is required: five years after \(previous) is past the last expiry date accepted")
        }
        guard CertificateDraft.expiryDates.contains(expiresOn) else {
            throw Problem.validation(
                field: "expiresOn",
                reason: "must be a date from \(CertificateDraft.expiryDates.lowerBound) to \(CertificateDraft.expiryDates.upperBound)")
        }
        guard expiresOn > previous else {
            throw Problem.validation(field: "expiresOn", reason: "must be after the current expiry date \(previous)")
        }
        let now = context.clock.now()
        try await connection.query("""
            UPDATE certificates SET expires_on = \(expiresOn.description)::date, star_grade = \(grade.rawValue),
                updated_at = \(now), change_seq = nextval('certificate_change_seq')
            WHERE number = \(number)
            """)
        try await recordHistory(number, action: .renew, from: from, to: .valid, reason: reason, actor: actor, at: now,
                                on: connection)
        try await context.outbox.append(CertificateRenewed(
            certificateNumber: number, holderCreditCode: try row.creditCode("holder_credit_code"), starGrade: grade,
            previousExpiresOn: previous, expiresOn: expiresOn, actorRole: actor.role, renewedAt: now),
            on: connection, time: now)
        return try await CertificateView.find(number, on: connection)!
    }

    /// Takes this schema's change-feed lock (the one every statement writing `certificates` takes, migration 104)
    /// for the rest of the transaction.
    static func lockChangeFeed(on connection: PostgresConnection) async throws {
        try await connection.query("""
            SELECT pg_advisory_xact_lock(hashtext(n.nspname || '.certificates.change_feed'))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = 'certificates'::regclass
            """)
    }

    private func recordHistory(
        _ number: CertificateNumber, action: CertificateAction, from: CertificateStatus?, to: CertificateStatus, reason: String,
        actor: Actor, at time: Date, on connection: PostgresConnection
    ) async throws {
        try await connection.query("""
            INSERT INTO certificate_status_history
                (certificate_number, action, from_status, to_status, reason, actor_role, actor_subject, changed_at)
            VALUES (\(number), \(action.rawValue), \(from?.rawValue), \(to.rawValue), \(reason), \(actor.role.rawValue),
                \(actor.subject), \(time))
            """)
    }

    /// The registered names of `codes`, by credit code.
    static func enterpriseNames(
        of codes: [UnifiedSocialCreditCode], on connection: PostgresConnection
    ) async throws -> [String: String] {
        let wanted = Array(Set(codes.map(\.rawValue)))
        var names: [String: String] = [:]
        for row in try await connection.query(
            "SELECT credit_code, name FROM enterprises WHERE credit_code = ANY(\(wanted))").rows {
            names[try row.decode("credit_code", as: String.self)] = try row.decode("name", as: String.self)
        }
        return names
    }

    /// Recomputes the searchable text of an enterprise's products after its name changed.
    static func refreshSearchText(
        enterprise code: UnifiedSocialCreditCode, on connection: PostgresConnection, now: Date
    ) async throws {
        let rows = try await connection.query("""
            SELECT c.number, c.product_name, c.model, h.name AS holder_name, m.name AS manufacturer_name
            FROM certificates c
            JOIN enterprises h ON h.credit_code = c.holder_credit_code
            JOIN enterprises m ON m.credit_code = c.manufacturer_credit_code
            WHERE c.holder_credit_code = \(code.rawValue) OR c.manufacturer_credit_code = \(code.rawValue)
            """).rows
        guard !rows.isEmpty else { return }
        var numbers: [String] = [], texts: [String] = []
        for row in rows {
            let number = try row.decode("number", as: String.self)
            numbers.append(number)
            texts.append(SearchText.of(
                number: number, productName: try row.decode("product_name", as: String.self),
                model: try row.decode("model", as: String.self),
                holderName: try row.decode("holder_name", as: String.self),
                manufacturerName: try row.decode("manufacturer_name", as: String.self)))
        }
        try await connection.query("""
            UPDATE certificates c
            SET search_text = u.t, search_bigrams = u.bg::text[], updated_at = \(now),
                change_seq = nextval('certificate_change_seq')
            FROM unnest(\(numbers), \(texts), \(texts.map(SearchText.bigramLiteral(of:)))) AS u(n, t, bg)
            WHERE c.number = u.n
            """)
    }
}
