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
