import ArgumentParser
import DrillCore
import Foundation

/// Range checks on numeric options, told like every other bad input: the option, the range
/// expected and the value found.
enum OptionRange {
    /// Throws a `ValidationError` (exit 2) when `value` is outside `range` or not a number.
    static func check(_ option: String, _ value: Double, _ range: ClosedRange<Double>, lang: Language) throws
    {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError(
                lang.pick(
                    "\(option)：应为 \(show(range.lowerBound)) 到 \(show(range.upperBound)) 之间的数，实际为 “\(show(value))”",
                    "\(option): expected a number from \(show(range.lowerBound)) to \(show(range.upperBound)), found \"\(show(value))\""
                ))
        }
    }

    static func show(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Command-line mistakes found by the argument parser, in the user's language.
enum CommandLineText {
    /// The language asked for with `--lang en` / `--lang=en` (the parser may have failed before
    /// reading it).
    static func language(_ arguments: [String]) -> Language {
        for (i, a) in arguments.enumerated() {
            if a == "--lang=en" || (a == "--lang" && arguments.dropFirst(i + 1).first == "en") { return .en }
        }
        return .zh
    }

    /// `message` (the parser's English text) in Chinese where its form is known.
    static func chinese(_ message: String) -> String {
        let patterns: [(String, (String) -> String)] = [
            ("Missing expected argument '", { "缺少参数 \($0)" }),
            ("Unknown option '", { "未知的选项 \($0)" }),
            ("Unexpected argument '", { "多余的参数 \($0)" }),
            ("Missing value for '", { "选项 \($0) 缺少值" }),
        ]
        for (prefix, make) in patterns where message.hasPrefix(prefix) {
            let rest = message.dropFirst(prefix.count)
            let name = rest.prefix { $0 != "'" }
            return "命令行有误：" + make(String(name))
        }
        if message.hasPrefix("The value '") {
            // The value 'x' is invalid for '--threshold <threshold>'
            let parts = message.split(separator: "'", omittingEmptySubsequences: false)
            if parts.count >= 4 {
                return "命令行有误：选项 \(parts[3]) 的值 “\(parts[1])” 无效"
                    + (message.contains("Please provide one of")
                        ? "（" + (message.components(afterLast: "Please provide one of")) + "）" : "")
            }
        }
        return "命令行有误：" + message
    }
}

extension String {
    /// The text after the last `marker`, trimmed.
    fileprivate func components(afterLast marker: String) -> String {
        guard let r = range(of: marker, options: .backwards) else { return "" }
        return String(self[r.upperBound...]).trimmedSpace
    }
}
