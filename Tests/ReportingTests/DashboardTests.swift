import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
@testable import Reporting

/// The dashboard's page and files as a browser gets them, on a router of their own (no database, no broker): types,
/// the Content-Security-Policy, entity tags and 304, the 404 problem, and that they reference nothing off-origin.
/// The browser itself drives them in `deploy/local/dashboard_check.py` (part of `system-check.sh`).
@Suite("Dashboard")
struct DashboardTests {
    static func router() -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        DashboardRoutes().add(to: router)
        return router
    }

    @Test func thePageAndItsFilesComeWithTheirTypesPolicyAndEntityTags() async throws {
        try await Application(router: Self.router()).test(.router) { client in
            let page = try await client.execute(uri: "/dashboard", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
            #expect(page.headers[.contentSecurityPolicy]?.contains("unsafe") == false)
            #expect(page.headers[.eTag] == DashboardAsset.page.entityTag)
            #expect(String(buffer: page.body).contains("/dashboard/assets/dashboard.js"))
            let tag = try #require(page.headers[.eTag])
            let again = try await client.execute(uri: "/dashboard", method: .get, headers: [.ifNoneMatch: "\"other\", W/\(tag)"]) { $0 }
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            for (name, type) in [("dashboard.js", "text/javascript; charset=utf-8"), ("dashboard.css", "text/css; charset=utf-8"),
                                 ("icon.svg", "image/svg+xml")] {
                let file = try await client.execute(uri: "/dashboard/assets/\(name)", method: .get) { $0 }
                #expect(file.status == .ok, "\(name)")
                #expect(file.headers[.contentType] == type)
                #expect(file.headers[.cacheControl] == "no-cache")
                #expect(file.headers[.eTag]?.count == 34)
                #expect(file.body.readableBytes > 100)
            }
            let missing = try await client.execute(uri: "/dashboard/assets/jquery.js", method: .get) { $0 }
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
            #expect(String(buffer: missing.body).contains("asset-not-found"))
        }
    }

    @Test func nothingIsLoadedFromElsewhereAndNoScriptOrStyleIsInline() throws {
        let page = String(decoding: DashboardAsset.page.bytes, as: UTF8.self)
        let references = try Regex(#"(?:src|href)="([^"]*)""#)
        for match in page.matches(of: references) {
            let target = String(match.output[1].substring ?? "")
            #expect(target.hasPrefix("/dashboard/assets/") || target.hasPrefix("#"), "the page references \(target)")
        }
        #expect(page.firstMatch(of: try Regex(#"\son[a-z]+="#)) == nil, "no inline event handler")
        #expect(page.firstMatch(of: try Regex(#"<script(?![^>]*\ssrc=)"#)) == nil, "no inline script")
        #expect(!page.contains("<style") && !page.contains("style="), "no inline style")
        for file in DashboardAsset.files {
            let text = String(decoding: file.bytes, as: UTF8.self)
            // The only absolute URL is SVG's namespace name, which nothing fetches.
            let urls = text.matches(of: try Regex(#"https?://[^\s'"<>)]+"#)).map { String(text[$0.range]) }
            #expect(urls.allSatisfy { $0 == "http://www.w3.org/2000/svg" }, "\(file.name): \(urls)")
            #expect(!text.contains("@import") && !text.contains("url("), "\(file.name) pulls in nothing")
        }
    }

    @Test func entityTagsCompareWeaklyAndAcceptAStar() {
        #expect(EntityTag.matches("*", "\"a\""))
        #expect(EntityTag.matches("\"b\", W/\"a\"", "\"a\""))
        #expect(!EntityTag.matches("\"b\"", "\"a\""))
    }
}
