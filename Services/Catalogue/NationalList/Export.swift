import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// The formats of a bulk export.
enum ExportFormat: String, Sendable {
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
            headers: [.contentType: contentType,
                      .contentDisposition: "attachment; filename=\"\(name).\(format.rawValue)\""],
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
