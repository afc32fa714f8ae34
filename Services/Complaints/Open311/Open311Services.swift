import Contracts

/// What the facade offers Open311 clients: one GeoReport v2 service per kind of case, and each service's definition,
/// the attributes our intake needs beyond the standard fields (`attribute[code]=value` in a filing).
///
/// The codes are the native ones (`complaint`, `regionCode`, `false-green-claim`), so a case filed through Open311
/// reads the same as any other; what each attribute means and requires is the native intake's (``CaseInput``),
/// which also checks it.
enum Open311Services {
    /// One GeoReport v2 attribute: `variable` is always true (we ask nothing that is only informational).
    struct Attribute: Sendable {
        var code: String
        var datatype: String
        var required: Bool
        var datatypeDescription: String
        var description: String
        var values: [(key: String, name: String)] = []

        func json(order: Int) -> JSONValue {
            var members: [String: JSONValue] = [
                "variable": true, "code": .string(code), "datatype": .string(datatype), "required": .bool(required),
                "datatype_description": .string(datatypeDescription), "order": .integer(Int64(order)),
                "description": .string(description),
            ]
            if datatype == "singlevaluelist" {
                members["values"] = .array(values.map { .object(["key": .string($0.key), "name": .string($0.name)]) })
            }
            return .object(members)
        }
    }

    static let group = "绿色建材下乡 Green building materials to the countryside"

    static func name(of kind: ComplaintKind) -> String {
        switch kind {
        case .consultation: "咨询 Consultation"
        case .complaint: "投诉 Complaint"
        case .report: "举报 Report"
        }
    }

    static func description(of kind: ComplaintKind) -> String {
        switch kind {
        case .consultation:
            "A question about green building materials, the campaign or its subsidies; answered by the market regulator and closed."
        case .complaint:
            "A consumer's dispute with a seller or enterprise about green building materials bought in the campaign (SAMR's "
                + "procedure: acceptance within 7 working days, then mediation). Needs the respondent and your demands."
        case .report:
            "A suspected violation: a false green-product or certification claim, a certificate used beyond its scope. "
                + "Needs the respondent or the certificate concerned."
        }
    }

    static func keywords(of kind: ComplaintKind) -> String {
        switch kind {
        case .consultation: "咨询,question,consultation,subsidy,补贴"
        case .complaint: "投诉,complaint,dispute,refund,退货,维权"
        case .report: "举报,report,violation,certificate,认证,虚假宣传"
        }
    }

    static func categoryName(_ category: ComplaintCategory) -> String {
        switch category {
        case .productQuality: "产品质量 Product quality"
        case .falseGreenClaim: "虚假绿色宣传或认证 False green or certification claim"
        case .priceOrDiscount: "价格或让利 Price, discount or promotion"
        case .subsidy: "补贴 Subsidy claim or payment"
        case .installationOrAfterSales: "安装或售后 Delivery, installation or after-sales"
        case .other: "其他 Other"
        }
    }

    /// `GET services.json`: every kind, in the native order.
    static var list: JSONValue {
        .array(ComplaintKind.allCases.map { kind in
            .object([
                "service_code": .string(kind.rawValue), "service_name": .string(name(of: kind)),
                "description": .string(description(of: kind)), "metadata": true, "type": "realtime",
                "keywords": .string(keywords(of: kind)), "group": .string(group),
            ])
        })
    }

    /// The attributes of `kind`'s service, in the order a form should ask them.
    static func attributes(of kind: ComplaintKind) -> [Attribute] {
        let attributes = [
            Attribute(code: "regionCode", datatype: "string", required: true,
                      datatypeDescription: "A 6-digit GB/T 2260 division code, e.g. 330100",
                      description: "行政区划 The approved pilot region (city) where it happened."),
            Attribute(code: "countyCode", datatype: "string", required: false,
                      datatypeDescription: "A 6-digit GB/T 2260 division code within regionCode, e.g. 330106",
                      description: "区县 The county or district where it happened: the case goes to its market regulator."),
            Attribute(code: "category", datatype: "singlevaluelist", required: true,
                      datatypeDescription: "One of the keys of values",
                      description: "类别 What it is about.",
                      values: ComplaintCategory.allCases.map { ($0.rawValue, categoryName($0)) }),
            Attribute(code: "respondentCreditCode", datatype: "string", required: false,
                      datatypeDescription: "An 18-character unified social credit code (check character verified)",
                      description: "被投诉方统一社会信用代码 The seller's or enterprise's credit code, if known."),
            // GeoReport has no "one of" rule: a complaint needs this or respondentCreditCode, which the description says.
            Attribute(code: "respondentName", datatype: "string", required: false,
                      datatypeDescription: "Text, at most 200 characters",
                      description: kind == .complaint
                          ? "被投诉方名称 The seller or enterprise (this or respondentCreditCode is required)."
                          : "被投诉方名称 The seller or enterprise concerned."),
            Attribute(code: "certificateNumber", datatype: "string", required: false,
                      datatypeDescription: "A green building material certificate number, e.g. CGBM-2023-SD-001234",
                      description: kind == .report
                          ? "证书编号 The certificate concerned (a report names it or the respondent)."
                          : "证书编号 The certificate the product claims."),
            Attribute(code: "purchasedOn", datatype: "string", required: false,
                      datatypeDescription: "A day written YYYY-MM-DD, not in the future",
                      description: "购买日期 When it was bought."),
            Attribute(code: "amountInDispute", datatype: "number", required: false,
                      datatypeDescription: "A whole number of fen (1 yuan = 100 fen), at least 0",
                      description: "争议金额 The amount in dispute, in fen."),
            Attribute(code: "claimID", datatype: "string", required: false,
                      datatypeDescription: "A UUID",
                      description: "补贴申请编号 The subsidy claim it is about, if any."),
            Attribute(code: "demands", datatype: "text", required: kind == .complaint,
                      datatypeDescription: "Text, at most 2000 characters",
                      description: "诉求 What you ask for (required for a complaint)."),
        ]
        return attributes
    }

    /// Every attribute code any service has.
    static let attributeCodes: Set<String> = Set(ComplaintKind.allCases.flatMap { attributes(of: $0).map(\.code) })

    /// `GET services/{code}.json`.
    static func definition(of kind: ComplaintKind) -> JSONValue {
        .object([
            "service_code": .string(kind.rawValue),
            "attributes": .array(attributes(of: kind).enumerated().map { $0.element.json(order: $0.offset + 1) }),
        ])
    }
}
