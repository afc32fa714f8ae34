import Contracts
import Foundation
import HTTPTypes
import Testing
@testable import Complaints

@Suite("Complaint workflow", .serialized)
struct WorkflowTests {
    @Test func aComplaintGoesFromAcceptanceThroughFirmFirstSettlementAndMediationToAnAgreementAndIsClosedRatedAndReopened() async throws {
        let harness = try await ComplaintsHarness.make(today: "2023-09-27")
        let enterprise = Sample.creditCode()
        try await harness.registerEnterprise(enterprise)
        try await harness.run { client in
            let filed = try await client.file(Sample.caseJSON(respondent: enterprise))
            let id = filed.id
            let handler = Tokens.regulator("330106")
            harness.clock.set("2023-10-09")
            let accepted = try await client.transition(id, #"{"action":"accept"}"#, token: handler)
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(accepted.caseStatus == "accepted")
            let mediationDue = WorkingDayCalendar.china2023.addingWorkingDays(45, to: CalendarDate("2023-10-09")!)
            #expect(accepted.string("mediationDueOn") == mediationDue.description)
            #expect(accepted.string("dueDeadline") == "mediation")
            // Firm-first settlement is for enterprises enrolled in online dispute resolution.
            let notEnrolled = try await client.transition(id, #"{"action":"start-settlement"}"#, token: handler)
            #expect(notEnrolled.status == .conflict)
            #expect(notEnrolled.code == "respondent-not-enrolled-in-odr")
            #expect(notEnrolled.caseStatus != "settlement")
            let enrolled = try await client.send(.put, "/odr-enterprises/\(enterprise)", token: handler, json: "{}")
            #expect(enrolled.status == .ok, "\(enrolled.text)")
            let settlement = try await client.transition(id, #"{"action":"start-settlement"}"#, token: handler)
            #expect(settlement.caseStatus == "settlement", "\(settlement.text)")
            // 10 working days after Mon 9 Oct: 10–13, 16–20, 23 Oct.
            #expect(settlement.string("dueOn") == "2023-10-23")
            let mediation = try await client.transition(id, #"{"action":"start-mediation","mediator":"西湖区消费者协会"}"#, token: handler)
            #expect(mediation.caseStatus == "mediation")
            #expect(mediation.string("dueOn") == mediationDue.description)
            let agreed = try await client.transition(
                id, #"{"action":"record-agreement","agreement":"商家退货退款","compensation":86000}"#, token: handler)
            #expect(agreed.caseStatus == "mediated")
            #expect(agreed.string("outcome") == "mediated")
            let closed = try await client.transition(id, #"{"action":"close"}"#, token: handler)
            #expect(closed.caseStatus == "closed")
            #expect(closed.string("dueOn") == nil)
            let number = try #require(filed.string("caseNumber")), secret = try #require(filed.string("secret"))
            let header: HTTPFields = [CaseRoutes.secretHeader: secret]
            let rated = try await client.send(.post, "/public/cases/\(number)/rating", json: #"{"rating":4}"#, headers: header)
            #expect(rated.status == .ok, "\(rated.text)")
            #expect(rated.json["rating"] as? Int == 4)
            let reopened = try await client.send(.post, "/public/cases/\(number)/reopening", json: #"{"reason":"商家未按协议退款"}"#,
                                                 headers: header)
            #expect(reopened.status == .ok, "\(reopened.text)")
            #expect(reopened.caseStatus == "received")
            #expect(reopened.string("dueDeadline") == "acceptance")
            for type in [ComplaintAccepted.self, ComplaintSettlementStarted.self, ComplaintMediationStarted.self, ComplaintMediated.self,
                         ComplaintClosed.self, ComplaintReopened.self] as [any EventPayload.Type] {
                #expect(try await harness.events(type.eventType.name).map(\.key) == [id], "\(type.eventType.name)")
            }
            let mediated = try await harness.events(ComplaintMediated.eventType.name).first?.payload
            #expect(mediated?["compensation"] as? Int == 86000)
            #expect(mediated?["withinDeadline"] as? Bool == true)
        }
    }

    @Test func notAcceptingNeedsALegalReasonAndATransitionNotInTheTableChangesNothing() async throws {
        let harness = try await ComplaintsHarness.make()
        try await harness.run { client in
            let id = try await client.file(Sample.caseJSON()).id
            let handler = Tokens.regulator("330106")
            let missing = try await client.transition(id, #"{"action":"not-accept"}"#, token: handler)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.fields == ["reasonCode"])
            let badReason = try await client.transition(id, #"{"action":"not-accept","reasonCode":"bored","reason":"x"}"#, token: handler)
            #expect(badReason.fields == ["reasonCode"])
            let early = try await client.transition(id, #"{"action":"record-agreement","agreement":"x"}"#, token: handler)
            #expect(early.status == .conflict)
            #expect(early.code == "transition-not-allowed")
            let answer = try await client.transition(id, #"{"action":"answer","reason":"x"}"#, token: handler)
            #expect(answer.status == .conflict)
            let unknownRespondentSettlement = try await client.transition(id, #"{"action":"accept"}"#, token: handler)
            #expect(unknownRespondentSettlement.caseStatus == "accepted")
            let settlement = try await client.transition(id, #"{"action":"start-settlement"}"#, token: handler)
            #expect(settlement.code == "settlement-needs-known-respondent")
            #expect(try await harness.count("case_history") == 2)
            let other = try await client.file(Sample.caseJSON(facts: "另一件事"))
            let notAccepted = try await client.transition(
                other.id, #"{"action":"not-accept","reasonCode":"time-barred","reason":"知道权益受损已超过三年"}"#, token: handler)
            #expect(notAccepted.caseStatus == "not-accepted", "\(notAccepted.text)")
            #expect(notAccepted.string("notAcceptedReason") == "time-barred")
            let event = try #require(try await harness.events(ComplaintNotAccepted.eventType.name).first)
            #expect(event.payload["reasonCode"] as? String == "time-barred")
            let closed = try await client.transition(other.id, #"{"action":"close"}"#, token: handler)
            #expect(closed.string("outcome") == "not-accepted")
        }
    }

    @Test func aHandlerActsOnlyOnCasesRoutedToItsDivisionAndATransferMovesTheCase() async throws {
        let harness = try await ComplaintsHarness.make()
        try await harness.run { client in
            let id = try await client.file(Sample.caseJSON(county: "330106")).id
            let neighbour = Tokens.regulator("330108")
            let refused = try await client.transition(id, #"{"action":"accept"}"#, token: neighbour)
            #expect(refused.status == .notFound)
            #expect(refused.code == "case-not-found")
            #expect(try await client.send(.get, "/cases/\(id)", token: neighbour).status == .notFound)
            let list = try await client.send(.get, "/cases", token: neighbour)
            #expect((list.json["cases"] as? [Any])?.isEmpty == true)
            let official = try await client.transition(id, #"{"action":"accept"}"#, token: Tokens.region("330100"))
            #expect(official.status == .forbidden)
            #expect(try await harness.count("complaint_case WHERE status = 'received'") == 1)
            #expect(try await harness.count("case_history") == 1)
            let sameDivision = try await client.transition(id, #"{"action":"transfer","toDivision":"330106","reason":"x"}"#,
                                                           token: Tokens.regulator("330106"))
            #expect(sameDivision.code == "already-routed")
            let transferred = try await client.transition(
                id, #"{"action":"transfer","toDivision":"330108","reason":"被投诉方住所地在滨江区"}"#, token: Tokens.regulator("330100"))
            #expect(transferred.status == .ok, "\(transferred.text)")
            #expect(transferred.string("handlingDivision") == "330108")
            #expect(try await client.transition(id, #"{"action":"accept"}"#, token: Tokens.regulator("330106")).status == .notFound)
            #expect(try await client.transition(id, #"{"action":"accept"}"#, token: neighbour).caseStatus == "accepted")
            let event = try #require(try await harness.events(ComplaintTransferred.eventType.name).first)
            #expect(event.payload["fromDivision"] as? String == "330106")
            #expect(event.payload["toDivision"] as? String == "330108")
        }
    }

    @Test func aConsultationIsAnsweredAndClosedWithoutADeadline() async throws {
        let harness = try await ComplaintsHarness.make()
        try await harness.run { client in
            let filed = try await client.file(Sample.caseJSON(kind: "consultation", respondentName: nil,
                                                              facts: "三星级绿色建材能否享受补贴？", demands: nil))
            #expect(filed.status == .created, "\(filed.text)")
            #expect(filed.string("dueOn") == nil)
            let accept = try await client.transition(filed.id, #"{"action":"accept"}"#, token: Tokens.regulator("330106"))
            #expect(accept.code == "transition-not-allowed")
            let answered = try await client.transition(filed.id, #"{"action":"answer","reason":"可以，详见本地补贴方案"}"#,
                                                       token: Tokens.regulator("330106"))
            #expect(answered.caseStatus == "closed")
            #expect(answered.string("outcome") == "answered")
        }
    }

    @Test func aReportIsDecidedWithinFifteenWorkingDaysAndAnOpenedCaseAnnouncesTheCertificationViolation() async throws {
        let harness = try await ComplaintsHarness.make(today: "2023-09-27")
        let holder = Sample.creditCode()
        let certificate = "CGBM-T-" + UUID().uuidString.prefix(8).uppercased()
        try await harness.issue(certificate, holder: holder)
        try await harness.run { client in
            let filed = try await client.file(Sample.caseJSON(kind: "report", respondentName: nil, certificate: certificate,
                                                              facts: "标签上的绿色建材认证标识与证书不符", demands: nil))
            #expect(filed.status == .created, "\(filed.text)")
            #expect(filed.string("dueOn") == "2023-10-24")
            let received = try #require(try await harness.events(ReportReceived.eventType.name).first)
            #expect(received.payload["decisionDueOn"] as? String == "2023-10-24")
            #expect(received.payload["certificateKnown"] as? Bool == true)
            let opened = try await client.transition(
                filed.id, #"{"action":"open-case","reason":"抽检发现标识冒用","violationKind":"mark-misuse"}"#,
                token: Tokens.regulator("330106"))
            #expect(opened.status == .ok, "\(opened.text)")
            #expect(opened.caseStatus == "case-opened")
            #expect(try await harness.events(ReportCaseOpened.eventType.name).map(\.key) == [filed.id])
            let violation = try #require(try await harness.events(CertificationViolationReported.eventType.name).first)
            #expect(violation.key == filed.id)
            #expect(violation.payload["certificateNumber"] as? String == certificate)
            #expect(violation.payload["holderCreditCode"] as? String == holder)
        }
    }
}
