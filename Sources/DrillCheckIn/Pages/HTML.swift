import DrillCore
import DrillWeb
import Foundation
import Hummingbird

/// HTML output: every piece of data goes through `escape`, and each page's inline script and style
/// run only with the page's nonce (Content-Security-Policy), so an injected tag could not run anyway.
extension HTML {
    /// JSON for a `<script type="application/json">` block: `<`, `>`, `&` and line separators are
    /// escaped, so no value can close the block.
    static func scriptJSON(_ value: some Encodable) throws -> String {
        let text = String(decoding: try JSONBody.encode(value), as: UTF8.self)
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A whole page as a response: mobile viewport, the shared style, no caching, a strict CSP.
    static func page(
        title: String, language: Language, body: String, script: String? = nil,
        status: HTTPResponse.Status = .ok,
        headers extra: HTTPFields = [:]
    ) -> Response {
        let nonce = Signer.randomHex(bytes: 16)
        let scriptTag = script.map { "<script nonce=\"\(nonce)\">\($0)</script>" } ?? ""
        let html = document(
            language: language == .zh ? "zh-CN" : "en", title: title, style: style, nonce: nonce,
            head: "<meta name=\"referrer\" content=\"same-origin\">\n", body: body + "\n" + scriptTag)
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'nonce-\(nonce)'; "
                + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            HTTPFields.Element.Name("X-Content-Type-Options")!: "nosniff",
            HTTPFields.Element.Name("Referrer-Policy")!: "same-origin",
        ]
        headers.append(contentsOf: extra)
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A link to the other language of the same page.
    static func languageSwitch(path: String, current: Language) -> String {
        current == .zh
            ? "<a class=\"lang\" href=\"\(escape(path))?lang=en\">English</a>"
            : "<a class=\"lang\" href=\"\(escape(path))?lang=zh\">中文</a>"
    }

    /// Big tap targets, readable in sunlight, no external assets.
    static let style = """
        body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;padding:12px;\
        max-width:640px;margin:auto;color:#111;background:#fafafa;font-size:17px}
        h1{font-size:1.3em;margin:.3em 0}h2{font-size:1.1em;margin:1em 0 .4em}
        a{color:#0645ad}.lang{float:right;font-size:.9em}
        .muted{color:#555;font-size:.9em}.error{color:#a00;font-weight:bold}.ok{color:#070;font-weight:bold}
        ul{list-style:none;padding:0;margin:0}
        li.session a{display:block;padding:10px;margin:6px 0;background:#fff;border:1px solid #ccc;border-radius:8px;text-decoration:none;color:#111}
        li.member{background:#fff;border:1px solid #ccc;border-radius:8px;padding:8px;margin:6px 0}
        li.member .name{font-weight:bold}
        .actions{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
        button,input[type=submit]{font-size:1em;padding:10px 14px;border-radius:8px;border:1px solid #888;background:#eee}
        button[data-status=present]{background:#dfd}button[data-status=late]{background:#ffd}button[data-status=excused]{background:#def}
        input,select{font-size:1em;padding:8px;border-radius:6px;border:1px solid #888;max-width:100%}
        .reason{flex:1;min-width:8em}
        .badge{font-size:.8em;padding:2px 6px;border-radius:6px;margin-left:6px}
        .pending{background:#fc6}.confirmed{background:#9d9}.rejected{background:#f99}
        .counts{background:#fff;border:1px solid #ccc;border-radius:8px;padding:8px}
        .below{color:#a00}.met{color:#070}
        form.stack label{display:block;margin:10px 0 4px}
        .url{word-break:break-all}.notice{color:#036;font-size:.9em}
        """
}

extension HTTPFields.Element.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let csrfToken = Self("X-CSRF-Token")!
}
