import ArgumentParser
import DrillCore
import DrillIO
import DrillReports
import DrillStore
import DrillWeb
import Foundation

extension Drillcal {
    /// `drillcal sheet DIR SESSION --format html|csv|xlsx`: a pre-filled sign-in sheet (签到表).
    struct Sheet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "打印签到表 / a pre-filled sign-in sheet",
            discussion: """
                drillcal sheet DIR UID --format html --out 签到表.html   打印用：活动、时间、地点、名册、空白出勤与原因栏、签到二维码
                drillcal sheet DIR UID --format csv --out 签到表.csv     填好后原样导入：drillcal attend DIR --import 签到表.csv
                drillcal sheet DIR UID --format xlsx --out 签到表.xlsx   Excel 工作簿，同样原样导入：drillcal attend DIR UID --import 签到表.xlsx
                “出勤”填 到场/迟到/请假/缺勤（请假须填原因）；未填的行不登记（按缺勤计）。
                The CSV or XLSX, once filled in, imports unchanged with `attend --import`; rows left blank record nothing.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case html, csv, xlsx }

        @OptionGroup var town: TownOptions
        @Argument(help: "活动 UID / session UID") var uid: String
        @Option(help: "格式 / format: html, csv, xlsx") var format: Format = .html
        @Option(help: "输出文件，默认打印到屏幕 / output file (default: standard output)") var out: String?
        @Option(
            name: [.customLong("public-url"), .customLong("base-url")],
            help: "二维码中的服务地址，默认 plan.yaml 的 public_url / the address in the QR code")
        var baseURL: String?

        func validate() throws {
            if format == .xlsx && out == nil {
                throw ValidationError(
                    town.lang.pick("--format xlsx 须用 --out 给出文件名", "--format xlsx needs --out FILE"))
            }
        }

        func run() async throws {
            let l = town.lang
            let input = try town.load()
            let store = try await town.requireStore()
            let session: SessionRecord
            let roster: [RosterEntry]
            do {
                guard let found = try await store.session(uid), !found.cancelled else {
                    throw StoreError.unknownSession(uid)
                }
                session = found
                roster = try await store.roster(of: uid)
            } catch let error as StoreError {
                Console.error(error.message(l))
                throw ExitCode(error.isInput ? 2 : 3)
            }
            let plan = input.plan
            let title = plan.rules.first { $0.id == session.ruleID }.map { l == .zh ? $0.name : ($0.nameEnglish ?? $0.name) }
                ?? session.ruleID
            let start = LocalTime(minutes: session.slot.startMinute % 1440)?.description ?? ""
            let end = LocalTime(minutes: session.slot.endMinute % 1440)?.description ?? ""
            let time = "\(session.slot.date) \(start)–\(end)"
            let place = session.venueID.map { id in plan.venues.first { $0.id == id }?.name ?? id } ?? ""
            // One line per person (a member on two of the session's teams is listed once).
            var people: [(id: String, name: String, teams: [String])] = []
            for entry in roster {
                let team = plan.team(entry.teamID)?.displayName(l) ?? entry.teamID
                if let i = people.firstIndex(where: { $0.id == entry.memberID }) {
                    people[i].teams.append(team)
                } else {
                    people.append((entry.memberID, entry.name, [team]))
                }
            }
            // Column names the importer reads; Chinese, as the sheet is filled in Chinese.
            let header = ["活动", "时间", "地点", "队伍", "编号", "姓名", "出勤", "原因"]
            let table = people.map { p in
                [session.uid, time, place, p.teams.joined(separator: "、"), p.id, p.name, "", ""]
            }
            let bytes: [UInt8]
            switch format {
            case .xlsx:
                // The same table as the CSV, as a workbook (the status column a drop-down list).
                let out = out!
                do {
                    try SignInWorkbook.write(
                        SignInWorkbook.Sheet(
                            name: "签到表", header: header, rows: table, statusColumn: 6,
                            statuses: AttendanceStatus.allCases.map { $0.label(.zh) },
                            widths: [36, 24, 16, 16, 12, 10, 12, 24]),
                        to: out, language: l)
                } catch {
                    Console.error(error.message)
                    throw ExitCode(3)
                }
                print(l.pick("已写入签到表 \(out)（\(people.count) 人）", "Wrote the sign-in sheet \(out) (\(people.count) people)"))
                return
            case .csv:
                var text = CSVText.line(header) + "\r\n"
                for row in table { text += CSVText.line(row) + "\r\n" }
                bytes = CSVText.byteOrderMark + Array(text.utf8)
            case .html:
                let base = baseURL.flatMap(PublicURL.normalize) ?? plan.feeds.publicURL ?? "http://127.0.0.1:8080"
                let path = session.uid.addingPercentEncoding(
                    withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? session.uid
                let link = "\(base)/checkin/\(path)"
                let qr = QRCode.svg(link, pixels: 140, label: l.pick("签到页面二维码", "check-in page QR code")) ?? ""
                let rows = people.enumerated().map { i, p in
                    "<tr><td>\(i + 1)</td><td>\(HTML.escape(p.id))</td><td>\(HTML.escape(p.name))</td><td>\(HTML.escape(p.teams.joined(separator: "、")))</td><td></td><td></td><td></td></tr>"
                }.joined(separator: "\n")
                let body = """
                    <header><div><h1>\(HTML.escape(plan.town.name)) · \(l.pick("签到表", "Sign-in sheet"))</h1>
                    <p><b>\(l.pick("活动", "Session"))：</b>\(HTML.escape(title))</p>
                    <p><b>\(l.pick("时间", "Time"))：</b>\(HTML.escape(time))</p>
                    <p><b>\(l.pick("地点", "Place"))：</b>\(HTML.escape(place))</p>
                    <p class="uid">\(HTML.escape(session.uid))</p></div>
                    <figure>\(qr)<figcaption>\(l.pick("带队人扫码签到", "Leader: scan to check in"))<br><span class="uid">\(HTML.escape(link))</span></figcaption></figure></header>
                    <table><thead><tr><th>\(l.pick("序号", "No."))</th><th>\(l.pick("编号", "ID"))</th><th>\(l.pick("姓名", "Name"))</th><th>\(l.pick("队伍", "Team"))</th>\
                    <th class="w">\(l.pick("出勤（到场/迟到/请假/缺勤）", "Status"))</th><th class="w">\(l.pick("原因", "Reason"))</th><th class="w">\(l.pick("签名", "Signature"))</th></tr></thead>
                    <tbody>
                    \(rows)
                    </tbody></table>
                    <p class="foot">\(l.pick("带队人签字：__________　　日期：__________　　来宾请写在表末（只写姓名）", "Leader's signature: __________   Date: __________   Guests: add at the end (name only)"))</p>
                    """
                let style = """
                    @page{size:A4;margin:14mm}body{font-family:"Noto Sans CJK SC","PingFang SC",sans-serif;font-size:12pt;color:#000}
                    header{display:flex;justify-content:space-between;align-items:flex-start}h1{font-size:16pt;margin:0 0 6px}
                    p{margin:3px 0}.uid{font-size:8pt;color:#444;word-break:break-all}figure{margin:0;text-align:center;width:160px}
                    table{border-collapse:collapse;width:100%;margin-top:10px}th,td{border:1px solid #000;padding:6px 4px;white-space:nowrap}
                    th.w{width:18%}tr{height:28px}.foot{margin-top:14px}
                    """
                bytes = Array(
                    HTML.document(language: l == .zh ? "zh-CN" : "en", title: l.pick("签到表", "Sign-in sheet") + " " + title, style: style, body: body).utf8)
            }
            guard let out else {
                FileHandle.standardOutput.write(Data(bytes))
                return
            }
            do {
                try FeedWriterBridge.replace(out, bytes)
            } catch {
                Console.error(FileProblem.writeError(error, path: out).message(l))
                throw ExitCode(3)
            }
            print(l.pick("已写入签到表 \(out)（\(people.count) 人）", "Wrote the sign-in sheet \(out) (\(people.count) people)"))
        }
    }
}
