/// A strict lexical reader for iCalendar files (RFC 5545 §3.1), shared by the test targets and
/// written from the RFC, not from the writer: it shares no code with `ICal`'s folding.
///
/// It reports every physical line that breaks one of these:
/// - lines end in CRLF; no CR or LF anywhere else (and the file ends in CRLF);
/// - at most 75 octets per line, not counting the CRLF;
/// - no control character inside a line (C0, DEL or C1; HTAB included);
/// - no empty line and no empty continuation line (a lone space);
/// - each line, without its leading fold space, is valid UTF-8 on its own (a fold never splits a
///   character);
/// - each unfolded content line starts with a property name (`[A-Za-z0-9-]+`) then `;` or `:`;
/// - the file is one VCALENDAR with balanced BEGIN/END.
public enum FeedLint {
    /// One fault: the 1-based physical line and what is wrong.
    public struct Fault: CustomStringConvertible, Sendable, Equatable {
        public var line: Int
        public var problem: String
        public var description: String { "line \(line): \(problem)" }
    }

    /// Every fault of `bytes` (empty when the file is lexically clean).
    public static func faults(_ bytes: [UInt8]) -> [Fault] {
        var faults: [Fault] = []
        guard !bytes.isEmpty else { return [Fault(line: 1, problem: "empty file")] }
        // Split at CRLF only: any other CR or LF stays inside a line and is reported there.
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                lines.append(bytes[start..<i])
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        if start < bytes.count {
            faults.append(Fault(line: lines.count + 1, problem: "the file does not end with CRLF"))
            lines.append(bytes[start...])
        }

        var logical: [(line: Int, text: [UInt8])] = []
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.count > 75 {
                faults.append(Fault(line: number, problem: "\(line.count) octets (more than 75)"))
            }
            if line.isEmpty { faults.append(Fault(line: number, problem: "empty line")) }
            for byte in line {
                if byte == 0x0D {
                    faults.append(Fault(line: number, problem: "bare CR inside the line"))
                } else if byte == 0x0A {
                    faults.append(Fault(line: number, problem: "bare LF inside the line"))
                } else if byte < 0x20 || byte == 0x7F {
                    faults.append(
                        Fault(
                            line: number, problem: "control byte 0x\(String(byte, radix: 16)) inside the line"
                        ))
                }
            }
            let isContinuation = line.first == 0x20 || line.first == 0x09
            let body = isContinuation ? line.dropFirst() : line
            if isContinuation && body.isEmpty {
                faults.append(Fault(line: number, problem: "empty continuation line"))
            }
            if let decoded = String(validating: body, as: UTF8.self) {
                if decoded.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }) {
                    faults.append(Fault(line: number, problem: "C1 control character inside the line"))
                }
            } else {
                faults.append(
                    Fault(line: number, problem: "not valid UTF-8 on its own (a fold split a character)"))
            }
            if isContinuation, !logical.isEmpty {
                logical[logical.count - 1].text += body
            } else if !line.isEmpty {
                logical.append((number, Array(line)))
            }
        }

        var depth: [String] = []
        for (number, text) in logical {
            let nameEnd = text.firstIndex { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ":") }
            let name = text[..<(nameEnd ?? text.endIndex)]
            let isName =
                !name.isEmpty
                && name.allSatisfy {
                    (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                        || $0 == 0x2D
                }
            guard nameEnd != nil, isName else {
                faults.append(Fault(line: number, problem: "no property name before ';' or ':'"))
                continue
            }
            let content = String(decoding: text, as: UTF8.self)
            if content.uppercased().hasPrefix("BEGIN:") {
                depth.append(String(content.dropFirst(6)).uppercased())
            } else if content.uppercased().hasPrefix("END:") {
                let component = String(content.dropFirst(4)).uppercased()
                if depth.last == component {
                    depth.removeLast()
                } else {
                    faults.append(
                        Fault(
                            line: number,
                            problem: "END:\(component) does not close \(depth.last ?? "anything")"))
                }
            } else if depth.isEmpty {
                faults.append(Fault(line: number, problem: "content outside BEGIN:VCALENDAR"))
            }
        }
        if let first = logical.first, String(decoding: first.text, as: UTF8.self) != "BEGIN:VCALENDAR" {
            faults.append(Fault(line: first.line, problem: "expected BEGIN:VCALENDAR first"))
        }
        if !depth.isEmpty {
            faults.append(Fault(line: lines.count, problem: "unclosed \(depth.joined(separator: ", "))"))
        }
        return faults
    }

    /// Faults of a string's UTF-8 bytes.
    public static func faults(_ text: String) -> [Fault] { faults(Array(text.utf8)) }
}
