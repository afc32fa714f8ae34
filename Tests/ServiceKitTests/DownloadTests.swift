import HTTPTypes
import ServiceKit
import Testing

/// A file handed out is saved, not shown, under a name no client can misread.
@Suite struct DownloadTests {
    @Test func aChineseNameIsPercentEncodedWithAnASCIIStandIn() {
        let headers = Download.headers(contentType: "application/pdf", fileName: "工作方案 v2.pdf", cacheControl: "no-store")
        #expect(headers[.contentDisposition]
            == "attachment; filename*=UTF-8''%E5%B7%A5%E4%BD%9C%E6%96%B9%E6%A1%88%20v2.pdf; filename=\"_____v2.pdf\"")
        #expect(headers[.contentType] == "application/pdf")
        #expect(headers[.cacheControl] == "no-store")
        #expect(headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
    }

    @Test func aNameCannotBreakOutOfItsParameters() {
        let disposition = Download.contentDisposition(fileName: "a\";\r\nSet-Cookie: x=1.csv")
        #expect(!disposition.contains("\r") && !disposition.contains("\n"))
        #expect(disposition.filter { $0 == "\"" }.count == 2, "only the quotes around the ASCII stand-in")
        #expect(disposition.hasSuffix("filename=\"a____Set-Cookie__x_1.csv\""))
        #expect(Download.headers(contentType: "text/csv", fileName: "x.csv")[.cacheControl] == nil)
    }
}
