import DrillCore
import Foundation
import Testing

@testable import DrillIO

/// Replays every input kept under Tests/DrillIOTests/Fuzz (by scripts/fuzz.sh, or written by hand
/// from an issue): the parser named by the file's prefix must return or throw an `InputError`
/// whose messages hold no control character, quickly. A crash ends the test process.
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fuzz")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
            $0.hasSuffix(".bin")
        }.sorted()
    }

    @Test func thereAreInputsForEveryParser() {
        for parser in ["plan", "roster", "signin", "summary"] {
            #expect(Self.inputs.contains { $0.hasPrefix(parser + "-") }, "no regression input for \(parser)")
        }
    }

    /// The parser named by the file's prefix, on `bytes`.
    static func parse(_ name: String, _ bytes: [UInt8], plan: Plan) throws(InputError) {
        if name.hasPrefix("plan-") {
            _ = try PlanLoader.parse(
                yaml: String(decoding: bytes, as: UTF8.self), file: "plan.yaml", recurrence: fake)
        } else if name.hasPrefix("summary-") {
            _ = try SummaryFile.parse(yaml: String(decoding: bytes, as: UTF8.self), file: "summary.yaml")
        } else if name.hasPrefix("roster-") {
            let text = try TextDecoder.decode(bytes, encoding: .auto, file: "roster.csv")
            _ = try RosterLoader.parse(text: text, file: "roster.csv", plan: plan)
        } else if name.hasPrefix("signin-") {
            let text = try TextDecoder.decode(bytes, encoding: .auto, file: "sheet.csv")
            _ = try SignInSheet.parse(text: text, file: "sheet.csv")
        } else {
            Issue.record("\(name): the prefix names no parser")
        }
    }

    @Test(arguments: inputs)
    func replays(name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let plan = try parsedPlan()
        let clock = ContinuousClock()
        let started = clock.now
        do {
            try Self.parse(name, bytes, plan: plan)
        } catch {
            for language in Language.allCases {
                #expect(!error.message(language).unicodeScalars.contains { $0.value < 0x20 }, "\(name)")
            }
        }
        // Generous: a regression (an alias bomb expanding) takes minutes, not seconds.
        #expect(clock.now - started < .seconds(5), "\(name)")
    }
}
