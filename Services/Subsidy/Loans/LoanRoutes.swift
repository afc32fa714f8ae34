import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Loan interest subsidies (贷款贴息): applied for by the borrower or by a regional official for them, decided at
/// once with their repayment schedule. ``LoanDesk`` does the work.
struct LoanRoutes: Sendable {
    let context: SubsidyContext

    func add(to router: Router<AppRequestContext>) {
        let desk = LoanDesk(context: context)
        router.post("/loan-subsidies") { request, requestContext in
            let principal = try requestContext.require(role: .consumer, .regionOfficial)
            let input = try await request.decode(as: LoanInput.self, context: requestContext)
            let loan = try input.validated(today: WorkingDayCalendar.day(of: context.clock.now()))
            return EditedResponse(status: .created, response: try await desk.apply(loan, by: principal))
        }
        router.get("/loan-subsidies/:id") { _, requestContext in
            let id = try RequestValue.uuid(requestContext, notFound: SubsidyError.loanSubsidyNotFound)
            return try await desk.view(id, as: try requestContext.requirePrincipal())
        }
    }
}
