import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// An Open311 error: GeoReport v2 answers errors as a JSON array of `{"code": <HTTP status>, "description": "…"}`,
/// one element per problem, which existing clients show as they are. Field errors read `<field>: <reason>` with the
/// field as the Open311 client named it (`attribute[regionCode]`, `description`), not as the native API does.
struct Open311Error: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var descriptions: [String]

    init(_ status: HTTPResponse.Status, _ descriptions: [String]) {
        self.status = status
        self.descriptions = descriptions
    }

    /// 400 naming every field at fault (GeoReport uses 400 where the native API says 422).
    static func badRequest(_ errors: [FieldError]) -> Open311Error {
        Open311Error(.badRequest, errors.map { "\($0.field): \($0.reason)" })
    }

    static func notFound(_ description: String) -> Open311Error {
        Open311Error(.notFound, [description])
    }

    /// A native client error in Open311 terms: a 422 becomes a 400, each native field named as the client named it.
    init(_ problem: Problem) {
        let status: HTTPResponse.Status = problem.status == .unprocessableContent ? .badRequest : problem.status
        if problem.errors.isEmpty {
            self.init(status, [problem.detail ?? problem.title])
        } else {
            self.init(status, problem.errors.map { "\(Open311Filing.open311Name(of: $0.field)): \($0.reason)" })
        }
    }

    var json: JSONValue {
        .array(descriptions.map { .object(["code": .integer(Int64(status.code)), "description": .string($0)]) })
    }

    func response() -> Response {
        Open311Error.jsonResponse(json, status: status)
    }

    /// `value` as a JSON response (`application/json; charset=utf-8`).
    static func jsonResponse(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let data = Data(value.serialized().utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(data.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Runs a route's work and answers its client errors in Open311's format; anything else (the database gone) goes
    /// on to the problem middleware, which answers 503 or 500 as for every route.
    static func answering(_ work: () async throws -> Response) async throws -> Response {
        do {
            return try await work()
        } catch let error as Open311Error {
            return error.response()
        } catch let problem as Problem where problem.status.kind == .clientError {
            return Open311Error(problem).response()
        } catch let error as any ProblemConvertible where error.problem.status.kind == .clientError {
            return Open311Error(error.problem).response()
        } catch let error as any HTTPResponseError where error.status.kind == .clientError {
            let description = error.status == .contentTooLarge
                ? "The request body is larger than \(Open311Filing.maximumBodyBytes / 1024) KiB."
                : error.status.reasonPhrase
            return Open311Error(error.status, [description]).response()
        }
    }
}
