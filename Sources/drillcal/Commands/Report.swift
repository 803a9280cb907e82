import ArgumentParser
import DrillCore
import DrillFeeds
import DrillIO
import DrillReports
import Foundation

extension Drillcal {
    /// `drillcal report DIR --year Y --format html|md|docx|pdf|csv|xlsx --out PATH`.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "生成年度工作总结与出勤表 / write the annual report and the attendance matrix",
            discussion: """
                html / md / docx / pdf：报县应急管理局的年度应急培训演练工作总结（一、基本情况 二、队伍建设 \
                三、培训演练开展情况 四、存在问题 五、整改措施 六、下一年度工作计划，落款，附件）。
                docx 由 pandoc 转换，pdf 由 headless Chromium 打印（缺少时提示安装的 Debian 软件包）。
                下一年度计划取自 --next 指定的城镇目录，或 DIR/<年份+1>/plan.yaml；都没有时按本年度规则写。
                csv / xlsx：队员 × 活动出勤矩阵（列名唯一：日期 + 村或队伍 + 简称）。
                """)

        @OptionGroup var town: TownOptions
        @Option(help: "报告年份（须与 plan.yaml 一致）/ the year (must match plan.yaml)") var year: Int?
        @Option(help: "格式 / format: html, md, docx, pdf, csv, xlsx") var format: ReportFormat
        @Option(help: "输出文件 / output file") var out: String
        @Option(help: "统计截止日期，默认今天（或全年已过时为 12-31）/ as-of date") var asOf: String?
        @Option(help: "出勤率阈值（0-1）/ attendance threshold") var threshold: Double = 0.6
        @Option(help: "下一年度预案所在目录或 plan.yaml / next year's plan (folder or plan.yaml)") var next: String?
        @Option(help: "落款联系人 / contact for the sign-off") var contact: String = ""
        @Option(help: "落款电话（应急站办公电话）/ the station's phone for the sign-off") var phone: String = ""
        @Option(help: "落款日期，默认统计截止日 / date of the report") var date: String?

        func validate() throws {
            try OptionRange.check("--threshold", threshold, 0...1, lang: town.lang)
            if let year { try OptionRange.check("--year", Double(year), 1970...9999, lang: town.lang) }
        }

        func run() async throws {
            // A county or province folder: the region's summary (RegionCheck.swift).
            if RegionLoader.isRegion(town.directory) { return try RegionReportCommand(report: self).run() }
            let l = town.lang
            let (input, compliance) = try await town.compliance(asOf: asOf, threshold: threshold)
            if let year, year != input.plan.year {
                Console.error(
                    l.pick(
                        "--year：应为 \(input.planFile) 中的年份 \(input.plan.year)，实际为 \(year)",
                        "--year: expected the plan's year \(input.plan.year) (\(input.planFile)), found \(year)"
                    ))
                throw ExitCode(2)
            }
            var c = compliance
            let yearEnd = CivilDate(year: input.plan.year, month: 12, day: 31)!
            if c.asOf > yearEnd { c.asOf = yearEnd }
            var builder = ReportBuilder(
                compliance: c, language: l, nextPlan: try nextPlan(year: input.plan.year + 1))
            builder.contact = contact
            builder.phone = phone
            if let date { builder.reportDate = try today(date, timeZone: input.plan.timeZone, lang: l) }
            let report = builder.build()
            do {
                switch format {
                case .html: try write(Array(ReportRenderer.html(report).utf8))
                case .md: try write(Array(ReportRenderer.markdown(report).utf8))
                case .csv: try write(ReportRenderer.attendanceCSV(report))
                case .xlsx: try ReportRenderer.writeXLSX(report, to: out)
                case .docx: try DocumentConverter.docx(html: ReportRenderer.html(report), to: out, lang: l)
                case .pdf: try DocumentConverter.pdf(html: ReportRenderer.html(report), to: out, lang: l)
                }
            } catch let failure as DocumentConverter.Failure {
                Console.error(failure.message)
                throw ExitCode(failure.exitCode)
            } catch {
                Console.error(FileProblem.writeError(error, path: out).message(l))
                throw ExitCode(3)
            }
            print(
                l.pick(
                    "已生成 \(out)（\(format.rawValue)，截至 \(c.asOf)）",
                    "Wrote \(out) (\(format.rawValue), as of \(c.asOf))"))
        }

        /// Next year's plan: `--next` (a folder or a plan.yaml), else `DIR/<year>/plan.yaml` if present.
        func nextPlan(year: Int) throws -> Plan? {
            var path: String?
            if let next {
                var isDir: ObjCBool = false
                path =
                    FileManager.default.fileExists(atPath: next, isDirectory: &isDir) && isDir.boolValue
                    ? (next as NSString).appendingPathComponent("plan.yaml") : next
            } else {
                let candidate = (town.directory as NSString).appendingPathComponent("\(year)/plan.yaml")
                if FileManager.default.fileExists(atPath: candidate) { path = candidate }
            }
            guard let path else { return nil }
            do {
                return try PlanLoader.load(file: path, recurrence: LibicalRecurrence())
            } catch {
                Console.error(error.message(town.lang))
                throw ExitCode(2)
            }
        }

        func write(_ bytes: [UInt8]) throws {
            try FeedWriterBridge.replace(out, bytes)
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
