import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// The formats of a bulk export.
enum ExportFormat: String, Sendable, CaseIterable {
    case csv, json

    init(_ text: String?) throws {
        guard let text else { self = .json; return }
        guard let format = ExportFormat(rawValue: text) else {
            throw Problem.validation(field: "format", reason: "must be csv or json")
        }
        self = format
    }
}

/// A record that can be a row of a CSV export.
protocol CSVExportable: Encodable {
    static var csvHeader: [String] { get }
    var csvFields: [String] { get }
}

/// Bulk exports as CSV (header row, RFC 4180 quoting, UTF-8) or a JSON array.
enum Export {
    /// A bulk export written as it is read: page by page (``CatalogueSettings/exportPageRows`` rows per query, in
    /// key order, each page after the last key of the one before), each page sent before the next is read. Memory
    /// stays one page, however many rows there are; the response has no Content-Length (chunked transfer).
    ///
    /// The first page is read before the response starts, so a failing database is still a problem response. A
    /// failure later can only cut the response short: the connection closes, and a JSON array left unclosed or a
    /// CSV without its last lines is what the client sees. Pages read one after another are not one snapshot: a
    /// certificate changed during the export shows as it was when its page was read.
    static func stream<Item: CSVExportable & Sendable>(
        format: ExportFormat, name: String,
        page: @escaping @Sendable (_ after: Item?) async throws -> [Item], pageRows: Int
    ) async throws -> Response {
        let first = try await page(nil)
        let contentType = format == .csv ? "text/csv; charset=utf-8" : "application/json"
        return Response(
            status: .ok,
            headers: Download.headers(contentType: contentType, fileName: "\(name).\(format.rawValue)"),
            body: ResponseBody { writer in
                let encoder = StreamingJSONEncoder()
                var buffer = ByteBuffer()
                buffer.writeString(format == .csv ? Item.csvHeader.joined(separator: ",") + "\r\n" : "[")
                var items = first
                var written = 0
                while true {
                    for item in items {
                        switch format {
                        case .csv:
                            buffer.writeString(item.csvFields.map(CSVTable.escape).joined(separator: ",") + "\r\n")
                        case .json:
                            if written > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                            buffer.writeBytes(try encoder.encode(item))
                        }
                        written += 1
                    }
                    guard items.count == pageRows, let last = items.last else { break }
                    try await writer.write(buffer)
                    buffer.clear()
                    items = try await page(last)
                }
                if format == .json { buffer.writeString("]") }
                try await writer.write(buffer)
                try await writer.finish(nil)
            })
    }

    static func response<Item: CSVExportable>(_ items: [Item], format: ExportFormat, name: String) throws -> Response {
        let body: ByteBuffer
        let contentType: String
        switch format {
        case .csv:
            var text = Item.csvHeader.joined(separator: ",") + "\r\n"
            for item in items {
                text += item.csvFields.map(CSVTable.escape).joined(separator: ",") + "\r\n"
            }
            body = ByteBuffer(string: text)
            contentType = "text/csv; charset=utf-8"
        case .json:
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            body = ByteBuffer(bytes: try encoder.encode(items))
            contentType = "application/json"
        }
        return Response(
            status: .ok,
            headers: Download.headers(contentType: contentType, fileName: "\(name).\(format.rawValue)"),
            body: .init(byteBuffer: body))
    }
}

extension CertificateView: CSVExportable {
    static var csvHeader: [String] {
        CertificateDraftInput.fields + ["holderName", "manufacturerName", "status", "underInvestigation"]
    }

    var csvFields: [String] {
        [certificateNumber, holderCreditCode, manufacturerCreditCode, factoryName ?? "", certificationBody, productName,
         model, category.rawValue, subCategory, starGrade.rawValue, certificationBasis, issuedOn.description,
         expiresOn.description, certificationBodyCode ?? "", holderName, manufacturerName, status.rawValue, String(underInvestigation)]
    }
}

extension LocalListEntry: CSVExportable {
    static var csvHeader: [String] {
        ["entryID", "regionCode", "basis", "certificateNumber", "requirementID", "testReportNumber", "testingBody",
         "manufacturerCreditCode", "productName", "model", "category", "addedAt"]
    }

    var csvFields: [String] {
        [entryID, regionCode, basis.rawValue, certificateNumber ?? "", requirementID ?? "", testReportNumber ?? "",
         testingBody ?? "", manufacturerCreditCode, productName, model, category.rawValue,
         InternetDateTime.string(from: addedAt)]
    }
}
