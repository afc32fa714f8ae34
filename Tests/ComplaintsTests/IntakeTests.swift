import Contracts
import Crypto
import Foundation
import HTTPTypes
import Testing
@testable import Complaints

@Suite("Complaint intake", .serialized)
struct IntakeTests {
    @Test func complaintIsRoutedToItsCountyWithAnAcceptanceDeadlineAcrossTheNationalHoliday() async throws {
        let harness = try await ComplaintsHarness.make(today: "2023-09-27")
        try await harness.run { client in
            let phone = Sample.phone()
            let idNumber = Sample.idNumber()
            let filed = try await client.file(Sample.caseJSON(phone: phone, idNumber: idNumber))
            #expect(filed.status == .created, "\(filed.text)")
            // 7 working days after Wed 27 Sep: 28 Sep, the make-up Sat 7 and Sun 8 Oct, 9–12 Oct (29 Sep–6 Oct off).
            #expect(filed.string("dueOn") == "2023-10-12")
            #expect(filed.string("handlingDivision") == "330106")
            #expect(filed.string("caseNumber")?.hasPrefix("TS20230927") == true)
            #expect((filed.json["flags"] as? [String]) == ["unknown-respondent"])
            let received = try await harness.events(ComplaintReceived.eventType.name)
            #expect(received.count == 1)
            #expect(received.first?.key == filed.id)
            #expect(received.first?.payload["consumerRef"] as? String != nil)
            #expect(received.first?.payload["respondentKnown"] as? Bool == false)
            let events = try await harness.allEventText()
            #expect(!events.contains(phone) && !events.contains(idNumber) && !events.contains("王小明"))
            let view = try await client.send(.get, "/cases/\(filed.id)", token: Tokens.regulator("330106"))
            #expect(view.status == .ok, "\(view.text)")
            #expect(view.string("complainantNameMasked") == "王**")
            #expect(view.string("complainantPhoneMasked") == PersonalDataMask.phone(phone))
            #expect(!view.text.contains(phone) && !view.text.contains(idNumber))
        }
    }

    @Test func aReceiptOnTheLastHolidayCountsTheMakeUpWorkingSaturday() async throws {
        let harness = try await ComplaintsHarness.make(today: "2023-10-06")
        try await harness.run { client in
            let filed = try await client.file(Sample.caseJSON())
            #expect(filed.status == .created, "\(filed.text)")
            // Sat 7 and Sun 8 Oct are working days: 7, 8, 9, 10, 11, 12, 13 Oct.
            #expect(filed.string("dueOn") == "2023-10-13")
        }
    }

    @Test func aComplaintWithoutRespondentOrDemandsIsRefusedNamingTheFieldsAndNothingIsStored() async throws {
        let harness = try await ComplaintsHarness.make()
        try await harness.run { client in
            let refused = try await client.file(Sample.caseJSON(respondentName: nil, demands: nil))
            #expect(refused.status == .unprocessableContent)
            #expect(Set(refused.fields) == ["respondentName", "demands"])
            let bad = try await client.file(Sample.caseJSON(
                region: "330100", county: "320102", respondent: Sample.invalidCreditCode(), phone: "12",
                idNumber: Sample.invalidIDNumber()))
            #expect(bad.status == .unprocessableContent)
            #expect(Set(bad.fields).isSuperset(of: ["countyCode", "respondentCreditCode", "complainantPhone", "complainantIDNumber"]), "\(bad.text)")
            let unknownRegion = try await client.file(Sample.caseJSON(region: "440100", county: nil))
            #expect(unknownRegion.status == .unprocessableContent)
            #expect(unknownRegion.code == "region-not-approved")
            #expect(try await harness.count("complaint_case") == 0)
            #expect(try await harness.count("outbox") == 0)
        }
    }

    @Test func onlyOfficialsFileForOtherChannelsAndPlatformsThroughTheirOwn() async throws {
        let harness = try await ComplaintsHarness.make()
        try await harness.run { client in
            let anonymousHotline = try await client.file(Sample.caseJSON(channel: "hotline-operator"))
            #expect(anonymousHotline.status == .forbidden)
            #expect(anonymousHotline.code == "channel-not-allowed")
            let platform = Sample.creditCode()
            let byPlatform = try await client.file(Sample.caseJSON(channel: "ecommerce-platform"), token: Tokens.enterprise(platform))
            #expect(byPlatform.status == .created, "\(byPlatform.text)")
            let operatorCall = try await client.file(Sample.caseJSON(channel: "handover-12315"), token: Tokens.regulator("330100"))
            #expect(operatorCall.status == .created, "\(operatorCall.text)")
            #expect(try await harness.count("complaint_case") == 2)
        }
    }

    @Test func attachmentsAreCheckedForSizeTypeAndChecksumAndStoredWithTheirSHA256() async throws {
        let harness = try await ComplaintsHarness.make { $0.attachmentMaxBytes = 1_000 }
        try await harness.run { client in
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 100))
            let digest = "9f1a2c4b1f23a4ff84f5e2f5d8bc6c4f0c1b8a2e2b0a83b3d2d2b1f8d7c6e5a4"
            let tooLarge = Data([0x89, 0x50, 0x4E, 0x47] + Array(repeating: 1, count: 2_000)).base64EncodedString()
            let refused = try await client.file(Sample.caseJSON(extra: """
                ,"attachments":[{"fileName":"a.png","mediaType":"image/png","content":"\(tooLarge)"},
                {"fileName":"b.exe","mediaType":"application/x-msdownload","content":"TVqQ"},
                {"fileName":"c.png","mediaType":"image/png","content":"\(png.base64EncodedString())","sha256":"\(digest)"}]
                """))
            #expect(refused.status == .unprocessableContent)
            #expect(Set(refused.fields) == ["attachments[0].content", "attachments[1].mediaType", "attachments[2].sha256"], "\(refused.text)")
            let disguised = try await client.file(Sample.caseJSON(extra: """
                ,"attachments":[{"fileName":"d.jpg","mediaType":"image/jpeg","content":"\(png.base64EncodedString())"}]
                """))
            #expect(disguised.fields == ["attachments[0].content"])
            #expect(try await harness.count("complaint_case") == 0)
            let accepted = try await client.file(Sample.caseJSON(extra: """
                ,"attachments":[{"fileName":"invoice.png","mediaType":"image/png","content":"\(png.base64EncodedString())"}]
                """))
            #expect(accepted.status == .created, "\(accepted.text)")
            let view = try await client.send(.get, "/cases/\(accepted.id)", token: Tokens.samr())
            let attachment = try #require((view.json["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["sizeBytes"] as? Int == png.count)
            #expect(attachment["sha256"] as? String == SHA256Hex.of(png))
            #expect(try await harness.count("case_attachment WHERE octet_length(content) = \(png.count)") == 1)
        }
    }

    @Test func knownRespondentsAndCertificatesAreNotFlaggedUnknownOnesAreAcceptedButFlagged() async throws {
        let harness = try await ComplaintsHarness.make()
        let enterprise = Sample.creditCode()
        let certificate = "CGBM-T-" + UUID().uuidString.prefix(8).uppercased()
        try await harness.registerEnterprise(enterprise)
        try await harness.issue(certificate, holder: enterprise)
        try await harness.run { client in
            let known = try await client.file(Sample.caseJSON(respondent: enterprise, certificate: certificate))
            #expect(known.status == .created, "\(known.text)")
            #expect((known.json["flags"] as? [String]) == [])
            let unknown = try await client.file(Sample.caseJSON(respondent: Sample.creditCode(), certificate: "CGBM-T-UNKNOWN1"))
            #expect(unknown.status == .created)
            #expect(Set(unknown.json["flags"] as? [String] ?? []) == ["unknown-respondent", "unknown-certificate"])
        }
    }

    @Test func theSameComplaintTwiceIsLinkedAsADuplicateAndCountedOnce() async throws {
        let harness = try await ComplaintsHarness.make()
        let enterprise = Sample.creditCode()
        try await harness.run { client in
            let phone = Sample.phone()
            let first = try await client.file(Sample.caseJSON(respondent: enterprise, phone: phone))
            let again = try await client.file(Sample.caseJSON(respondent: enterprise, phone: phone,
                                                              facts: "购买的保温板标称三星级绿色建材， 实际无认证标识。"))
            let other = try await client.file(Sample.caseJSON(respondent: enterprise, facts: "安装后开裂"))
            #expect(again.string("duplicateOf") == first.id)
            #expect(first.string("duplicateOf") == nil && other.string("duplicateOf") == nil)
            let statistics = try await client.send(.get, "/statistics/respondents?respondent=\(enterprise)", token: Tokens.regulator("330100"))
            #expect(statistics.status == .ok, "\(statistics.text)")
            let row = try #require((statistics.json["respondents"] as? [[String: Any]])?.first)
            #expect(row["cases"] as? Int == 2)
            #expect(row["duplicates"] as? Int == 1)
            #expect(row["amountInDispute"] as? Int == 172_000)
        }
    }

    @Test func theComplainantFollowsTheCaseByNumberAndSecretOnly() async throws {
        let harness = try await ComplaintsHarness.make()
        try await harness.run { client in
            let filed = try await client.file(Sample.caseJSON())
            let number = try #require(filed.string("caseNumber"))
            let secret = try #require(filed.string("secret"))
            let seen = try await client.send(.get, "/public/cases/\(number)", headers: [CaseRoutes.secretHeader: secret])
            #expect(seen.status == .ok, "\(seen.text)")
            #expect(seen.caseStatus == "received")
            #expect(!seen.text.contains("王") && !seen.text.contains("facts"))
            let wrong = try await client.send(.get, "/public/cases/\(number)", headers: [CaseRoutes.secretHeader: "nope"])
            #expect(wrong.status == .notFound)
            let none = try await client.send(.get, "/public/cases/\(number)")
            #expect(none.status == .notFound)
        }
    }

    /// The intake step's actor is a role of the documented `actorRole` enum: the filer's, a consumer without a token.
    @Test func theIntakeStepRecordsTheFilersRole() async throws {
        let harness = try await ComplaintsHarness.make()
        try await harness.run { client in
            let anonymous = try await client.file(Sample.caseJSON())
            let byOperator = try await client.file(Sample.caseJSON(channel: "hotline-operator"), token: Tokens.regulator("330100"))
            let byPlatform = try await client.file(Sample.caseJSON(channel: "ecommerce-platform"), token: Tokens.enterprise(Sample.creditCode()))
            for (filed, role) in [(anonymous, "consumer"), (byOperator, "market-regulator"), (byPlatform, "enterprise")] {
                #expect(filed.status == .created, "\(filed.text)")
                let view = try await client.send(.get, "/cases/\(filed.id)", token: Tokens.samr())
                #expect((view.json["history"] as? [[String: Any]])?.first?["actorRole"] as? String == role, "\(view.text)")
            }
        }
    }
}

/// Helpers that mirror what the service does, for expectations.
enum PersonalDataMask {
    static func phone(_ value: String) -> String { String(value.prefix(3)) + "****" + String(value.suffix(4)) }
}

enum SHA256Hex {
    static func of(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
