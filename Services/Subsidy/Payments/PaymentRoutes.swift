import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// Payment batches of a programme's approved claims, their bank transfer file and the bank's confirmation; for
/// officials of the programme's region and ministry officials. ``PaymentDesk`` and ``PaymentConfirmation`` do the
/// work.
struct PaymentRoutes: Sendable {
    let context: SubsidyContext

    struct BatchRequest: Decodable, Sendable {
        var limit: Int?
    }

    func add(to router: Router<AppRequestContext>) {
        let desk = PaymentDesk(context: context)
        let confirmation = PaymentConfirmation(context: context)
        router.post("/programmes/:id/payment-batches") { request, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.programmeNotFound)
            let principal = try requestContext.require(role: .ministry, .regionOfficial)
            let buffer = try await request.body.collect(upTo: requestContext.maxUploadSize)
            let body = buffer.readableBytes == 0 ? BatchRequest() : try ProblemReportingJSONDecoder().decode(BatchRequest.self, from: buffer)
            var validator = Validator()
            let limit = body.limit ?? 1_000
            validator.require((1...10_000).contains(limit), field: "limit", "must be 1 to 10000 claims")
            try validator.validate()
            return EditedResponse(status: .created, response: try await desk.createBatch(
                programmeID: id, limit: limit, access: requestContext.regionAccess, principal: principal))
        }
        router.get("/payment-batches/:id") { _, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.paymentBatchNotFound)
            try requestContext.require(role: .ministry, .regionOfficial)
            return try await desk.batch(id, access: requestContext.regionAccess)
        }
        router.get("/payment-batches/:id/transfer-file") { _, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.paymentBatchNotFound)
            try requestContext.require(role: .ministry, .regionOfficial)
            let file = try await desk.transferFile(id, access: requestContext.regionAccess)
            let headers = Download.headers(
                contentType: "text/csv; charset=utf-8", fileName: "payment-batch-\(id.lowercasedText).csv", cacheControl: "no-store")
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: file)))
        }
        router.post("/payment-batches/:id/confirmation") { request, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.paymentBatchNotFound)
            try requestContext.require(role: .ministry, .regionOfficial)
            let buffer = try await request.body.collect(upTo: requestContext.maxUploadSize)
            guard !buffer.readableBytesView.contains(0), let text = String(validating: buffer.readableBytesView, as: UTF8.self)
            else {
                throw Problem.validation(field: "body", reason: "must be UTF-8 text without the NUL character")
            }
            return try await confirmation.importFile(text, batch: id, access: requestContext.regionAccess)
        }
    }
}
