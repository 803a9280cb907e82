import Foundation
import Testing

/// Without the converters on PATH, docx and pdf exit 2 naming the Debian package, and write nothing.
struct ConverterMissingTests {
    @Test func missingConverterNamesThePackage() throws {
        let town = try CLI.scratchTown()
        for (format, package) in [("docx", "pandoc"), ("pdf", "chromium")] {
            let out = town.appendingPathComponent("r.\(format)")
            let r = try CLI.run(
                ["report", town.path, "--format", format, "--out", out.path], env: ["PATH": "/nonexistent"])
            #expect(r.status == 2, "\(format): \(r.stderr)")
            #expect(r.stderr.contains("Debian 软件包 \(package)"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
        let bad = try CLI.run([
            "report", town.path, "--format", "html", "--out", "/tmp/x.html", "--threshold", "60",
        ])
        #expect(bad.status == 2 && bad.stderr.contains("--threshold"))
    }
}
