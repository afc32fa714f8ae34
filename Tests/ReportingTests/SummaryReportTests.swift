import Contracts
import Crypto
import Foundation
import HTTPTypes
import TestSupport
import Testing
@testable import Reporting

@Suite("Summary reports")
struct SummaryReportTests {
    @Test func aRegionGeneratesSubmitsAndCorrectsItsReportAndTheMinistryAcknowledges() async throws {
        let harness = try await ReportingHarness.make(today: "2023-11-20")
        let script = CampaignScript()
        try await harness.deliver(script.events)
        let official = Tokens.region(script.region)
        try await harness.run { client in
            let draft = try await client.send(.post, "/regions/\(script.region)/summary-reports", token: official,
                                              json: #"{"campaignYear":2023}"#)
            #expect(draft.status == .created, "\(draft.text)")
            #expect(draft.json["status"] as? String == "draft")
            let id = draft.json["id"] as? String ?? ""
            let document = draft.json["document"] as? [String: Any] ?? [:]
            let figures = document["figures"] as? [String: Any] ?? [:]
            #expect(figures["activitiesHeld"] as? Int == 2)
            #expect(figures["attendance"] as? Int == 200)
            #expect(figures["activitiesAtTownOrVillage"] as? Int == 1)
            #expect(figures["storesActive"] as? Int == 1)
            #expect(figures["certifiedProductsValid"] as? Int == 1)
            #expect(figures["subsidyPaid"] as? Int == 24_000)
            #expect((document["departments"] as? [[String: Any]])?.map { $0["department"] as? String }
                    == ["MIIT", "MOHURD", "MOFCOM", "SAMR", "MOA", "NRRA"])
            let again = try await client.send(.post, "/regions/\(script.region)/summary-reports", token: official,
                                              json: #"{"campaignYear":2023}"#)
            #expect(again.status == .conflict)
            #expect(again.code == "report-exists")
            let badYear = try await client.send(.post, "/regions/\(script.region)/summary-reports", token: official,
                                                json: #"{"campaignYear":2031}"#)
            #expect(badYear.fields == ["campaignYear"])

            let written = try await client.send(.put, "/summary-reports/\(id)/text", token: official, json: """
                {"experience":"县乡村三级联动","problems":"偏远村镇物流成本高","nextSteps":"扩大补贴范围","departments":{"MOHURD":"农房节能改造试点 12 个村","MOA":"农村改厕 300 户"}}
                """)
            #expect(written.status == .ok, "\(written.text)")
            let badText = try await client.send(.put, "/summary-reports/\(id)/text", token: official, json: #"{"departments":{"XYZ":"?"}}"#)
            #expect(badText.fields == ["departments.XYZ"])

            let submitted = try await client.send(.post, "/summary-reports/\(id)/submission", token: official)
            #expect(submitted.status == .ok, "\(submitted.text)")
            #expect(submitted.json["status"] as? String == "submitted")
            let hash = submitted.json["contentSHA256"] as? String
            let stored = try await harness.document(id, version: 1)
            #expect(hash == SHA256.hash(data: Array(stored.utf8)).map { String(format: "%02x", $0) }.joined())
            #expect(JSONSchemaValidator.validate(try JSONValue(parsing: Array(stored.utf8)), against: ReportSchema.document).isEmpty,
                    "the document is valid against its published schema")
            #expect(stored.contains("农房节能改造试点 12 个村"))

            let twice = try await client.send(.post, "/summary-reports/\(id)/submission", token: official)
            #expect(twice.status == .conflict)
            #expect(twice.code == "report-state")
            #expect(try await client.send(.put, "/summary-reports/\(id)/text", token: official, json: "{}").status == .conflict,
                    "a submitted report does not change silently")
            let other = try await client.send(.post, "/summary-reports/\(id)/submission", token: Tokens.region("110000"))
            #expect(other.status == .forbidden)

            let noReason = try await client.send(.post, "/summary-reports/\(id)/corrections", token: official, json: #"{"reason":" "}"#)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.fields == ["reason"])
            let corrected = try await client.send(.post, "/summary-reports/\(id)/corrections", token: official,
                                                  json: #"{"reason":"补录县级活动","text":{"experience":"修订"}}"#)
            #expect(corrected.status == .created, "\(corrected.text)")
            #expect(corrected.json["version"] as? Int == 2)
            #expect(corrected.json["status"] as? String == "submitted")
            let first = try await client.get("/summary-reports/\(id)?version=1", token: Tokens.promotionGroup())
            #expect(first.json["status"] as? String == "superseded")
            #expect(first.json["contentSHA256"] as? String == hash, "the first version is kept as it was")
            #expect(try await harness.document(id, version: 1) == stored)

            let acknowledged = try await client.send(.post, "/summary-reports/\(id)/acknowledgement", token: Tokens.ministry())
            #expect(acknowledged.json["status"] as? String == "acknowledged", "\(acknowledged.text)")
            #expect(try await client.send(.post, "/summary-reports/\(id)/acknowledgement", token: Tokens.ministry()).status == .conflict)
            #expect(try await client.send(.post, "/summary-reports/\(id)/acknowledgement", token: official).status == .forbidden)

            let schema = try await client.get("/summary-report-schema")
            #expect(schema.status == .ok)
            #expect(schema.json["$schema"] as? String == JSONSchema.draft202012)
        }
        let submittedEvents = try await harness.events(SummaryReportSubmitted.eventType.name)
        #expect(submittedEvents.count == 1)
        #expect(submittedEvents.first?["submittedBeforeDeadline"] as? Bool == true)
        #expect(submittedEvents.first?["activitiesHeld"] as? Int == 2)
        #expect(submittedEvents.first?["subsidyPaid"] as? Int == 12_000, "paid net of the clawback")
        let corrections = try await harness.events(SummaryReportCorrected.eventType.name)
        #expect(corrections.first?["reason"] as? String == "补录县级活动")
        #expect(corrections.first?["previousVersion"] as? Int == 1)
        #expect(try await harness.events(SummaryReportAcknowledged.eventType.name).first?["version"] as? Int == 2)
    }

    @Test func regionsThatHaveNotSubmittedBy30NovemberAreListedAndTheNationalRollUpSumsTheOthers() async throws {
        let harness = try await ReportingHarness.make(today: "2023-11-20")
        let onTime = CampaignScript(city: 1)
        let late = CampaignScript(city: 2)
        let silent = CampaignScript(city: 3)
        try await harness.deliver(onTime.events + late.events + silent.events)
        try await harness.run { client in
            for (script, day) in [(onTime, "2023-11-20"), (late, "2023-12-02")] {
                harness.clock.set(day)
                let draft = try await client.send(.post, "/regions/\(script.region)/summary-reports", token: Tokens.region(script.region),
                                                  json: #"{"campaignYear":2023}"#)
                let id = draft.json["id"] as? String ?? ""
                #expect(try await client.send(.post, "/summary-reports/\(id)/submission", token: Tokens.region(script.region)).status == .ok)
            }
            let outstanding = try await client.get("/campaigns/2023/outstanding-reports", token: Tokens.promotionGroup())
            #expect(outstanding.status == .ok, "\(outstanding.text)")
            let regions = outstanding.json["regions"] as? [[String: Any]] ?? []
            #expect(regions.map { $0["regionCode"] as? String } == [late.region, silent.region])
            #expect(regions.first?["submittedLateOn"] as? String == "2023-12-02")
            #expect(regions.last?["submittedLateOn"] == nil)

            let national = try await client.get("/campaigns/2023/national-report", token: Tokens.ministry())
            #expect(national.json["regionsSubmitted"] as? [String] == [onTime.region, late.region])
            #expect(national.json["pilotRegions"] as? Int == 3)
            #expect((national.json["figures"] as? [String: Any])?["attendance"] as? Int == 400)
            #expect(try await client.get("/campaigns/2023/national-report", token: Tokens.region(onTime.region)).status == .forbidden)
            #expect(try await client.get("/campaigns/1999/national-report", token: Tokens.ministry()).status == .unprocessableContent)
        }
        let events = try await harness.events(SummaryReportSubmitted.eventType.name)
        #expect(events.map { $0["submittedBeforeDeadline"] as? Bool } == [true, false])
    }

    /// Runs a poppler tool (`pdftotext`, `pdffonts`; deploy/local/infra.sh installs poppler-utils) on a PDF.
    private func poppler(_ tool: String, _ pdf: [UInt8]) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("report") + ".pdf")
        try Data(pdf).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await runProgram(URL(fileURLWithPath: "/usr/bin/\(tool)"),
                                       tool == "pdftotext" ? ["-enc", "UTF-8", file.path, "-"] : [file.path])
        #expect(run.status == 0, "\(tool): \(run.errors)")
        return run.output
    }

    @Test func theReportPrintsAsHTMLAndAsAPDFWithItsChineseTextFiguresAndCharts() async throws {
        let harness = try await ReportingHarness.make(today: "2023-11-20")
        let script = CampaignScript()
        try await harness.deliver(script.events)
        let official = Tokens.region(script.region)
        try await harness.run { client in
            let draft = try await client.send(.post, "/regions/\(script.region)/summary-reports", token: official,
                                              json: #"{"campaignYear":2023}"#)
            let id = draft.id
            _ = try await client.send(.put, "/summary-reports/\(id)/text", token: official, json: """
                {"experience":"县乡村三级联动<script>alert(1)</script>","departments":{"MOA":"农村改厕 300 户"}}
                """)
            let submitted = try await client.send(.post, "/summary-reports/\(id)/submission", token: official)
            let hash = submitted.string("contentSHA256") ?? "?"

            // The document's figures are the projections' figures.
            let overview = try await client.get("/overview?regionCode=\(script.region)&on=2023-11-20", token: Tokens.ministry())
            let handling = overview.json["complaintHandling"] as? [String: Any] ?? [:]
            let figures = (submitted.json["document"] as? [String: Any])?["figures"] as? [String: Any] ?? [:]
            #expect(figures["complaintsReceived"] as? Int == handling["received"] as? Int)
            #expect(figures["complaintsHandled"] as? Int == handling["handled"] as? Int)
            #expect(figures["complaintHandlingWorkingDays"] as? Int == handling["handlingWorkingDays"] as? Int)
            #expect(figures["complaintsMediated"] as? Int == 1)
            #expect(figures["complaintDeadlineBreaches"] as? Int == 1)
            let monthly = (submitted.json["document"] as? [String: Any])?["monthly"] as? [String: Any] ?? [:]
            #expect((monthly["months"] as? [String])?.count == 11, "January to November")
            #expect((monthly["activitiesHeld"] as? [Int])?[4] == 1, "one activity held in May")
            #expect((monthly["complaintsReceived"] as? [Int])?[9] == 2, "a complaint and a report in October")

            let html = try await client.get("/summary-reports/\(id)/html", token: Tokens.promotionGroup())
            #expect(html.status == .ok, "\(html.text)")
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(html.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'none'") == true)
            #expect(html.text.contains("试点城市绿色建材下乡活动2023年度总结报告"))
            #expect(html.text.contains("报送：工业和信息化部、住房和城乡建设部、农业农村部、商务部、国家市场监督管理总局、国家乡村振兴局"))
            #expect(html.text.contains("<td>已发放补贴（元）</td><td class=\"n\">240.00</td>"), "fen shown as yuan")
            #expect(html.text.contains("<td>平均办理用时（工作日）</td><td class=\"n\">9.00</td>"))
            #expect(html.text.contains("<td>调解成功率</td><td class=\"n\">50%</td>"))
            #expect(html.text.contains(hash))
            #expect(html.text.contains("<h3>国家市场监督管理总局：加强绿色建材产品认证监管，受理处理消费者投诉</h3>"))
            #expect(html.text.contains("<svg"), "the monthly charts")
            #expect(html.text.contains("&lt;script&gt;") && !html.text.contains("<script>"), "the region's text is escaped")

            let pdf = try await client.get("/summary-reports/\(id)/pdf", token: official)
            #expect(pdf.status == .ok, "\(pdf.text)")
            #expect(pdf.headers[.contentType] == "application/pdf")
            #expect(pdf.bytes.starts(with: Array("%PDF-".utf8)))
            let text = try await poppler("pdftotext", pdf.bytes)
            for expected in ["试点城市绿色建材下乡活动2023年度总结报告", "国家市场监督管理总局", "已发放补贴（元）", "240.00",
                             "农村改厕 300 户", "县乡村三级联动", "第 1 版（已报送）"] {
                #expect(text.contains(expected), "the PDF reads back \(expected)")
            }
            let fonts = try await poppler("pdffonts", pdf.bytes)
            let rows = fonts.split(separator: "\n").dropFirst(2)
            // name, type, encoding, then emb, sub, uni, object, generation: `emb` is the fifth column from the end.
            let embedded = rows.map { row in row.split(separator: " ", omittingEmptySubsequences: true).reversed().dropFirst(4).first == "yes" }
            #expect(!rows.isEmpty && embedded.allSatisfy { $0 }, "every font is embedded:\n\(fonts)")

            #expect(try await client.get("/summary-reports/\(id)/pdf", token: Tokens.region("110000")).status == .forbidden)
            #expect(try await client.get("/summary-reports/\(id)/html?version=0", token: official).fields == ["version"])
            #expect(try await client.get("/summary-reports/\(UUID())/pdf", token: official).status == .notFound)
        }
    }
}
