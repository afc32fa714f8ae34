import Contracts
import ServiceKit
import Testing
@testable import PilotManagement

@Suite("Pilot errors and the application lifecycle")
struct PilotErrorTests {
    @Test func eachActionIsAllowedOnlyFromTheStatusesInTheTable() throws {
        #expect(try ApplicationAction.submit.transition(from: .draft) == .submitted)
        #expect(try ApplicationAction.submit.transition(from: .returned) == .submitted)
        #expect(try ApplicationAction.revise.transition(from: .returned) == .returned)
        #expect(try ApplicationAction.attachSafetyPlan.transition(from: .underReview) == .underReview)
        #expect(try ApplicationAction.review.transition(from: .submitted) == .submitted)
        #expect(throws: PilotError.applicationState(.submitted, action: .revise)) {
            try ApplicationAction.revise.transition(from: .submitted)
        }
        for action in ApplicationAction.allCases {
            #expect(!action.allowedFrom.contains(.approved) && !action.allowedFrom.contains(.rejected))
        }
        #expect(ApplicationStatus(after: .pending) == .underReview)
        #expect(ApplicationStatus(after: .returned(requesting: [.moa])) == .returned)
    }

    @Test func aRefusedTransitionIsTheApplicationStateProblemWithItsDetail() {
        let details = ApplicationAction.allCases.map { PilotError.applicationState(.approved, action: $0).problem.detail }
        #expect(details == [
            "An application that is approved cannot be revised.",
            "An application that is approved cannot be given a new document.",
            "An application that is approved cannot be given a safety plan.",
            "An application that is approved cannot be submitted.",
            "An application that is approved cannot be reviewed.",
        ])
        let problem = PilotError.applicationState(.underReview, action: .submit).problem
        #expect(problem.status == .conflict)
        #expect(problem.code == "application-state")
        #expect(problem.title == "Conflict")
        #expect(problem.detail == "An application that is under-review cannot be submitted.")
    }

    @Test func problemsKeepTheirStatusCodeTitleAndFields() {
        let cap = PilotError.batchCapReached(year: 2023, cap: 5).problem
        #expect(cap.status == .conflict)
        #expect(cap.title == "Batch is full")
        #expect(cap.errors == [FieldError(field: "batchYear", reason: "the 2023 batch is full (5 regions)")])
        let launch = PilotError.launchMeetingRequired("330000", heldOn: CalendarDate("2023-02-20")).problem
        #expect(launch.detail == "Region 330000's launch meeting was held on 2023-02-20; activities start on or after it.")
        #expect(launch.errors.map(\.field) == ["startsOn"])
        let tooLarge = PilotError.documentTooLarge(limit: 1024).problem
        #expect(tooLarge.status == .contentTooLarge)
        #expect(tooLarge.title == "Document too large")
        #expect(PilotError.departmentRequired.problem.status == .forbidden)
        #expect(PilotError.unknownEnterprise("x").problem.title == "Validation failed")
        for error in [PilotError.regionNotFound("1"), .applicationNotFound("2"), .activityNotFound("3"), .participantNotFound("4")] {
            #expect(error.problem.status == .notFound)
            #expect(error.problem.code == error.code)
        }
    }
}
