import DrillCore
import DrillWeb

/// The page at `/`: every public feed of the town with its web link, its webcal:// link and a QR
/// code of the webcal link to scan with a phone. Names of the town, teams and villages only:
/// never a member, a phone number or a private link.
struct IndexPage {
    /// What to list.
    var listing: FeedListing
    /// The town id in feed paths.
    var townID: String
    /// `http://host:port` as the subscriber reaches the server (no trailing slash).
    var baseURL: String
    /// Page language.
    var language: Language

    /// The whole document.
    func render() -> String {
        let l = language
        let town = l.pick(listing.townName, listing.townNameEnglish)
        let title = l.pick(
            "\(town)应急培训演练日历订阅（\(listing.year)）", "\(town) training and drill calendars \(listing.year)")
        var body = ""
        body += "<h1>\(HTML.escape(title))</h1>\n"
        body +=
            "<p>"
            + HTML.escape(
                l.pick(
                    "用手机相机或日历应用扫描二维码，或点击 webcal:// 链接订阅；日程变更会自动同步。由\(listing.station)发布。",
                    "Scan a QR code with the phone's camera or calendar app, or open the webcal:// link to subscribe; changes sync by themselves. Published by \(listing.station)."
                )) + "</p>\n"
        body += "<p><a href=\"?lang=\(l == .zh ? "en" : "zh")\">\(l == .zh ? "English" : "中文")</a></p>\n"
        body += section(l.pick("全镇", "Town"), [listing.town])
        body += section(l.pick("队伍", "Teams"), listing.teams)
        body += section(l.pick("村", "Villages"), listing.villages)
        body +=
            "<p class=\"note\">"
            + HTML.escape(
                l.pick(
                    "个人日程链接由应急站单独发放，请勿转发。",
                    "Personal calendar links are handed out by the station; do not share them."))
            + "</p>\n"
        return HTML.document(language: l.pick("zh-CN", "en"), title: title, style: Self.style, body: body)
    }

    static let style = """

        body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}
        ul{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem}
        li{border:1px solid #ccc;border-radius:.5rem;padding:.75rem}
        li h3{margin:.2rem 0 .5rem;font-size:1.05rem}
        a{word-break:break-all}.qr{display:block;margin:.5rem auto 0}.note{color:#666}

        """

    private func section(_ heading: String, _ entries: [FeedListing.Entry]) -> String {
        guard !entries.isEmpty else { return "" }
        var out = "<h2>\(HTML.escape(heading))</h2>\n<ul>\n"
        for entry in entries {
            let name = language.pick(entry.zh, entry.en)
            let http = "\(baseURL)/calendars/\(townID)/\(entry.file)"
            let webcal = "webcal://" + http.drop { $0 != ":" }.dropFirst(3)
            out += "<li><h3>\(HTML.escape(name))</h3>"
            out += "<a href=\"\(HTML.escape(webcal))\">\(HTML.escape(webcal))</a><br>"
            out += "<a href=\"\(HTML.escape(http))\">\(HTML.escape(http))</a>"
            out +=
                QRCode.svg(webcal, label: language.pick("订阅 \(name) 的二维码", "QR code to subscribe to \(name)"))
                ?? ""
            out += "</li>\n"
        }
        return out + "</ul>\n"
    }
}
