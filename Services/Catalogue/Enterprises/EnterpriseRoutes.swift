import Contracts
import Hummingbird
import ServiceKit

/// `POST /enterprises`, `GET /enterprises/{creditCode}`, `PATCH /enterprises/{creditCode}`.
///
/// An enterprise registers and updates itself (its token names its credit code); a certification body may do
/// either for any enterprise. Reading is public, with the contact person's name and phone masked; the enterprise
/// itself and market regulators see the name in full (``Enterprise/mayReadContactName(of:_:)``).
struct EnterpriseRoutes: Sendable {
    let context: CatalogueContext

    func add(to router: Router<AppRequestContext>) {
        router.post("/enterprises") { request, requestContext in
            let principal = try requestContext.require(role: .enterprise, .certificationBody)
            let input = try await request.decode(as: EnterpriseInput.self, context: requestContext)
            let checked = try input.check(registration: true)
            try Self.authorize(principal, for: checked.creditCode)
            let directory = EnterpriseDirectory(context: context)
            let enterprise = try await context.pool.transaction { connection in
                try await directory.register(checked, actor: principal.actorRole, on: connection)
            }
            return EditedResponse(status: .created, response: EnterpriseView(
                enterprise: try enterprise!.revealingContactName(to: principal, with: context.service.personalData),
                products: []))
        }
        router.patch("/enterprises/:creditCode") { request, requestContext in
            let principal = try requestContext.require(role: .enterprise, .certificationBody)
            let code = try Self.creditCode(requestContext)
            try Self.authorize(principal, for: code)
            let input = try await request.decode(as: EnterpriseInput.self, context: requestContext)
            if let sent = input.creditCode, sent.uppercased() != code.rawValue {
                throw Problem.validation(field: "creditCode", reason: "cannot be changed; it identifies the enterprise")
            }
            let checked = try input.check(registration: false)
            let directory = EnterpriseDirectory(context: context)
            let enterprise = try await context.pool.transaction { connection in
                try await directory.update(code, with: checked, actor: principal.actorRole, on: connection)
            }
            return EnterpriseView(
                enterprise: try enterprise.revealingContactName(to: principal, with: context.service.personalData),
                products: nil)
        }
        router.get("/enterprises/:creditCode") { _, requestContext in
            let code = try Self.creditCode(requestContext)
            return try await context.pool.withConnection { connection in
                guard let enterprise = try await Enterprise.find(code, on: connection) else {
                    throw CatalogueError.enterpriseNotFound(code.rawValue)
                }
                let products = try await CertificateView.fetch(
                    where: "c.holder_credit_code = \(code.rawValue) OR c.manufacturer_credit_code = \(code.rawValue)",
                    orderBy: "c.number", limit: 1000, on: connection)
                return EnterpriseView(
                    enterprise: try enterprise.revealingContactName(
                        to: requestContext.principal, with: context.service.personalData),
                    products: products)
            }
        }
    }

    static func creditCode(_ context: AppRequestContext) throws -> UnifiedSocialCreditCode {
        let text = try context.parameters.require("creditCode")
        do {
            return try UnifiedSocialCreditCode(validating: text)
        } catch {
            throw Problem.validation(field: "creditCode", reason: error.description)
        }
    }

    /// An enterprise acts only for itself.
    static func authorize(_ principal: Principal, for code: UnifiedSocialCreditCode?) throws {
        guard principal.role == .enterprise else { return }
        guard let code, principal.enterpriseCode == code else {
            throw Problem.forbidden("An enterprise may register and update only itself.", code: "enterprise-not-allowed")
        }
    }
}

/// An enterprise with, when asked for, the certified products it holds or makes.
struct EnterpriseView: ResponseEncodable, Sendable {
    var enterprise: Enterprise
    var products: [CertificateView]?

    func encode(to encoder: any Encoder) throws {
        try enterprise.encode(to: encoder)
        if let products {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(products, forKey: .products)
        }
    }

    enum Keys: String, CodingKey { case products }
}
