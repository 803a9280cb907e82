import ArgumentParser
import DrillCore
import DrillReports
import Foundation

extension Drillcal {
    /// `drillcal report DIR --year Y --format html|md|csv|xlsx --out PATH`.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "生成年度报告与出勤表 / write the annual report and the attendance matrix",
            discussion: """
                html / md：报县应急管理局的年度培训演练工作情况报告（含队伍、规则、出勤、问题与措施、演练总结、出勤矩阵）。
                csv / xlsx：队员 × 活动出勤矩阵（低于阈值者标出）。
                """)

        @OptionGroup var town: TownOptions
        @Option(help: "报告年份（须与 plan.yaml 一致）/ the year (must match plan.yaml)") var year: Int?
        @Option(help: "格式 / format: html, md, csv, xlsx") var format: ReportFormat
        @Option(help: "输出文件 / output file") var out: String
        @Option(help: "统计截止日期，默认今天（或全年已过时为 12-31）/ as-of date") var asOf: String?
        @Option(help: "出勤率阈值（0-1）/ attendance threshold") var threshold: Double = 0.6

        func validate() throws {
            try OptionRange.check("--threshold", threshold, 0...1, lang: town.lang)
            if let year { try OptionRange.check("--year", Double(year), 1970...9999, lang: town.lang) }
        }

        func run() async throws {
            let l = town.lang
            let (input, compliance) = try await town.compliance(asOf: asOf, threshold: threshold)
            if let year, year != input.plan.year {
                Console.error(l.pick(
                    "--year：应为 \(input.planFile) 中的年份 \(input.plan.year)，实际为 \(year)",
                    "--year: expected the plan's year \(input.plan.year) (\(input.planFile)), found \(year)"))
                throw ExitCode(2)
            }
            var c = compliance
            let yearEnd = CivilDate(year: input.plan.year, month: 12, day: 31)!
            if c.asOf > yearEnd { c.asOf = yearEnd }
            let report = ReportBuilder(compliance: c, language: l).build()
            do {
                switch format {
                case .html: try write(Array(ReportRenderer.html(report).utf8))
                case .md: try write(Array(ReportRenderer.markdown(report).utf8))
                case .csv: try write(ReportRenderer.attendanceCSV(report))
                case .xlsx: try ReportRenderer.writeXLSX(report, to: out)
                }
            } catch {
                Console.error(FileProblem.writeError(error, path: out).message(l))
                throw ExitCode(3)
            }
            print(l.pick("已生成 \(out)（\(format.rawValue)，截至 \(c.asOf)）", "Wrote \(out) (\(format.rawValue), as of \(c.asOf))"))
        }

        func write(_ bytes: [UInt8]) throws {
            try FeedWriterBridge.replace(out, bytes)
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
