import Contracts
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Imports one batch of the national list published by the certification technical committee.
///
/// Every row is checked (fields, registered enterprises, numbers already issued or revoked, duplicates within
/// the batch) and every bad row reported with its line and reason. In `atomic` mode one bad row means nothing
/// is imported; in `valid-rows-only` mode the valid rows are imported together. The batch id and a fingerprint of
/// its content are stored with the rows, so importing the same batch again changes nothing.
struct NationalListImport: Sendable {
    let context: CatalogueContext

    enum Format: Sendable { case csv, json }

    /// One row as read, before checking.
    struct SourceRow: Sendable {
        var line: Int
        var input: CertificateDraftInput?
        var errors: [NationalListImportReport.RowError]
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
        let register = CertificateRegister(context: context)
        let report = try await context.pool.transaction { connection in
            var errors = rowErrors
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("catalogue.batch." + batchID)))")
            let existing = try await connection.query(
                "SELECT content_fingerprint, report FROM national_list_batches WHERE batch_id = \(batchID)")
            if let row = existing.first {
                guard try row.decode("content_fingerprint", as: String.self) == fingerprint else {
                    throw CatalogueError.batchContentChanged(batchID)
                }
                var report = try row.decode("report", as: PostgresJSONB.self).decode(NationalListImportReport.self)
                report.alreadyImported = true
                return report
            }
            // Rows naming unregistered enterprises or numbers already issued.
            let codes = drafts.flatMap { [$0.draft.holder, $0.draft.manufacturer] }
            let names = try await CertificateRegister.enterpriseNames(of: codes, on: connection)
            let taken = try await connection.query(
                "SELECT number, status FROM certificates WHERE number = ANY(\(drafts.map(\.draft.number.rawValue)))")
            var takenStatus: [String: String] = [:]
            for row in taken.rows {
                takenStatus[try row.decode("number", as: String.self)] = try row.decode("status", as: String.self)
            }
            var valid: [CertificateDraft] = []
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
                }
                if rowValid { valid.append(draft) }
            }
            errors.sort { ($0.line, $0.field) < ($1.line, $1.field) }
            let rejectedLines = Set(errors.map(\.line)).count
            var report = NationalListImportReport(
                batchID: batchID, mode: mode, totalRows: rows.count, importedRows: 0,
                rejectedRows: rejectedLines, alreadyImported: false, errors: errors)
            if mode == .atomic && !errors.isEmpty {
                throw CatalogueError.batchRejected(report)
            }
            report.importedRows = valid.count
            let now = context.clock.now()
            try await connection.query("""
                INSERT INTO national_list_batches (batch_id, content_fingerprint, mode, total_rows, imported_rows,
                    rejected_rows, report, imported_at)
                VALUES (\(batchID), \(fingerprint), \(mode.rawValue), \(report.totalRows), \(report.importedRows),
                    \(report.rejectedRows), \(try PostgresJSONB(report)), \(now))
                """)
            _ = try await register.issueMany(valid, names: names, batchID: batchID, actor: actor, on: connection)
            return report
        }
        if !report.alreadyImported, report.importedRows >= 1_000 {
            // Fresh statistics for the planner: searches right after a large import otherwise plan with the
            // row counts of before it. Not awaited by the caller; autovacuum would get there too, later.
            let pool = context.pool
            Task { _ = try? await pool.query("ANALYZE certificates") }
        }
        return report
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
