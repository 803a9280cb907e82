import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import DrillWeb

@testable import DrillServer

@Suite("Index page")
struct IndexPageTests {
    static let hostile = "<script>alert(1)</script>队"

    /// The example town with its first team renamed to a script tag.
    static func fixture() throws -> ServerFixture {
        try ServerFixture.make { plan in
            plan.replacingOccurrences(of: "    name: 青山镇综合性应急救援队\n", with: "    name: \"\(hostile)\"\n")
        }
    }

    @Test("lists every public feed with http and webcal links and a QR code, escaping names")
    func page() async throws {
        let fixture = try Self.fixture()
        defer { fixture.cleanUp() }
        try await fixture.app { $0.baseURL = "http://yj.example.cn:8080" }.test(.router) { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = response.body.text
            #expect(html.contains("lang=\"zh-CN\""))
            #expect(html.contains("href=\"webcal://yj.example.cn:8080/calendars/qingshan/town.ics\""))
            #expect(
                html.contains("href=\"http://yj.example.cn:8080/calendars/qingshan/team-v-shangcun.ics\""))
            #expect(html.contains("webcal://yj.example.cn:8080/calendars/qingshan/village-longtan.ics"))
            #expect(html.components(separatedBy: "<svg").count - 1 == 1 + 11 + 9, "a QR code per public feed")
            #expect(!html.contains("<script>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;队"))
            // Names of members and their phones never appear.
            #expect(!html.contains("龚旺生"))
            #expect(!html.contains("13800000001"))
            #expect(!html.contains("/feeds/"))
            #expect(!html.contains("member-"))
        }
    }

    @Test("each version draws its page once per language and address")
    func drawnOncePerVersion() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let catalog = fixture.library.catalog
        try await fixture.app().test(.router) { client in
            let first = try await client.execute(uri: "/", method: .get)
            let second = try await client.execute(uri: "/", method: .get)
            #expect(first.status == .ok && second.status == .ok)
            #expect(first.body.bytes == second.body.bytes)
            #expect(catalog.indexPagesDrawn.load(ordering: .relaxed) == 1)
            let english = try await client.execute(uri: "/?lang=en", method: .get)
            #expect(english.body.text.contains("lang=\"en\""))
            let again = try await client.execute(uri: "/?lang=en", method: .get)
            #expect(again.body.bytes == english.body.bytes)
            #expect(catalog.indexPagesDrawn.load(ordering: .relaxed) == 2)
        }
    }

    @Test("pages for invented Host headers are drawn but not kept: memory stays bounded")
    func boundedByHost() throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let catalog = fixture.library.catalog
        for n in 0..<40 {
            let base = "http://h\(n).example.cn"
            let page = catalog.indexAnswer(language: .zh, baseURL: base) {
                IndexPage(listing: catalog.listing, townID: catalog.townID, baseURL: base, language: .zh).render()
            }.page
            #expect(String(buffer: page).contains("webcal://h\(n).example.cn/calendars/qingshan/town.ics"))
        }
        #expect(catalog.indexPagesDrawn.load(ordering: .relaxed) == 40)
        #expect(catalog.indexPagesKept == FeedCatalog.indexPageLimit)
        // A kept page is answered without drawing again.
        _ = catalog.indexAnswer(language: .zh, baseURL: "http://h0.example.cn") { Issue.record("drawn twice"); return "" }
        #expect(catalog.indexPagesDrawn.load(ordering: .relaxed) == 40)
    }

    @Test("?lang=en gives the English page; the Host header is used when no base URL is set")
    func english() async throws {
        let fixture = try Self.fixture()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            let response = try await client.execute(uri: "/?lang=en", method: .get)
            let html = response.body.text
            #expect(html.contains("lang=\"en\""))
            #expect(html.contains("Qingshan Town"))
            #expect(html.contains("Villages"))
            #expect(html.contains("webcal://"))
        }
    }

    @Test("the QR code is an SVG of dark runs inside a quiet zone")
    func qr() throws {
        let svg = try #require(QRCode.svg("webcal://example.cn/calendars/q/town.ics", label: "a \"b\""))
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("aria-label=\"a &quot;b&quot;\""))
        #expect(
            svg.contains("<path fill=\"#000\" d=\"M4 4h7v1h-7z"),
            "the finder pattern's top row starts at the quiet zone")
    }
}
