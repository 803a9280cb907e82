import Foundation
import Testing

/// `check --json` against docs/schema/check.schema.json, with a small validator for the keywords the
/// schema uses (type, required, properties, additionalProperties, items, enum, pattern, minimum).
struct CheckSchemaTests {
    /// JSON as decoded by JSONDecoder, which keeps `true` and `1` apart (JSONSerialization does not on Linux).
    enum JSON: Decodable {
        case object([String: JSON]), array([JSON]), string(String), bool(Bool), int(Int), double(Double), null

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? c.decode(Int.self) {
                self = .int(i)
            } else if let d = try? c.decode(Double.self) {
                self = .double(d)
            } else if let s = try? c.decode(String.self) {
                self = .string(s)
            } else if let a = try? c.decode([JSON].self) {
                self = .array(a)
            } else {
                self = .object(try c.decode([String: JSON].self))
            }
        }
    }

    static func validate(_ value: JSON, _ schema: [String: Any], _ path: String, _ errors: inout [String]) {
        if let type = schema["type"] as? String {
            let ok: Bool
            switch (type, value) {
            case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool),
                ("integer", .int):
                ok = true
            case ("object", _), ("array", _), ("string", _), ("boolean", _), ("integer", _): ok = false
            default: ok = true
            }
            if !ok { errors.append("\(path): expected \(type), found \(value)"); return }
        }
        if let e = schema["enum"] as? [String], case .string(let s) = value, !e.contains(s) {
            errors.append("\(path): \(s) not in enum")
        }
        if let p = schema["pattern"] as? String, case .string(let s) = value,
            s.range(of: p, options: .regularExpression) == nil
        {
            errors.append("\(path): \(s) does not match \(p)")
        }
        if let m = (schema["minimum"] as? NSNumber)?.intValue, case .int(let n) = value, n < m {
            errors.append("\(path): \(n) < \(m)")
        }
        if case .object(let object) = value {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                errors.append("\(path): missing \(key)")
            }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for (key, v) in object {
                if let sub = properties[key] {
                    validate(v, sub, "\(path).\(key)", &errors)
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    validate(v, extra, "\(path).\(key)", &errors)
                } else if (schema["additionalProperties"] as? Bool) == false {
                    errors.append("\(path): unexpected key \(key)")
                }
            }
        }
        if case .array(let array) = value, let items = schema["items"] as? [String: Any] {
            for (i, v) in array.enumerated() { validate(v, items, "\(path)[\(i)]", &errors) }
        }
    }

    @Test func checkJSONFollowsTheDocumentedSchema() throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"]).status == 0)
        let r = try CLI.run(["check", town.path, "--json", "--as-of", "2027-07-01"])
        #expect(r.status == 1)
        let schema =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: CLI.root.appendingPathComponent("docs/schema/check.schema.json")))
            as! [String: Any]
        let value = try JSONDecoder().decode(JSON.self, from: Data(r.stdout.utf8))
        var errors: [String] = []
        Self.validate(value, schema, "$", &errors)
        #expect(errors.isEmpty, "\(errors.prefix(5))")
        #expect(r.stdout.contains("\"kind\" : \"below_minimum\""))
        // The validator itself rejects what the schema forbids.
        var bad: [String] = []
        let wrong =
            #"{"town": "x", "asOf": "July", "ok": 1, "counts": {}, "findings": [{"kind": "nope"}], "rules": [], "extra": 1}"#
        Self.validate(try JSONDecoder().decode(JSON.self, from: Data(wrong.utf8)), schema, "$", &bad)
        #expect(bad.count >= 4, "\(bad)")
    }
}

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
