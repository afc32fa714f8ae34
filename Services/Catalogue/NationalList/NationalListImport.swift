import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Imports one batch of the national list published by the certification technical committee.
///
/// Every row is checked (fields, registered enterprises, numbers already issued, revoked or reserved by another
/// batch, duplicates within the batch) and every bad row reported with its line and reason. In `atomic` mode one
/// bad row means nothing is imported; in `valid-rows-only` mode the valid rows are imported. The batch id and a
/// fingerprint of its content are stored with the rows, so importing the same batch again changes nothing.
///
/// **Chunks, and what stays all-or-nothing.** A batch of 200,000 rows takes a while to write, and every statement
/// writing certificates takes the change-feed lock (migration 104) until its transaction commits: written in one
/// transaction, a batch held every other certificate write (an issue, a suspension) for all that time. So the
/// import validates everything first and then commits in chunks of ``CatalogueSettings/importChunkRows``:
///
/// 1. *Check and claim* (no change-feed lock): every row is checked against the register; an atomic batch with a
///    bad row is refused here, before anything is written. Otherwise the batch row is stored as `importing`, with
///    the report (`importedRows`: the rows that will be written) and a lease naming this import.
/// 2. *Reserve*, chunk by chunk under the change-feed lock: the batch's numbers go into
///    `national_list_reservations`, which every issue respects (`certificate-number-reserved`). A number issued
///    between 1 and 2 is caught here, before any certificate is written, and an atomic batch is still refused
///    whole (its reservations and batch row removed).
/// 3. *Write*, chunk by chunk: certificates, history and events. Nothing can make a reserved row fail now; the
///    lock is held for one chunk at a time and other certificate writes go in between.
/// 4. *Complete*: the batch becomes `imported` and its reservations go.
///
/// The decision is all-or-nothing (validated and reserved before the first certificate is written); visibility is
/// not: while a batch is `importing`, readers see the chunks written so far, and `GET /national-list/batches/{id}`
/// says `importing` with `writtenRows`. If the process dies half-way, the batch stays `importing` with its numbers
/// reserved; sending the same batch again once the lease (one minute, renewed by every chunk) has run out
/// completes it, and a batch of other content under that id is refused.
struct NationalListImport: Sendable {
    let context: CatalogueContext

    enum Format: Sendable { case csv, json }

    /// One row as read, before checking.
    struct SourceRow: Sendable {
        var line: Int
        var input: CertificateDraftInput?
        var errors: [NationalListImportReport.RowError]
    }

    /// How long an import's claim on its batch lasts without a chunk renewing it.
    static let leaseSeconds = 60

    /// What the claim found: a batch imported before, or the rows this import now writes.
    private enum Claim {
        case done(NationalListImportReport)
        case claimed(report: NationalListImportReport, toWrite: [CertificateDraft], names: [String: String])
    }

    func run(
        batchID: String, mode: NationalListImportMode, format: Format, content: [UInt8], actor: CertificateRegister.Actor
    ) async throws -> NationalListImportReport {
        let rows = try Self.parse(content, format: format)
        let fingerprint = Self.fingerprint(content)
        var rowErrors: [NationalListImportReport.RowError] = []
        var drafts: [(line: Int, draft: CertificateDraft)] = []
        var firstLine: [String: Int] = [:]
        for row in rows {
            rowErrors += row.errors
            guard let input = row.input else { continue }
            switch input.check() {
            case .failure(let failure):
                rowErrors += failure.errors.map { .init(line: row.line, field: $0.field, reason: $0.reason) }
            case .success(let draft):
                if let earlier = firstLine[draft.number.rawValue] {
                    rowErrors.append(.init(line: row.line, field: "certificateNumber",
                                        reason: "duplicates the certificate on line \(earlier)"))
                } else {
                    firstLine[draft.number.rawValue] = row.line
                    drafts.append((row.line, draft))
                }
            }
        }
        let importer = UUID()
        let claim = try await self.claim(
            batchID: batchID, mode: mode, fingerprint: fingerprint, totalRows: rows.count, drafts: drafts,
            rowErrors: rowErrors, importer: importer)
        guard case .claimed(var report, var toWrite, let names) = claim else {
            if case .done(let report) = claim { return report }
            preconditionFailure("a claim is done or claimed")
        }
        let chunkRows = context.settings.importChunkRows
        // 2. Reserve the numbers, chunk by chunk.
        var conflicts: [NationalListImportReport.RowError] = []
        for start in stride(from: 0, to: toWrite.count, by: chunkRows) {
            let chunk = Array(toWrite[start..<min(start + chunkRows, toWrite.count)])
            conflicts += try await reserve(chunk, batchID: batchID, importer: importer, lines: firstLine)
        }
        if !conflicts.isEmpty {
            let refused = Set(conflicts.map(\.line))
            report.errors = (report.errors + conflicts).sorted { ($0.line, $0.field) < ($1.line, $1.field) }
            report.rejectedRows = Set(report.errors.map(\.line)).count
            if mode == .atomic {
                try await abandon(batchID: batchID, importer: importer)
                throw CatalogueError.batchRejected(report)
            }
            toWrite.removeAll { refused.contains(firstLine[$0.number.rawValue] ?? 0) }
            report.importedRows -= refused.count
        }
        // 3. Write, chunk by chunk.
        let register = CertificateRegister(context: context)
        for start in stride(from: 0, to: toWrite.count, by: chunkRows) {
            let chunk = Array(toWrite[start..<min(start + chunkRows, toWrite.count)])
            try await context.pool.transaction { connection in
                // The batch row first: its lock is never waited for while holding the change-feed lock.
                try await renewLease(batchID: batchID, importer: importer, on: connection)
                let inserted = try await register.issueMany(chunk, names: names, batchID: batchID, actor: actor, on: connection)
                try await connection.query("""
                    UPDATE national_list_batches SET imported_rows = imported_rows + \(inserted.count)
                    WHERE batch_id = \(batchID)
                    """)
            }
        }
        // 4. Complete.
        try await context.pool.transaction { connection in
            try await renewLease(batchID: batchID, importer: importer, on: connection)
            try await connection.query("""
                UPDATE national_list_batches
                SET status = 'imported', importer = NULL, lease_until = NULL, completed_at = \(context.clock.now()),
                    rejected_rows = \(report.rejectedRows), report = \(try PostgresJSONB(report)),
                    imported_rows = (SELECT count(*) FROM certificates WHERE national_batch_id = \(batchID))
                WHERE batch_id = \(batchID)
                """)
            try await connection.query("DELETE FROM national_list_reservations WHERE batch_id = \(batchID)")
        }
        if report.importedRows >= 1_000 {
            // Fresh statistics for the planner: searches right after a large import otherwise plan with the
            // row counts of before it. Not awaited by the caller; autovacuum would get there too, later.
            let pool = context.pool
            Task { _ = try? await pool.query("ANALYZE certificates") }
        }
        return report
    }

    /// 1. Checks every row against the register and claims the batch, in one short transaction that takes no
    /// change-feed lock: a batch imported before answers with its report, an atomic batch with a bad row is refused.
    private func claim(
        batchID: String, mode: NationalListImportMode, fingerprint: String, totalRows: Int,
        drafts: [(line: Int, draft: CertificateDraft)], rowErrors: [NationalListImportReport.RowError], importer: UUID
    ) async throws -> Claim {
        try await context.pool.transaction { connection in
            var errors = rowErrors
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("catalogue.batch." + batchID)))")
            let existing = try await connection.query("""
                SELECT content_fingerprint, report, status, lease_until > clock_timestamp() AS leased
                FROM national_list_batches WHERE batch_id = \(batchID)
                """)
            var resuming = false
            if let row = existing.first {
                guard try row.decode("content_fingerprint", as: String.self) == fingerprint else {
                    throw CatalogueError.batchContentChanged(batchID)
                }
                if try row.decode("status", as: String.self) == "imported" {
                    var report = try row.decode("report", as: PostgresJSONB.self).decode(NationalListImportReport.self)
                    report.alreadyImported = true
                    return .done(report)
                }
                guard try row.decode("leased", as: Bool?.self) != true else {
                    throw CatalogueError.batchImportInProgress(batchID)
                }
                resuming = true
            }
            // Rows naming unregistered enterprises, numbers already issued or reserved by another batch.
            let numbers = drafts.map(\.draft.number.rawValue)
            let codes = drafts.flatMap { [$0.draft.holder, $0.draft.manufacturer] }
            let names = try await CertificateRegister.enterpriseNames(of: codes, on: connection)
            let taken = try await connection.query(
                "SELECT number, status, national_batch_id FROM certificates WHERE number = ANY(\(numbers))")
            var takenStatus: [String: String] = [:]
            var written: Set<String> = []
            for row in taken.rows {
                let number = try row.decode("number", as: String.self)
                if try row.decode("national_batch_id", as: String?.self) == batchID {
                    written.insert(number)
                } else {
                    takenStatus[number] = try row.decode("status", as: String.self)
                }
            }
            var reservedBy: [String: String] = [:]
            for row in try await connection.query("""
                SELECT certificate_number, batch_id FROM national_list_reservations
                WHERE certificate_number = ANY(\(numbers)) AND batch_id <> \(batchID)
                """).rows {
                reservedBy[try row.decode("certificate_number", as: String.self)] = try row.decode("batch_id", as: String.self)
            }
            var valid: [CertificateDraft] = []
            var toWrite: [CertificateDraft] = []
            for (line, draft) in drafts {
                var rowValid = true
                if names[draft.holder.rawValue] == nil {
                    errors.append(.init(line: line, field: "holderCreditCode", reason: "no enterprise is registered with this credit code"))
                    rowValid = false
                }
                if draft.manufacturer != draft.holder && names[draft.manufacturer.rawValue] == nil {
                    errors.append(.init(line: line, field: "manufacturerCreditCode", reason: "no enterprise is registered with this credit code"))
                    rowValid = false
                }
                if let status = takenStatus[draft.number.rawValue] {
                    errors.append(.init(line: line, field: "certificateNumber", reason: status == "revoked"
                        ? "was revoked; revoked numbers are never reused" : "is already issued"))
                    rowValid = false
                } else if let other = reservedBy[draft.number.rawValue] {
                    errors.append(.init(line: line, field: "certificateNumber",
                                        reason: "is reserved by national list batch \(other), being imported"))
                    rowValid = false
                }
                guard rowValid else { continue }
                valid.append(draft)
                if !written.contains(draft.number.rawValue) { toWrite.append(draft) }
            }
            errors.sort { ($0.line, $0.field) < ($1.line, $1.field) }
            var report = NationalListImportReport(
                batchID: batchID, mode: mode, totalRows: totalRows, importedRows: 0,
                rejectedRows: Set(errors.map(\.line)).count, alreadyImported: false, errors: errors)
            if mode == .atomic && !errors.isEmpty {
                throw CatalogueError.batchRejected(report)
            }
            report.importedRows = valid.count
            let now = context.clock.now()
            if resuming {
                try await connection.query("""
                    UPDATE national_list_batches
                    SET importer = \(importer), lease_until = clock_timestamp() + make_interval(secs => \(Self.leaseSeconds)),
                        imported_rows = \(written.count)
                    WHERE batch_id = \(batchID)
                    """)
                context.logger.notice("national list import taken over", metadata: [
                    "batch.id": "\(batchID)", "batch.written": "\(written.count)",
                ])
            } else {
                try await connection.query("""
                    INSERT INTO national_list_batches (batch_id, content_fingerprint, mode, total_rows, imported_rows,
                        rejected_rows, report, imported_at, status, importer, lease_until)
                    VALUES (\(batchID), \(fingerprint), \(mode.rawValue), \(report.totalRows), 0,
                        \(report.rejectedRows), \(try PostgresJSONB(report)), \(now), 'importing', \(importer),
                        clock_timestamp() + make_interval(secs => \(Self.leaseSeconds)))
                    """)
            }
            return .claimed(report: report, toWrite: toWrite, names: names)
        }
    }

    /// 2. Reserves one chunk's numbers under the change-feed lock; returns the rows whose number was issued or
    /// reserved by another batch since the claim checked them.
    private func reserve(
        _ chunk: [CertificateDraft], batchID: String, importer: UUID, lines: [String: Int]
    ) async throws -> [NationalListImportReport.RowError] {
        try await context.pool.transaction { connection in
            try await renewLease(batchID: batchID, importer: importer, on: connection)
            // Under the lock, no certificate insert and no other reservation is under way: both take it.
            try await CertificateRegister.lockChangeFeed(on: connection)
            let numbers = chunk.map(\.number.rawValue)
            let issued = try await connection.query("""
                SELECT number FROM certificates
                WHERE number = ANY(\(numbers)) AND national_batch_id IS DISTINCT FROM \(batchID)
                """)
            let issuedNumbers = Set(try issued.rows.map { try $0.decode("number", as: String.self) })
            try await connection.query("""
                INSERT INTO national_list_reservations (certificate_number, batch_id)
                SELECT n, \(batchID) FROM unnest(\(numbers.filter { !issuedNumbers.contains($0) })) AS n
                ON CONFLICT (certificate_number) DO NOTHING
                """)
            let others = try await connection.query("""
                SELECT certificate_number, batch_id FROM national_list_reservations
                WHERE certificate_number = ANY(\(numbers)) AND batch_id <> \(batchID)
                """)
            var conflicts: [NationalListImportReport.RowError] = issuedNumbers.sorted().map {
                .init(line: lines[$0] ?? 0, field: "certificateNumber", reason: "was issued while the batch was being checked")
            }
            for row in others.rows {
                let number = try row.decode("certificate_number", as: String.self)
                conflicts.append(.init(
                    line: lines[number] ?? 0, field: "certificateNumber",
                    reason: "is reserved by national list batch \(try row.decode("batch_id", as: String.self)), being imported"))
            }
            return conflicts
        }
    }

    /// Extends this import's lease on the batch (locking the batch row); fails when another import took it over.
    private func renewLease(batchID: String, importer: UUID, on connection: PostgresConnection) async throws {
        let renewed = try await connection.query("""
            UPDATE national_list_batches SET lease_until = clock_timestamp() + make_interval(secs => \(Self.leaseSeconds))
            WHERE batch_id = \(batchID) AND importer = \(importer) AND status = 'importing'
            """)
        guard renewed.affectedRows == 1 else { throw CatalogueError.batchImportInProgress(batchID) }
    }

    /// Gives up an atomic batch refused after its claim: its reservations and batch row go (nothing was written).
    private func abandon(batchID: String, importer: UUID) async throws {
        try await context.pool.transaction { connection in
            try await renewLease(batchID: batchID, importer: importer, on: connection)
            try await connection.query("DELETE FROM national_list_reservations WHERE batch_id = \(batchID)")
            try await connection.query("""
                DELETE FROM national_list_batches WHERE batch_id = \(batchID)
                    AND NOT EXISTS (SELECT 1 FROM certificates WHERE national_batch_id = \(batchID))
                """)
        }
    }

    /// Reads the rows of a CSV file (header with the field names) or a JSON array of objects (or `{"rows": [...]}`).
    static func parse(_ content: [UInt8], format: Format) throws -> [SourceRow] {
        switch format {
        case .csv:
            let text = String(decoding: content, as: UTF8.self)
            let table: CSVTable
            do {
                table = try CSVTable(parsing: text)
            } catch {
                throw Problem(
                    status: .badRequest, code: "malformed-csv", title: "Malformed CSV",
                    detail: "The file is not valid CSV: \(error.reason) (line \(error.line)).",
                    errors: [FieldError(field: "line \(error.line)", reason: error.reason)])
            }
            guard let header = table.records.first else {
                throw Problem(status: .badRequest, code: "malformed-csv", title: "Malformed CSV",
                              detail: "The file is empty; a header line naming the fields was expected.")
            }
            let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            let required = ["certificateNumber", "holderCreditCode", "certificationBody", "productName", "model",
                            "category", "subCategory", "starGrade", "certificationBasis", "issuedOn"]
            let missing = required.filter { !names.contains($0) }
            guard missing.isEmpty else {
                throw Problem(
                    status: .badRequest, code: "malformed-csv", title: "Malformed CSV",
                    detail: "The header line lacks the columns " + missing.joined(separator: ", ") + ".",
                    errors: missing.map { FieldError(field: "line 1: \($0)", reason: "column is missing from the header") })
            }
            return table.records.dropFirst().map { record in
                guard record.fields.count == names.count else {
                    return SourceRow(line: record.line, input: nil, errors: [.init(
                        line: record.line, field: "(row)",
                        reason: "has \(record.fields.count) fields; the header has \(names.count)")])
                }
                var values: [String: String] = [:]
                for (name, value) in zip(names, record.fields) { values[name] = value }
                return SourceRow(line: record.line, input: CertificateDraftInput(values: values), errors: [])
            }
        case .json:
            let parsed: Any
            do {
                parsed = try JSONSerialization.jsonObject(with: Data(content))
            } catch {
                throw Problem.malformedRequest(detail: "The request body is not valid JSON.")
            }
            let list: [Any]
            if let array = parsed as? [Any] {
                list = array
            } else if let object = parsed as? [String: Any], let array = object["rows"] as? [Any] {
                list = array
            } else {
                throw Problem.malformedRequest(detail: "Expected a JSON array of rows or an object with a `rows` array.")
            }
            return list.enumerated().map { index, element in
                let line = index + 1
                guard let object = element as? [String: Any] else {
                    return SourceRow(line: line, input: nil, errors: [.init(line: line, field: "(row)", reason: "must be an object")])
                }
                var values: [String: String] = [:]
                var errors: [NationalListImportReport.RowError] = []
                for (key, value) in object {
                    switch value {
                    case let text as String: values[key] = text
                    case is NSNull: break
                    default: errors.append(.init(line: line, field: key, reason: "must be a string"))
                    }
                }
                return SourceRow(line: line, input: errors.isEmpty ? CertificateDraftInput(values: values) : nil,
                                 errors: errors)
            }
        }
    }

    /// A 128-bit fingerprint of the content (two FNV-1a 64 hashes with different offsets) that identifies a
    /// re-sent batch.
    static func fingerprint(_ content: [UInt8]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in content {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b &* 0x0000_0100_0000_01b3) ^ UInt64(byte)
        }
        return String(a, radix: 16) + String(b, radix: 16) + "-" + String(content.count)
    }
}
