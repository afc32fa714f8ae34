import Contracts
import Foundation

/// A summary report as a printable document (HTML, also the source of the PDF): addressed to the six ministries,
/// with the figures in tables, month-by-month charts (inline SVG, so no script and nothing fetched), one section
/// per guiding department's duty and the region's own sections. Every text the region wrote is escaped.
enum SummaryReportHTML {
    /// The departments' names as the notice addresses them.
    static let departmentNames: [String: String] = [
        "MIIT": "工业和信息化部", "MOHURD": "住房和城乡建设部", "MOA": "农业农村部", "MOFCOM": "商务部",
        "SAMR": "国家市场监督管理总局", "NRRA": "国家乡村振兴局",
    ]

    /// Each department's duty in the notice, as the printable report states it (the document carries it in English).
    static let duties: [String: String] = [
        "MIIT": "深入开展建材行业“三品”行动，增品种、提品质、创品牌",
        "MOHURD": "推动绿色建材在农房建设和既有农房节能改造中的应用",
        "MOFCOM": "引导电商平台和线下门店设立绿色建材销售专区",
        "SAMR": "加强绿色建材产品认证监管，受理处理消费者投诉",
        "MOA": "推动绿色建材在农村基础设施建设和农村厕所革命中的应用",
        "NRRA": "引导农民群众参与，助力乡村建设",
    ]

    /// Each figure's label; amounts (fen) are shown in yuan.
    static let labels: [(name: String, label: String, fen: Bool)] = [
        ("activitiesHeld", "开展活动（场）", false), ("activitiesAtTownOrVillage", "其中：乡镇、村级活动（场）", false),
        ("attendance", "参与人次", false), ("launchMeetings", "启动仪式（场）", false), ("activitySales", "活动现场销售额（元）", true),
        ("participantsActive", "参与企业、平台和门店（家）", false), ("manufacturersActive", "其中：生产企业（家）", false),
        ("platformsActive", "其中：电商平台（家）", false), ("storesActive", "其中：门店（家）", false),
        ("certifiedProductsValid", "有效认证产品（个）", false), ("certificatesIssued", "新发认证证书（张）", false),
        ("certificatesWithdrawn", "暂停、撤销、注销或到期证书（张）", false), ("localListEntries", "地方产品清单条目（条）", false),
        ("productsUnderInvestigation", "被调查产品（个）", false), ("programmesApproved", "补贴项目（个）", false),
        ("budget", "补贴预算（元）", true), ("claimsSubmitted", "补贴申请（笔）", false), ("claimsApproved", "核准申请（笔）", false),
        ("claimsRejected", "驳回申请（笔）", false), ("subsidyApproved", "核准补贴（元）", true), ("subsidyPaid", "已发放补贴（元）", true),
        ("subsidyClawedBack", "追回补贴（元）", true), ("loanSubsidiesGranted", "贷款贴息（笔）", false),
        ("loanSubsidyAmount", "贷款贴息金额（元）", true), ("reportDeadlinesMissed", "逾期未报（次）", false),
        ("complaintsReceived", "受理咨询、投诉和举报（件）", false), ("complaintsOpen", "尚未办结（件）", false),
        ("complaintsClosed", "办结（件）", false), ("complaintsHandled", "已办结且可计时（件）", false),
        ("complaintHandlingWorkingDays", "办理用时合计（工作日）", false), ("complaintsMediated", "调解成功（件）", false),
        ("complaintsMediationTerminated", "调解终止（件）", false), ("complaintDeadlineBreaches", "超过法定时限（次）", false),
        ("complaintCompensation", "调解赔偿金额（元）", true), ("certificationViolationsReported", "认证违规线索（条）", false),
    ]

    /// The version's status line.
    struct Status {
        var status: String
        var contentSHA256: String?
        var submittedAt: Date?
    }

    static func render(_ document: SummaryReportDocument, status: Status) -> String {
        let figures = document.figures.byName
        let title = "\(document.regionName)绿色建材下乡活动\(document.campaignYear)年度总结报告"
        var html = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>\(style)</style></head><body>
            <h1>\(escape(title))</h1>
            <p class="to">报送：\(document.addressedTo.compactMap { departmentNames[$0] }.joined(separator: "、"))</p>
            <table class="meta">
            <tr><th>试点地区</th><td>\(escape(document.regionName))（\(escape(document.regionCode))）</td>
                <th>报告期</th><td>\(escape(document.periodStart)) 至 \(escape(document.periodEnd))</td></tr>
            <tr><th>版本</th><td>第 \(document.version) 版（\(escape(statusName(status.status)))）</td>
                <th>数据生成时间</th><td>\(escape(document.generatedAt))</td></tr>
            """
        if let hash = status.contentSHA256 {
            html += "<tr><th>内容摘要（SHA-256）</th><td colspan=\"3\" class=\"hash\">\(escape(hash))</td></tr>"
        }
        if let reason = document.correctionReason {
            html += "<tr><th>更正原因</th><td colspan=\"3\">\(escape(reason))</td></tr>"
        }
        html += "</table>\n<h2>一、主要数据</h2>\n<table class=\"figures\"><tr><th>指标</th><th>数值</th></tr>\n"
        for (name, label, fen) in labels {
            html += "<tr><td>\(label)</td><td class=\"n\">\(format(figures[name] ?? 0, fen: fen))</td></tr>\n"
        }
        let average = document.figures.averageHandlingHundredths
        let ended = document.figures.complaintsMediated + document.figures.complaintsMediationTerminated
        html += """
            <tr><td>平均办理用时（工作日）</td><td class="n">\(document.figures.complaintsHandled > 0 ? "\(average / 100).\(String(format: "%02d", average % 100))" : "—")</td></tr>
            <tr><td>调解成功率</td><td class="n">\(ended > 0 ? "\(document.figures.complaintsMediated * 100 / ended)%" : "—")</td></tr>
            </table>

            """
        if let monthly = document.monthly, !monthly.months.isEmpty {
            html += "<h2>二、逐月情况</h2>\n<div class=\"charts\">"
            html += chart("开展活动（场）", months: monthly.months, values: monthly.activitiesHeld, fen: false)
            html += chart("参与人次", months: monthly.months, values: monthly.attendance, fen: false)
            html += chart("已发放补贴（元）", months: monthly.months, values: monthly.subsidyPaid, fen: true)
            html += chart("受理咨询、投诉和举报（件）", months: monthly.months, values: monthly.complaintsReceived, fen: false)
            html += "</div>\n"
        }
        html += "<h2>三、各部门职责落实情况</h2>\n"
        for section in document.departments {
            html += "<h3>\(escape(departmentNames[section.department] ?? section.department))：\(escape(duties[section.department] ?? section.duty))</h3>\n"
            if !section.figures.isEmpty {
                html += "<table class=\"figures\">"
                for figure in section.figures {
                    let label = labels.first { $0.name == figure.name }
                    html += "<tr><td>\(label?.label ?? escape(figure.name))</td><td class=\"n\">\(format(figure.value, fen: label?.fen ?? false))</td></tr>"
                }
                html += "</table>\n"
            }
            html += paragraph(section.text, empty: "（地区尚未填写）")
        }
        html += "<h2>四、经验做法</h2>\n" + paragraph(document.narrative.experience, empty: "（尚未填写）")
        html += "<h2>五、存在问题</h2>\n" + paragraph(document.narrative.problems, empty: "（尚未填写）")
        html += "<h2>六、下一步工作</h2>\n" + paragraph(document.narrative.nextSteps, empty: "（尚未填写）")
        html += "<p class=\"foot\">报告编号 \(escape(document.reportID))</p>\n</body></html>\n"
        return html
    }

    /// A bar chart of one series, scaled to its largest value, with the values above the bars.
    static func chart(_ title: String, months: [String], values: [Int64], fen: Bool) -> String {
        let width = 320, height = 150, top = 22, bottom = 20
        let largest = max(values.max() ?? 0, 1)
        let slot = Double(width - 10) / Double(max(months.count, 1))
        var svg = "<figure><figcaption>\(escape(title))</figcaption>"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<line x1=\"5\" y1=\"\(height - bottom)\" x2=\"\(width - 5)\" y2=\"\(height - bottom)\" stroke=\"#555\"/>"
        for (index, month) in months.enumerated() {
            let value = index < values.count ? values[index] : 0
            let barHeight = Double(height - top - bottom) * Double(max(value, 0)) / Double(largest)
            let x = 5 + slot * Double(index) + slot * 0.15
            let y = Double(height - bottom) - barHeight
            svg += "<rect x=\"\(Int(x))\" y=\"\(Int(y))\" width=\"\(Int(slot * 0.7))\" height=\"\(Int(barHeight))\" fill=\"#2e7d32\"/>"
            if value != 0 {
                let label = fen ? String(value / 100) : String(value)
                svg += "<text x=\"\(Int(x + slot * 0.35))\" y=\"\(Int(y) - 3)\" font-size=\"8\" text-anchor=\"middle\">\(label)</text>"
            }
            svg += "<text x=\"\(Int(x + slot * 0.35))\" y=\"\(height - 6)\" font-size=\"8\" text-anchor=\"middle\">\(Int(month.suffix(2)) ?? 0)月</text>"
        }
        return svg + "</svg></figure>"
    }

    /// Integer fen as yuan with two decimals (no floating point), or a count, with thousands separators.
    static func format(_ value: Int64, fen: Bool) -> String {
        let negative = value < 0
        let magnitude = value.magnitude
        let whole = fen ? magnitude / 100 : magnitude
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        if fen { grouped += "." + String(format: "%02d", Int(magnitude % 100)) }
        return (negative ? "-" : "") + grouped
    }

    static func statusName(_ status: String) -> String {
        switch status {
        case "draft": "草稿"
        case "submitted": "已报送"
        case "acknowledged": "已确认"
        case "superseded": "已更正"
        default: status
        }
    }

    static func paragraph(_ text: String, empty: String) -> String {
        guard !text.isEmpty else { return "<p class=\"empty\">\(empty)</p>\n" }
        return text.split(separator: "\n", omittingEmptySubsequences: true)
            .map { "<p>\(escape(String($0)))</p>\n" }.joined()
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static let style = """
        @page { size: A4; margin: 18mm 16mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
        body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
               font-size: 10.5pt; color: #111; line-height: 1.55; }
        h1 { font-size: 17pt; text-align: center; margin: 0 0 6pt; }
        h2 { font-size: 13pt; border-bottom: 1px solid #2e7d32; margin-top: 16pt; }
        h3 { font-size: 11pt; margin: 10pt 0 4pt; }
        p.to { text-align: center; color: #333; }
        table { border-collapse: collapse; width: 100%; margin: 4pt 0; }
        th, td { border: 1px solid #999; padding: 2pt 5pt; text-align: left; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; width: 30%; }
        td.hash { font-family: monospace; font-size: 8pt; word-break: break-all; }
        .charts { display: flex; flex-wrap: wrap; gap: 8pt; }
        figure { margin: 0; break-inside: avoid; }
        figcaption { font-size: 9pt; }
        p.empty { color: #888; }
        p.foot { font-size: 8pt; color: #666; margin-top: 20pt; }
        """
}
