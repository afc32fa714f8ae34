import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceHost
import ServiceKit
import ServiceTestSupport
import TestSupport
import Testing
@testable import Complaints

extension Reply {
    /// A GeoReport answer that is a JSON array of objects.
    var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]) ?? [] }
    /// An Open311 error's descriptions.
    var descriptions: [String] { array.compactMap { $0["description"] as? String } }
}

extension ServiceClient {
    /// An Open311 filing: `fields` form-encoded as GeoReport v2 clients send them.
    func open311File(_ fields: [(String, String)], contentType: String = "application/x-www-form-urlencoded") async throws -> Reply {
        try await send(.post, "/open311/v2/requests.json", text: Open311Form.encode(fields), contentType: contentType)
    }
}

enum Open311Form {
    static let key = "civic-app-key-5b7e2c0a9d41f36e8a2b"

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { key, value in
            key.addingPercentEncoding(withAllowedCharacters: allowed)! + "=" + value.addingPercentEncoding(withAllowedCharacters: allowed)!
        }.joined(separator: "&")
    }

    /// A complaint's form; `replacing` sets (or, with nil, removes) fields.
    static func complaint(
        code: String = "complaint", phone: String = Sample.phone(), description: String = "购买的保温板标称三星级绿色建材，实际无认证标识",
        replacing: [String: String?] = [:]
    ) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("api_key", key), ("service_code", code), ("first_name", "小明"), ("last_name", "王"), ("phone", phone),
            ("email", "wang@example.cn"), ("description", description), ("address_string", "杭州市西湖区文三路1号"),
            ("lat", "30.2741"), ("long", "120.1551"),
            ("attribute[regionCode]", "330100"), ("attribute[countyCode]", "330106"), ("attribute[category]", "false-green-claim"),
            ("attribute[respondentName]", "西湖建材城某店"), ("attribute[amountInDispute]", "86000"),
            ("attribute[purchasedOn]", "2023-09-01"), ("attribute[demands]", "退货退款"),
        ]
        for (name, value) in replacing {
            if let index = fields.firstIndex(where: { $0.0 == name }) {
                if let value { fields[index].1 = value } else { fields.remove(at: index) }
            } else if let value {
                fields.append((name, value))
            }
        }
        return fields
    }
}

@Suite("Open311 GeoReport v2 facade", .serialized)
struct Open311Tests {
    static func harness(today: String = "2023-09-27", keys: Open311APIKeys = Open311APIKeys(keys: ["civic-app": Open311Form.key]))
        async throws -> ComplaintsHarness {
        try await ComplaintsHarness.make(today: today) { $0.open311APIKeys = keys }
    }

    @Test func listsOneServicePerKindAndDefinesEachWithTheAttributesTheIntakeNeeds() async throws {
        let harness = try await Self.harness()
        try await harness.run { client in
            let services = try await client.get("/open311/v2/services.json?jurisdiction_id=gbm")
            #expect(services.status == .ok)
            #expect(services.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(services.array.map { $0["service_code"] as? String } == ["consultation", "complaint", "report"])
            #expect(services.array.allSatisfy { $0["metadata"] as? Bool == true && $0["type"] as? String == "realtime" })
            #expect(services.array.allSatisfy { ($0["service_name"] as? String)?.isEmpty == false && $0["group"] is String
                && $0["keywords"] is String && $0["description"] is String })

            let definition = try await client.get("/open311/v2/services/complaint.json")
            #expect(definition.status == .ok, "\(definition.text)")
            #expect(definition.json["service_code"] as? String == "complaint")
            let attributes = try #require(definition.json["attributes"] as? [[String: Any]])
            #expect(attributes.map { $0["code"] as? String } == [
                "regionCode", "countyCode", "category", "respondentCreditCode", "respondentName", "certificateNumber",
                "purchasedOn", "amountInDispute", "claimID", "demands"])
            #expect(attributes.map { $0["order"] as? Int } == Array(1...10))
            #expect(attributes.allSatisfy { $0["variable"] as? Bool == true && $0["datatype_description"] is String && $0["description"] is String })
            let byCode = Dictionary(uniqueKeysWithValues: attributes.map { ($0["code"] as! String, $0) })
            #expect(byCode["regionCode"]?["required"] as? Bool == true)
            #expect(byCode["countyCode"]?["required"] as? Bool == false)
            #expect(byCode["amountInDispute"]?["datatype"] as? String == "number")
            #expect(byCode["category"]?["datatype"] as? String == "singlevaluelist")
            let values = byCode["category"]?["values"] as? [[String: String]] ?? []
            #expect(values.map { $0["key"] } == ComplaintCategory.allCases.map(\.rawValue))
            #expect(values.allSatisfy { $0["name"]?.isEmpty == false })
            #expect(byCode["regionCode"]?["values"] == nil)

            let unknown = try await client.get("/open311/v2/services/pothole.json")
            #expect(unknown.status == .notFound)
            #expect(unknown.array.first?["code"] as? Int == 404)
            #expect(unknown.descriptions.first?.hasPrefix("service_code:") == true, "\(unknown.text)")
        }
    }

    @Test func aFilingWithAKeyBecomesANativeCaseItsComplainantFollowsWithTheNumberAndTheSecretItWasToldOnce() async throws {
        let harness = try await Self.harness()
        try await harness.run { client in
            let phone = Sample.phone()
            let filed = try await client.open311File(Open311Form.complaint(phone: phone))
            #expect(filed.status == .created, "\(filed.text)")
            let receipt = try #require(filed.array.first)
            #expect(filed.array.count == 1)
            let number = try #require(receipt["service_request_id"] as? String)
            #expect(number.hasPrefix("TS20230927"))
            #expect(receipt["account_id"] is NSNull && receipt["token"] is NSNull)
            let notice = try #require(receipt["service_notice"] as? String)
            let secret = try #require(notice.firstMatch(of: /Case-Secret: ([0-9A-Za-z]{20})/)?.1).description
            #expect(notice.contains("330106") && notice.contains("2023-10-12"), "\(notice)")

            // Stored as any native filing: channel open311, the submitter recorded, routed to the county, flagged.
            let list = try await client.get("/cases?regionCode=330100", token: Tokens.regulator("330106"))
            let native = try #require((list.json["cases"] as? [[String: Any]])?.first { $0["caseNumber"] as? String == number })
            #expect(native["channel"] as? String == "open311")
            #expect(native["kind"] as? String == "complaint")
            #expect(native["category"] as? String == "false-green-claim")
            #expect(native["handlingDivision"] as? String == "330106")
            #expect(native["complainantNameMasked"] as? String == "王**")
            #expect(native["respondentName"] as? String == "西湖建材城某店")
            #expect(native["amountInDispute"] as? Int == 86000)
            #expect(native["demands"] as? String == "退货退款")
            #expect(native["dueOn"] as? String == "2023-10-12")
            #expect((native["facts"] as? String)?.hasPrefix("购买的保温板标称三星级绿色建材，实际无认证标识\n\n地点 Location: 杭州市西湖区文三路1号 (30.2741, 120.1551)") == true,
                    "\(native["facts"] ?? "")")
            #expect(try await harness.count("complaint_case WHERE case_number = '\(number)' AND submitted_by = 'open311:civic-app'") == 1)
            // The complainant filed it (through an app): the history's actor is a role the documented enum has.
            let view = try await client.get("/cases/\(try #require(native["id"] as? String))", token: Tokens.samr())
            #expect((view.json["history"] as? [[String: Any]])?.map { $0["actorRole"] as? String } == ["consumer"], "\(view.text)")
            let received = try await harness.events(ComplaintReceived.eventType.name)
            #expect(received.map { $0.payload["channel"] as? String } == ["open311"])
            let events = try await harness.allEventText()
            #expect(!events.contains(phone) && !events.contains("王小明") && !events.contains(secret))

            // The complainant's native view with the number and the secret; the secret is in no public answer.
            let status = try await client.get("/public/cases/\(number)", headers: [CaseRoutes.secretHeader: secret])
            #expect(status.status == .ok, "\(status.text)")
            #expect(status.caseStatus == "received")
            let open311 = try await client.get("/open311/v2/requests/\(number).json")
            let listed = try await client.get("/open311/v2/requests.json")
            #expect(!open311.text.contains(secret) && !listed.text.contains(secret))
        }
    }

    @Test func withoutARegisteredKeyFilingIsRefused403AndNothingIsStored() async throws {
        let harness = try await Self.harness()
        try await harness.run { client in
            let missing = try await client.open311File(Open311Form.complaint(replacing: ["api_key": nil]))
            #expect(missing.status == .forbidden)
            #expect(missing.array.first?["code"] as? Int == 403)
            #expect(missing.descriptions.first?.hasPrefix("api_key:") == true, "\(missing.text)")
            let unknown = try await client.open311File(Open311Form.complaint(replacing: ["api_key": "civic-app-key-5b7e2c0a9d41f36e8a2c"]))
            #expect(unknown.status == .forbidden)
            #expect(unknown.descriptions == ["api_key: is not the key of a registered submitter"])
            // A bad key is refused before the fields are looked at.
            let both = try await client.open311File(Open311Form.complaint(replacing: ["api_key": "x", "description": nil]))
            #expect(both.status == .forbidden)
            #expect(try await harness.count("complaint_case") == 0)
            #expect(try await harness.count("outbox") == 0)
        }
        let closed = try await Self.harness(keys: .none)
        try await closed.run { client in
            let refused = try await client.open311File(Open311Form.complaint())
            #expect(refused.status == .forbidden)
            #expect(refused.descriptions.first?.contains("no submitter keys configured") == true, "\(refused.text)")
            #expect(try await closed.count("complaint_case") == 0)
        }
    }

    @Test func badFieldsAre400NamingEachFieldAsTheClientNamedItAndNothingIsStored() async throws {
        let harness = try await Self.harness()
        try await harness.run { client in
            let bad = try await client.open311File(Open311Form.complaint(replacing: [
                "attribute[regionCode]": "999999", "description": nil, "phone": "12", "attribute[amountInDispute]": "86.5",
                "attribute[colour]": "red", "lat": "1e3",
            ]))
            #expect(bad.status == .badRequest, "\(bad.text)")
            #expect(bad.array.allSatisfy { $0["code"] as? Int == 400 })
            let fields = Set(bad.descriptions.map { String($0.prefix { $0 != ":" }) })
            #expect(fields == ["attribute[regionCode]", "description", "phone", "attribute[amountInDispute]", "attribute[colour]", "lat"],
                    "\(bad.text)")
            let missing = try await client.open311File(Open311Form.complaint(replacing: [
                "attribute[regionCode]": nil, "attribute[category]": nil, "attribute[demands]": nil, "attribute[respondentName]": nil,
            ]))
            #expect(missing.status == .badRequest)
            #expect(missing.descriptions.contains("attribute[regionCode]: is required"), "\(missing.text)")
            #expect(missing.descriptions.contains("attribute[category]: is required"))
            #expect(missing.descriptions.contains("attribute[demands]: is required"))
            #expect(missing.descriptions.contains { $0.hasPrefix("attribute[respondentName]: a complaint must name") })
            #expect(missing.descriptions.count == 4, "each field once: \(missing.text)")
            let unknownService = try await client.open311File(Open311Form.complaint(code: "pothole"))
            #expect(unknownService.status == .badRequest)
            #expect(unknownService.descriptions.first?.hasPrefix("service_code: must be one of consultation, complaint, report") == true)
            let notPilot = try await client.open311File(Open311Form.complaint(replacing: ["attribute[regionCode]": "440100", "attribute[countyCode]": nil]))
            #expect(notPilot.status == .badRequest)
            #expect(notPilot.descriptions == ["attribute[regionCode]: is not an approved pilot region"])
            let twice = try await client.send(.post, "/open311/v2/requests.json",
                                               text: Open311Form.encode(Open311Form.complaint()) + "&phone=13900000000",
                                               contentType: "application/x-www-form-urlencoded")
            #expect(twice.status == .badRequest)
            #expect(twice.descriptions == ["phone: is given more than once"])
            let malformed = try await client.send(.post, "/open311/v2/requests.json", text: "api_key=%zz", contentType: "application/x-www-form-urlencoded")
            #expect(malformed.status == .badRequest)
            let json = try await client.send(.post, "/open311/v2/requests.json", json: #"{"api_key":"x"}"#)
            #expect(json.status == .unsupportedMediaType)
            #expect(json.descriptions.first?.hasPrefix("Content-Type:") == true)
            let huge = try await client.open311File(Open311Form.complaint(description: String(repeating: "长", count: 100_000)))
            #expect(huge.status == .contentTooLarge)
            #expect(huge.array.first?["code"] as? Int == 413)
            #expect(try await harness.count("complaint_case") == 0)
            #expect(try await harness.count("outbox") == 0)
        }
    }

    @Test func requestsAreListedNewestFirstFilteredByIDServiceStatusAndDateAndPaged() async throws {
        let harness = try await Self.harness(today: "2023-09-25")
        try await harness.run { client in
            var numbers: [String: String] = [:]
            for (day, code) in [("2023-09-25", "consultation"), ("2023-09-26", "complaint"), ("2023-09-27", "report"), ("2023-09-28", "complaint")] {
                harness.clock.set(day)
                var replacing: [String: String?] = ["description": "\(code) filed on \(day)"]
                if code == "report" { replacing["attribute[demands]"] = nil }
                if code == "consultation" { replacing["attribute[demands]"] = nil; replacing["attribute[respondentName]"] = nil }
                let filed = try await client.open311File(Open311Form.complaint(code: code, replacing: replacing))
                #expect(filed.status == .created, "\(filed.text)")
                numbers[day] = filed.array.first?["service_request_id"] as? String
            }
            // The handler does not accept the complaint of the 26th: not-accepted is an outcome, so it is closed.
            let cases = try await client.get("/cases", token: Tokens.samr())
            let id = try #require((cases.json["cases"] as? [[String: Any]])?.first { $0["caseNumber"] as? String == numbers["2023-09-26"] }?["id"] as? String)
            let refused = try await client.transition(id, #"{"action":"not-accept","reasonCode":"time-barred","reason":"超过三年"}"#,
                                                      token: Tokens.regulator("330106"))
            #expect(refused.status == .ok, "\(refused.text)")

            func ids(_ query: String) async throws -> [String] {
                let reply = try await client.get("/open311/v2/requests.json" + query)
                #expect(reply.status == .ok, "\(query): \(reply.text)")
                return reply.array.compactMap { $0["service_request_id"] as? String }
            }
            let all = ["2023-09-28", "2023-09-27", "2023-09-26", "2023-09-25"].map { numbers[$0]! }
            #expect(try await ids("") == all)
            #expect(try await ids("?status=closed") == [numbers["2023-09-26"]!])
            #expect(try await ids("?status=open") == all.filter { $0 != numbers["2023-09-26"] })
            #expect(try await ids("?status=open,closed") == all)
            #expect(try await ids("?service_code=complaint") == [numbers["2023-09-28"]!, numbers["2023-09-26"]!])
            #expect(try await ids("?service_code=report,consultation") == [numbers["2023-09-27"]!, numbers["2023-09-25"]!])
            #expect(try await ids("?start_date=2023-09-26T00:00:00%2B08:00&end_date=2023-09-27T23:59:59%2B08:00") == Array(all[1...2]))
            #expect(try await ids("?start_date=2023-09-27T00:00:00Z") == Array(all[0...1]))
            #expect(try await ids("?page_size=3") == Array(all[0...2]))
            #expect(try await ids("?page_size=3&page=2") == [all[3]])
            #expect(try await ids("?page_size=3&page=3") == [])
            #expect(try await ids("?service_request_id=\(all[3]),\(all[0]),TS20990101000001&status=closed") == [all[0], all[3]])

            let first = try await client.get("/open311/v2/requests.json?service_code=complaint&status=closed")
            let closed = try #require(first.array.first)
            #expect(closed["status"] as? String == "closed")
            #expect((closed["status_notes"] as? String)?.contains("not accepted") == true)
            #expect(closed["expected_datetime"] == nil)
            let open = try #require(try await client.get("/open311/v2/requests.json?service_code=report").array.first)
            // A report's decision: 15 working days after Wed 27 Sep (the national-day holiday in between).
            #expect(open["expected_datetime"] as? String == "2023-10-24T23:59:59+08:00", "\(open)")
            #expect(open["agency_responsible"] as? String == "市场监督管理部门 market regulator of division 330106")
            #expect(open["service_name"] as? String == "举报 Report")
            #expect((open["requested_datetime"] as? String).flatMap(InternetDateTime.date(from:)) == TestClock.noon("2023-09-27"))
            #expect(open["updated_datetime"] is String)

            for (query, field) in [("status=pending", "status"), ("service_code=pothole", "service_code"), ("page=0", "page"),
                                   ("page_size=101", "page_size"), ("page_size=abc", "page_size"), ("start_date=2023-09-26", "start_date"),
                                   ("end_date=yesterday", "end_date"), ("service_request_id=42", "service_request_id"),
                                   ("start_date=2023-09-28T00:00:00Z&end_date=2023-09-27T00:00:00Z", "end_date")] {
                let reply = try await client.get("/open311/v2/requests.json?" + query)
                #expect(reply.status == .badRequest, "\(query): \(reply.text)")
                #expect(reply.descriptions.first?.hasPrefix(field + ":") == true, "\(query): \(reply.text)")
            }
        }
    }

    @Test func oneRequestIsAOneElementArrayAndAnUnknownOneIs404() async throws {
        let harness = try await Self.harness()
        try await harness.run { client in
            let filed = try await client.open311File(Open311Form.complaint())
            let number = try #require(filed.array.first?["service_request_id"] as? String)
            let one = try await client.get("/open311/v2/requests/\(number).json")
            #expect(one.status == .ok)
            #expect(one.array.count == 1)
            #expect(one.array.first?["service_request_id"] as? String == number)
            #expect(one.array.first?["status"] as? String == "open")
            #expect(one.array.first?["service_code"] as? String == "complaint")
            #expect(one.array.first?["expected_datetime"] as? String == "2023-10-12T23:59:59+08:00")
            for unknown in ["TS20990101000001", "42", "TS2023"] {
                let reply = try await client.get("/open311/v2/requests/\(unknown).json")
                #expect(reply.status == .notFound, "\(unknown)")
                #expect(reply.array.first?["code"] as? Int == 404)
                #expect(reply.descriptions.first?.hasPrefix("service_request_id:") == true)
            }
        }
    }

    @Test func noPublicAnswerCarriesPersonalDataOrWhatTheComplainantTyped() async throws {
        let harness = try await Self.harness()
        try await harness.run { client in
            let phone = Sample.phone()
            let id = Sample.idNumber()
            let filed = try await client.open311File(Open311Form.complaint(phone: phone, description: "邻居推荐的店铺出售假冒认证板材"))
            #expect(filed.status == .created)
            let number = try #require(filed.array.first?["service_request_id"] as? String)
            // A native filing with an ID number is listed too, and as bare.
            let native = try await client.file(Sample.caseJSON(phone: phone, idNumber: id))
            #expect(native.status == .created)
            let answers = [
                try await client.get("/open311/v2/requests.json"),
                try await client.get("/open311/v2/requests.json?service_request_id=\(number),\(native.string("caseNumber") ?? "")"),
                try await client.get("/open311/v2/requests/\(number).json"),
            ]
            for answer in answers {
                #expect(answer.status == .ok)
                for personal in [phone, id, "王", "小明", "wang@example.cn", "邻居推荐", "文三路", "西湖建材城",
                                 "退货退款", "30.2741", "120.1551", "购买的保温板"] {
                    #expect(!answer.text.contains(personal), "\(personal) in \(answer.text)")
                }
                let keys = Set(answer.array.flatMap(\.keys))
                #expect(keys.isSubset(of: ["service_request_id", "status", "status_notes", "service_code", "service_name",
                                           "agency_responsible", "requested_datetime", "updated_datetime", "expected_datetime"]), "\(keys)")
            }
            #expect(answers[0].array.count == 2)
        }
    }

    /// The filing path with a valid key, which the API fuzzers cannot reach (they hold no key): seeded forms broken
    /// in one to three fields are never a 5xx, always a GeoReport answer, and a refused one stores nothing.
    @Test func mutatedFilingsWithAValidKeyAreNeverA5xxAndARefusedOneStoresNothing() async throws {
        let harness = try await Self.harness()
        let odd = ["", " ", "0", "-1", "1e400", "9223372036854775808", "9007199254740992", "null", "330000", "330106",
                   "440100", "2023-02-30", "9999-12-31", "2023-09-28", "../../etc/passwd", "'; DROP TABLE complaint_case; --",
                   String(repeating: "长", count: 5_001), "🏠", "%zz", "\u{0}", "00000000-0000-0000-0000-000000000000",
                   "CGBM-2023-SD-001234", "91330106MA2GL2XQ3Q", "nan", "inf", "91.0", "-180.5", "consultation", "report"]
        let names = Open311Form.complaint().map(\.0) + ["attribute[certificateNumber]", "attribute[respondentCreditCode]",
                                                        "attribute[claimID]", "attribute[unknown]", "media_url", "service_code"]
        var state: UInt64 = 0x0311_2023
        func next(_ bound: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let rounds: [[String: String?]] = (0..<120).map { _ in
            var replacing: [String: String?] = ["api_key": Open311Form.key]
            for _ in 0...next(3) {
                let name = names[next(names.count)]
                if name == "api_key" { continue }
                replacing[name] = next(5) == 0 ? .some(nil) : odd[next(odd.count)]
            }
            return replacing
        }
        try await harness.run { client in
            var stored = 0
            var statuses: [Int: Int] = [:]
            for (round, replacing) in rounds.enumerated() {
                let reply = try await client.open311File(Open311Form.complaint(replacing: replacing))
                statuses[Int(reply.status.code), default: 0] += 1
                #expect(reply.status.code < 500, "round \(round) \(replacing): \(reply.text)")
                let count = try await harness.count("complaint_case")
                if reply.status == .created {
                    stored += 1
                } else {
                    #expect(reply.array.first?["code"] as? Int == Int(reply.status.code), "round \(round): \(reply.text)")
                }
                #expect(count == stored, "round \(round) \(replacing) (\(reply.status)) changed the cases")
            }
            #expect(statuses[400, default: 0] > 0 && statuses[201, default: 0] > 0, "\(statuses)")
        }
    }

    @Test func keysComeFromTheEnvironmentAsHashesAndAMalformedOneIsAnErrorNamingTheVariable() throws {
        let hash = Open311APIKeys.hash("k1-secret")
        let keys = try Open311APIKeys(environment: EnvironmentReader(["GBM_OPEN311_API_KEYS": " civic-app:\(hash.uppercased()) , other:\(Open311APIKeys.hash("k2"))"]))
        #expect(keys.submitter(forKey: "k1-secret") == "civic-app")
        #expect(keys.submitter(forKey: "k2") == "other")
        #expect(keys.submitter(forKey: "k1-secreT") == nil)
        #expect(keys.submitter(forKey: hash) == nil, "the hash itself is no key")
        #expect(try Open311APIKeys(environment: EnvironmentReader([:])).isEmpty)
        #expect(try Open311APIKeys(environment: EnvironmentReader(["GBM_OPEN311_API_KEYS": "  "])).isEmpty)
        for bad in ["civic-app", "civic-app:k1-secret", "a b:\(hash)", "x:\(hash),x:\(hash)", ":\(hash)", "x:\(hash.dropLast())"] {
            #expect(throws: ConfigurationError.self, "\(bad)") {
                try Open311APIKeys(environment: EnvironmentReader(["GBM_OPEN311_API_KEYS": bad]))
            }
            do {
                _ = try Open311APIKeys(parsing: bad)
            } catch {
                #expect(error.variable == "GBM_OPEN311_API_KEYS")
                #expect(!error.reason.contains("k1-secret") && !error.reason.contains(hash))
            }
        }
        #expect(throws: ConfigurationError.self) { try ComplaintsService.makeDefinition(environment: ["GBM_OPEN311_API_KEYS": "nope"]) }
        #expect(try ComplaintsService.makeDefinition(environment: [:]).openAPI == ComplaintsService.definition.openAPI)
    }

    @Test func everyOpen311OperationIsRoutedAndDocumentedWithItsFormBodyAndGeoReportErrors() async throws {
        let harness = try await Self.harness()
        #expect(undocumentedRoutes(router: harness.host.router, document: harness.host.definition.openAPI) == [])
        #expect(unroutedOperations(router: harness.host.router, document: harness.host.definition.openAPI) == [])
        let document = try JSONDecoder().decode(JSONValue.self, from: harness.host.definition.openAPI.jsonData())
        let paths = try #require(document.objectValue?["paths"]?.objectValue)
        let post = try #require(paths["/open311/v2/requests.json"]?.objectValue?["post"]?.objectValue)
        let form = post["requestBody"]?.objectValue?["content"]?.objectValue?["application/x-www-form-urlencoded"]?.objectValue?["schema"]
        #expect(form?.objectValue?["properties"]?.objectValue?["attribute[regionCode]"] != nil)
        #expect(post["responses"]?.objectValue?["403"]?.objectValue?["content"]?.objectValue?["application/json"] != nil)
        for path in ["/open311/v2/services.json", "/open311/v2/services/{service_code}.json", "/open311/v2/requests.json",
                     "/open311/v2/requests/{service_request_id}.json"] {
            #expect(paths[path]?.objectValue?["get"] != nil, "\(path)")
        }
    }

    /// A GeoReport v2 client this project did not write (PyPI `georeport`, run by `examples/python/open311_client.py`)
    /// against the service on a real port.
    @Test func theGeoreportClientListsDefinesFilesAndReadsBack() async throws {
        let python = try #require(ProcessInfo.processInfo.environment["GBM_PYTHON"], "GBM_PYTHON (deploy/local/test.sh exports it)")
        let harness = try await Self.harness()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/python/open311_client.py").path
        try await harness.host.application(withServices: false).test(.live) { client in
            let port = try #require(client.port)
            let run = try await Self.run(python, [script, "--root", "http://127.0.0.1:\(port)/open311/v2", "--api-key", Open311Form.key,
                                                  "--region", "330100", "--county", "330106"])
            #expect(run.status == 0, "stdout:\n\(run.output)\nstderr:\n\(run.errors)")
            let last = try #require(run.output.split(separator: "\n").last)
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
            #expect(summary["ok"] as? Bool == true, "\(run.output)")
            let number = try #require(summary["service_request_id"] as? String)
            #expect(try await harness.count("complaint_case WHERE case_number = '\(number)' AND channel = 'open311'") == 1)
            print("georeport client check:\n\(run.output)")
        }
    }

    /// Runs `executable` with the proxy settings cleared for loopback (the client must reach the test's server).
    static func run(_ executable: String, _ arguments: [String]) async throws -> ProgramRun {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_PROXY"] = "127.0.0.1,localhost"
        environment["no_proxy"] = "127.0.0.1,localhost"
        return try await runProgram(URL(fileURLWithPath: executable), arguments, environment: environment)
    }
}
