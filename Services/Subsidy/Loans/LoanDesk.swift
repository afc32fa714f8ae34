import Contracts
import Foundation
import Hummingbird
import Messaging
import Postgres
import ServiceKit

/// Decides loan interest subsidy applications at once: the programme open and covering the loan date, every
/// certificate of the materials financed known and valid on the loan date; then the whole schedule's subsidy is
/// reserved in the budget, the schedule stored and the grant announced, in one transaction. A loan contract is
/// subsidised once.
struct LoanDesk: Sendable {
    let context: SubsidyContext

    struct View: ResponseEncodable, Codable, Sendable {
        var id: String
        var programmeID: String
        var regionCode: String
        var status: String
        var borrowerIDNumberMasked: String
        var bankAccountMasked: String
        var lender: String
        var loanContractNumber: String
        var loanPrincipal: Fen
        var eligibleShareBasisPoints: Int
        var subsidisedPrincipal: Fen
        var loanTermMonths: Int
        var subsidisedMonths: Int
        var interestRateBasisPoints: Int
        var subsidyRateBasisPoints: Int
        var loanDate: CalendarDate
        var firstRepaymentOn: CalendarDate
        var certificateNumbers: [String]
        var grantedAmount: Fen
        var rejectionReasons: [ClaimRejectionReason]
        var schedule: [LoanSchedule.Period]
        var createdAt: Date
    }

    func apply(_ loan: LoanApplication, by principal: Principal) async throws -> View {
        let id = UUID()
        let now = context.clock.now()
        let personalData = context.service.personalData
        let consumerRef = personalData.matchingHash(loan.idNumber.rawValue)
        let householdRef = personalData.matchingHash("household:" + loan.householdID)
        let bankEncrypted = try personalData.encrypt(loan.bankAccount)
        try await context.pool.transaction { connection in
            guard let programme = try await Programme.load(loan.programmeID, on: connection) else {
                throw SubsidyError.programmeNotFound(loan.programmeID.lowercasedText)
            }
            guard let terms = programme.terms.loanTerms else {
                throw Problem.validation(field: "programmeID", reason: "is a purchase programme; loan subsidies need a loan-interest programme")
            }
            if principal.role == .regionOfficial, !principal.mayAct(in: programme.terms.regionCode) {
                throw Problem.forbidden("A regional official applies only for loans in its own region.", code: "region-not-allowed")
            }
            var reasons: Set<ClaimRejectionReason> = []
            if programme.status != .open && programme.status != .exhausted { reasons.insert(.programmeNotOpen) }
            if !programme.covers(loan.loanDate) { reasons.insert(.outsideProgrammePeriod) }
            let certificates = try await CatalogueReadModel.certificates(
                loan.certificates.map(\.rawValue), on: loan.loanDate, listedIn: programme.terms.regionCode.rawValue,
                connection: connection)
            for number in loan.certificates {
                switch certificates[number.rawValue]?.valid {
                case nil: reasons.insert(.unknownCertificate)
                case false?: reasons.insert(.certificateNotValid)
                case true?: break
                }
            }
            let schedule = LoanSchedule(
                principal: loan.principal, eligibleShareBasisPoints: loan.eligibleShareBasisPoints, termMonths: loan.termMonths,
                interestRateBasisPoints: loan.interestRateBasisPoints, firstRepaymentOn: loan.firstRepaymentOn, terms: terms,
                rounding: programme.terms.rounding)
            var slice: Int?
            if reasons.isEmpty, schedule.total > .zero {
                switch try await programme.ledger.reserve(schedule.total, for: id, preferring: Int(id.uuid.15), at: now, on: connection) {
                case .reserved(let reserved, let full):
                    slice = reserved
                    if full {
                        try await ProgrammeBook(context: context).noteAvailability(of: programme, status: .open, at: now, on: connection)
                    }
                case .noRoom: reasons.insert(.budgetExhausted)
                case .notAccepting: reasons.insert(.programmeNotOpen)
                }
            }
            let granted = reasons.isEmpty
            let inserted = try await connection.query("""
                INSERT INTO loan_subsidy (id, programme_id, region_code, status, consumer_ref, household_ref, id_number_masked,
                    bank_account_encrypted, bank_account_masked, lender, loan_contract_number, loan_principal,
                    eligible_share_basis_points, subsidised_principal, loan_term_months, subsidised_months,
                    interest_rate_basis_points, subsidy_rate_basis_points, loan_date, first_repayment_on, certificate_numbers,
                    granted_amount, budget_slice, rejection_reasons, submitted_by, submitter_role, created_at)
                VALUES (\(id), \(programme.id), \(programme.terms.regionCode.rawValue), \(granted ? "granted" : "rejected"),
                    \(consumerRef), \(householdRef), \(PersonalDataProtector.maskIDNumber(loan.idNumber.rawValue)), \(bankEncrypted),
                    \(ClaimDesk.maskAccount(loan.bankAccount)), \(loan.lender), \(loan.contractNumber), \(loan.principal.rawValue),
                    \(loan.eligibleShareBasisPoints), \(schedule.subsidisedPrincipal.rawValue), \(loan.termMonths),
                    \(schedule.subsidisedMonths), \(loan.interestRateBasisPoints), \(schedule.subsidyRateBasisPoints),
                    \(loan.loanDate.description)::date, \(loan.firstRepaymentOn.description)::date,
                    \(loan.certificates.map(\.rawValue)), \(granted ? schedule.total.rawValue : 0), \(slice),
                    \(reasons.map(\.rawValue).sorted()), \(principal.subject), \(principal.actorRole.rawValue), \(now))
                ON CONFLICT DO NOTHING
                """)
            guard inserted.affectedRows == 1 else { throw SubsidyError.loanAlreadySubsidised(loan.contractNumber) }
            guard granted else { return }
            try await connection.query("""
                INSERT INTO loan_subsidy_period (subsidy_id, period, due_on, outstanding_principal, amount)
                SELECT \(id), p, d::date, o, a
                FROM unnest(\(schedule.periods.map(\.period))::int[], \(schedule.periods.map(\.dueOn.description))::text[],
                            \(schedule.periods.map(\.outstandingPrincipal.rawValue))::bigint[],
                            \(schedule.periods.map(\.amount.rawValue))::bigint[]) AS t(p, d, o, a)
                """)
            try await context.outbox.append(LoanInterestSubsidyGranted(
                subsidyID: id.lowercasedText, programmeID: programme.id.lowercasedText, regionCode: programme.terms.regionCode,
                consumerRef: ConsumerRef(rawValue: consumerRef)!, lender: loan.lender, loanPrincipal: loan.principal,
                eligibleShareBasisPoints: loan.eligibleShareBasisPoints, subsidisedPrincipal: schedule.subsidisedPrincipal,
                loanTermMonths: loan.termMonths, subsidisedMonths: schedule.subsidisedMonths,
                interestRateBasisPoints: loan.interestRateBasisPoints, subsidyRateBasisPoints: schedule.subsidyRateBasisPoints,
                firstRepaymentOn: loan.firstRepaymentOn, grantedAmount: schedule.total, certificateNumbers: loan.certificates,
                actorRole: principal.actorRole, grantedAt: now), on: connection, time: now)
        }
        return try await view(id, as: nil)
    }

    /// One application, if `principal` may see it (the borrower who applied, officials of its region, ministry
    /// officials); otherwise `loan-subsidy-not-found`.
    func view(_ id: UUID, as principal: Principal?) async throws -> View {
        try await context.pool.withConnection { connection in
            let rows = try await connection.query("""
                SELECT id, programme_id, region_code, status, id_number_masked, bank_account_masked, lender, loan_contract_number,
                    loan_principal, eligible_share_basis_points, subsidised_principal, loan_term_months, subsidised_months,
                    interest_rate_basis_points, subsidy_rate_basis_points, loan_date::text AS loan_date,
                    first_repayment_on::text AS first_repayment_on, certificate_numbers, granted_amount, rejection_reasons,
                    submitted_by, submitter_role, created_at
                FROM loan_subsidy WHERE id = \(id)
                """)
            guard let row = rows.first else { throw SubsidyError.loanSubsidyNotFound(id.lowercasedText) }
            if let principal {
                let region = try row.decode("region_code", as: String.self)
                let visible = ClaimView.visible(
                    region: region, seller: "", submittedBy: try row.decode("submitted_by", as: String.self),
                    submitterRole: try row.decode("submitter_role", as: String.self), to: principal)
                guard visible else { throw SubsidyError.loanSubsidyNotFound(id.lowercasedText) }
            }
            let periods = try await connection.query("""
                SELECT period, due_on::text AS due_on, outstanding_principal, amount FROM loan_subsidy_period
                WHERE subsidy_id = \(id) ORDER BY period
                """)
            return View(
                id: id.lowercasedText, programmeID: try row.decode("programme_id", as: UUID.self).lowercasedText,
                regionCode: try row.decode("region_code", as: String.self), status: try row.decode("status", as: String.self),
                borrowerIDNumberMasked: try row.decode("id_number_masked", as: String.self),
                bankAccountMasked: try row.decode("bank_account_masked", as: String.self),
                lender: try row.decode("lender", as: String.self),
                loanContractNumber: try row.decode("loan_contract_number", as: String.self),
                loanPrincipal: Fen(try row.decode("loan_principal", as: Int64.self)),
                eligibleShareBasisPoints: try row.decode("eligible_share_basis_points", as: Int.self),
                subsidisedPrincipal: Fen(try row.decode("subsidised_principal", as: Int64.self)),
                loanTermMonths: try row.decode("loan_term_months", as: Int.self),
                subsidisedMonths: try row.decode("subsidised_months", as: Int.self),
                interestRateBasisPoints: try row.decode("interest_rate_basis_points", as: Int.self),
                subsidyRateBasisPoints: try row.decode("subsidy_rate_basis_points", as: Int.self),
                loanDate: try row.calendarDate("loan_date"), firstRepaymentOn: try row.calendarDate("first_repayment_on"),
                certificateNumbers: try row.decode("certificate_numbers", as: [String].self),
                grantedAmount: Fen(try row.decode("granted_amount", as: Int64.self)),
                rejectionReasons: try row.decode("rejection_reasons", as: [String].self).compactMap(ClaimRejectionReason.init(rawValue:)),
                schedule: try periods.rows.map { period in
                    LoanSchedule.Period(
                        period: try period.decode("period", as: Int.self), dueOn: try period.calendarDate("due_on"),
                        outstandingPrincipal: Fen(try period.decode("outstanding_principal", as: Int64.self)),
                        amount: Fen(try period.decode("amount", as: Int64.self)))
                },
                createdAt: try row.decode("created_at", as: Date.self))
        }
    }
}
