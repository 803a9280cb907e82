import DrillCore
import Foundation

/// Turns the HTML report into the formats county offices exchange, through maintained converters:
/// `.docx` with Debian's pandoc, `.pdf` with headless Chromium. Each writes into a temporary folder
/// beside the output and is renamed into place, so a failure leaves any existing file untouched.
enum DocumentConverter {
    /// Why a conversion failed; the message names the missing Debian package when that is the cause.
    struct Failure: Error {
        var message: String
        /// 2 when a tool is missing (the setup is incomplete), 3 when writing failed.
        var exitCode: Int32
    }

    /// The first of `names` found on PATH.
    static func tool(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for dir in path.split(separator: ":") {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    static func docx(html: String, to out: String, lang: Language) throws(Failure) {
        guard let pandoc = tool(["pandoc"]) else {
            throw Failure(
                message: lang.pick(
                    "无法生成 .docx：未找到 pandoc。请安装 Debian 软件包 pandoc（sudo apt-get install pandoc，或运行 scripts/setup.sh）",
                    "cannot write .docx: pandoc not found. Install the Debian package pandoc (sudo apt-get install pandoc, or run scripts/setup.sh)"
                ),
                exitCode: 2)
        }
        try convert(html: html, to: out, lang: lang) { input, output in
            (
                pandoc,
                [
                    "--from=html", "--to=docx", "--metadata=lang:\(lang == .zh ? "zh-CN" : "en")",
                    "--output=\(output)", input,
                ]
            )
        }
    }

    static func pdf(html: String, to out: String, lang: Language) throws(Failure) {
        guard let chromium = tool(["chromium", "chromium-browser", "google-chrome"]) else {
            throw Failure(
                message: lang.pick(
                    "无法生成 .pdf：未找到 Chromium。请安装 Debian 软件包 chromium（sudo apt-get install chromium fonts-noto-cjk，或运行 scripts/setup.sh）",
                    "cannot write .pdf: Chromium not found. Install the Debian package chromium (sudo apt-get install chromium fonts-noto-cjk, or run scripts/setup.sh)"
                ),
                exitCode: 2)
        }
        try convert(html: html, to: out, lang: lang) { input, output in
            (
                chromium,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    "--print-to-pdf-no-header",
                    "--user-data-dir=\((output as NSString).deletingLastPathComponent)/profile",
                    "--print-to-pdf=\(output)", "file://\(input)",
                ]
            )
        }
    }

    /// Writes the HTML to a temporary folder beside `out`, runs the tool, renames its output into place.
    static func convert(
        html: String, to out: String, lang: Language, command: (String, String) -> (String, [String])
    ) throws(Failure) {
        let fm = FileManager.default
        let outURL = URL(fileURLWithPath: out).standardizedFileURL
        let folder = outURL.deletingLastPathComponent()
            .appendingPathComponent(".drillcal-convert-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        func fail(_ why: String) -> Failure {
            Failure(message: lang.pick("无法写入 \(out)：\(why)", "cannot write \(out): \(why)"), exitCode: 3)
        }
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            throw fail(error.localizedDescription)
        }
        defer { try? fm.removeItem(at: folder) }
        let input = folder.appendingPathComponent("report.html").path
        let output = folder.appendingPathComponent("report.out").path
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: input))
        } catch {
            throw fail(error.localizedDescription)
        }
        let (tool, arguments) = command(input, output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw fail("\(tool): \(error.localizedDescription)")
        }
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, fm.fileExists(atPath: output) else {
            let tail = String(decoding: stderr.suffix(400), as: UTF8.self)
            throw fail("\((tool as NSString).lastPathComponent) exit \(process.terminationStatus) \(tail)")
        }
        guard rename(output, outURL.path) == 0 else { throw fail(String(cString: strerror(errno))) }
    }
}
