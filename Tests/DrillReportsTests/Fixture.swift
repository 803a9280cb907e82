import DrillCore

/// A hand-built report for 青山镇: one team short of its minimum, one session below the minimum
/// with a drill summary, and members whose names try to break every format.
enum Fixture {
    static let scriptName = "<script>alert(1)</script>"
    static let formulaName = "=HYPERLINK(\"x\")"
    static let awkwardName = "李四, \"老李\"\r\n二组"
    static let pipeName = "王|五"

    static func report(_ language: Language = .zh) -> AnnualReport {
        let summary = DrillSummary(
            purpose: "检验山洪灾害转移撤离预案", timeAndPlace: "龙潭村村委会及后山转移路线",
            units: "龙潭村应急救援队、村卫生室", scenario: "夜间强降雨，后山出现滑坡征兆",
            problems: "通知到户用时过长\n部分老人未能按时转移", causes: "网格员名单未更新",
            lessons: "提前标记独居老人", improvements: "每月更新网格台账；增配应急广播")
        return AnnualReport(
            townName: "青山镇", county: "遂川县", station: "青山镇应急站", year: 2027, asOf: "2027-12-31",
            language: language,
            teams: [
                .init(
                    id: "town", name: "青山镇综合性应急救援队", level: "镇级", members: 32, minimum: 30,
                    roles: [
                        .init(role: "医务", have: 2, required: 1), .init(role: "民兵", have: 8, required: 4),
                    ],
                    missingRoles: [], meetsMinimum: true),
                .init(
                    id: "v-longtan", name: "龙潭村应急救援队", level: "村级", members: 8, minimum: 10,
                    roles: [
                        .init(role: "卫生室", have: 0, required: 1), .init(role: "基干民兵", have: 3, required: 2),
                    ],
                    missingRoles: ["卫生室"], meetsMinimum: false),
            ],
            rules: [
                .init(
                    id: "flood", name: "防汛转移演练", kind: "实战演练", frequency: "每年至少1次", teams: "龙潭村应急救援队",
                    required: 1, held: 1),
                .init(
                    id: "monthly", name: "月度集中训练", kind: "培训", frequency: "每月1次", teams: "青山镇综合性应急救援队",
                    required: 12, held: 10),
            ],
            kinds: [.init(kind: "培训", planned: 12, held: 10), .init(kind: "实战演练", planned: 2, held: 1)],
            sessions: [
                .init(
                    uid: "s1", when: "2027-03-10 09:00-11:30", date: "2027-03-10", name: "月度集中训练", kind: "培训",
                    teams: "青山镇综合性应急救援队", venue: "镇应急站", rosterSize: 32, counted: 28, minimum: 20, late: 2,
                    excused: 1, absent: 3, guests: 1, missingRoles: [], held: true, finalized: true,
                    belowMinimum: false, summary: nil),
                .init(
                    uid: "s2", when: "2027-04-20 19:00-21:00", date: "2027-04-20", name: "山洪转移演练",
                    kind: "实战演练",
                    teams: "龙潭村应急救援队", venue: "龙潭村村委会", rosterSize: 8, counted: 5, minimum: 6, late: 1,
                    excused: 1, absent: 2, guests: 0, missingRoles: ["卫生室"], held: true, finalized: true,
                    belowMinimum: true, summary: summary),
                .init(
                    uid: "s3", when: "2028-01-15 09:00-11:00", date: "2028-01-15", name: "森林防火桌面推演",
                    kind: "桌面演练",
                    teams: "青山镇综合性应急救援队、龙潭村应急救援队", venue: "镇会议室", rosterSize: 40, counted: 0,
                    minimum: 24, late: 0, excused: 0, absent: 0, guests: 0, missingRoles: [], held: false,
                    finalized: false, belowMinimum: false, summary: nil),
            ],
            members: [
                .init(
                    id: "M001", name: "张三", teams: "青山镇综合性应急救援队", expected: 1, attended: 1, rate: 1,
                    belowThreshold: false, cells: ["present", ""]),
                .init(
                    id: "M002", name: scriptName, teams: "龙潭村应急救援队", expected: 1, attended: 1, rate: 1,
                    belowThreshold: false, cells: ["", "late"]),
                .init(
                    id: "M003", name: formulaName, teams: "龙潭村应急救援队", expected: 1, attended: 0, rate: 0,
                    belowThreshold: true, cells: ["", "absent"]),
                .init(
                    id: "M004", name: awkwardName, teams: "青山镇综合性应急救援队、龙潭村应急救援队", expected: 2, attended: 1,
                    rate: 0.5, belowThreshold: true, cells: ["present", "absent"]),
                .init(
                    id: "M005", name: pipeName, teams: "青山镇综合性应急救援队", expected: 0, attended: 0, rate: nil,
                    belowThreshold: false, cells: ["excused", ""]),
                .init(
                    id: "-M006", name: "赵六's", teams: "龙潭村应急救援队", expected: 3, attended: 2, rate: 2.0 / 3.0,
                    belowThreshold: false, cells: ["", "present"]),
            ],
            matrixSessions: [
                .init(uid: "s1", date: "2027-03-10", title: "月度集中训练"),
                .init(uid: "s2", date: "2027-04-20", title: "山洪转移演练"),
            ],
            threshold: 0.6,
            shortfalls: ["龙潭村应急救援队仅8人，低于最低10人", "山洪转移演练实到5人，低于最低6人"],
            actions: ["6月底前从青壮劳力中补充2名队员", "与村卫生室签订协议，指定1名医务人员"],
            forecast: [.init(team: "青山镇综合性应急救援队", deadline: "2027-12-31", message: "月度集中训练尚差2次")])
    }
}
