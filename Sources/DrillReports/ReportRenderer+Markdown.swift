import DrillCore

extension ReportRenderer {
    /// The annual report as Markdown (GitHub-flavoured tables), same sections as the HTML.
    ///
    /// Text from the report is escaped: `|` cannot split a cell, line breaks become `<br>`, and
    /// Markdown punctuation and `<` are backslash-escaped so a name stays a name.
    ///
    /// - Parameter r: The report; its `language` picks the labels.
    /// - Returns: The document, ending with a newline.
    public static func markdown(_ r: AnnualReport) -> String {
        MarkdownReport(r).render()
    }
}

/// Builds the Markdown document section by section.
struct MarkdownReport {
    let r: AnnualReport
    let text: ReportText

    init(_ r: AnnualReport) {
        self.r = r
        text = ReportText(r.language)
    }

    /// Escapes inline text: Markdown punctuation and `<` get a backslash, line breaks become `<br>`.
    static func escape(_ s: String) -> String {
        s.replacingCRLF().mappingScalars { scalar in
            switch scalar {
            case "\n": "<br>"
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "&", "#", "~", "!", "{", "}":
                "\\" + String(scalar)
            default: nil
            }
        }
    }

    private func esc(_ s: String) -> String { Self.escape(s) }

    func table(_ headers: [String], _ rows: [[String]], numericFrom: Int? = nil) -> String {
        var s = "| " + headers.map(esc).joined(separator: " | ") + " |\n|"
        for i in headers.indices { s += numericFrom.map { i >= $0 } == true ? " ---: |" : " --- |" }
        s += "\n"
        // Cells are escaped by the caller so markers such as **bold** can be added on purpose.
        for row in rows { s += "| " + row.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |\n" }
        return s + "\n"
    }

    func list(_ items: [String]) -> String {
        guard !items.isEmpty else { return esc(text.none) + "\n\n" }
        return items.enumerated().map { "\($0.offset + 1). \(esc($0.element))\n" }.joined() + "\n"
    }

    func joined(_ items: [String]) -> String {
        items.isEmpty ? "—" : esc(items.joined(separator: text.listSeparator))
    }

    func render() -> String {
        var s = "# \(esc(text.title(r)))\n\n"
        s += "\(esc(text.recipient(r)))  \n\(esc(text.station(r)))  \n\(esc(text.asOf(r)))\n\n"

        let tw = r.township
        s += "## \(esc(text.sectionOverview))\n\n"
        if !tw.overview.isEmpty { s += esc(tw.overview) + "\n\n" }

        s += "## \(esc(text.sectionTeams))\n\n"
        if !tw.teamsParagraph.isEmpty { s += esc(tw.teamsParagraph) + "\n\n" }
        s +=
            r.teams.isEmpty
            ? esc(text.none) + "\n\n"
            : table(
                [
                    text.team, text.level, "\(text.size) / \(text.minimumSize)", text.roles,
                    text.missingRoles, text.result,
                ],
                r.teams.map { t in
                    let ok = t.meetsMinimum && t.missingRoles.isEmpty
                    return [
                        esc(t.name), esc(t.level), "\(t.members) / \(t.minimum)",
                        esc(text.roleList(t.roles).joined(separator: text.listSeparator)),
                        joined(t.missingRoles),
                        ok ? esc(text.ok) : "**\(esc(text.notOK))**",
                    ]
                })


        s += "## \(esc(text.sectionSessions))\n\n"
        s += "### \(esc(text.subKinds))\n\n"
        if !tw.kinds.isEmpty {
            s += table(
                [text.kind, text.requiredCount, text.scheduled, text.held, text.cancelled, text.unscheduled],
                tw.kinds.map { k in
                    [esc(k.kind), String(k.required), String(k.planned), String(k.held), String(k.cancelled), String(k.unscheduled)]
                }, numericFrom: 1)
        } else {
            s += table(
                [text.kind, text.planned, text.held],
                r.kinds.map { [esc($0.kind), String($0.planned), String($0.held)] }, numericFrom: 1)
        }
        s += "### \(esc(text.subRules))\n\n"
        s +=
            r.rules.isEmpty
            ? esc(text.none) + "\n\n"
            : table(
                [text.rule, text.kind, text.frequency, text.teams, text.required, text.held, text.status],
                r.rules.map { x in
                    let ok = x.held >= x.required
                    return [
                        esc(x.name), esc(x.kind), esc(x.frequency), esc(x.teams), String(x.required),
                        String(x.held),
                        ok ? esc(text.done) : "**\(esc(text.open))**",
                    ]
                })


        if !tw.deadlines.isEmpty {
            s += "#### \(esc(text.deadlinesHeading))\n\n"
            s += table(
                [text.rule, text.deadline, text.status, text.progress],
                tw.deadlines.map { [esc($0.name), esc($0.due), esc($0.done ? text.deadlineDone : text.deadlineOpen), esc($0.note)] })
        }
        s += "### \(esc(text.subTurnout))\n\n"
        if !tw.teamTurnout.isEmpty {
            s += table(
                [text.team, text.sessionsHeld, text.averageCounted, text.teamMinimum, text.belowCount, text.turnoutRate],
                tw.teamTurnout.map { t in
                    [
                        esc(t.name), String(t.sessions), t.averageCounted.map { decimal($0) } ?? "—", String(t.minimum),
                        t.below > 0 ? "**\(t.below)**" : "0", t.rate.map { percent($0) } ?? "—",
                    ]
                }, numericFrom: 1)
        }

        s += "## \(esc(text.sectionProblems))\n\n"
        s += list(tw.problems.isEmpty ? r.shortfalls : tw.problems)

        s += "## \(esc(text.sectionActions))\n\n"
        if tw.actions.isEmpty {
            s += esc(text.noActions) + "\n\n"
        } else {
            let done = tw.actions.filter(\.done).count
            s += esc(text.actionsCount(open: tw.actions.count - done, done: done)) + "\n\n"
            s += table(
                [text.actionNo, text.actionText, text.owner, text.due, text.status, text.progress],
                tw.actions.map { x in
                    [
                        "#\(x.id)", esc(x.text), esc(x.owner), esc(x.due),
                        esc(x.done ? text.actionDone : (x.overdue ? text.actionOverdue : text.actionOpen)), esc(x.note),
                    ]
                })
        }
        if !r.actions.isEmpty { s += "### \(esc(text.subMeasures))\n\n" + list(r.actions) }

        s += "## \(esc(text.sectionNextYear))\n\n"
        if !tw.nextYear.isEmpty {
            s += esc(tw.nextYearFromPlan ? text.nextFromPlan : text.nextFromRules) + "\n\n" + list(tw.nextYear)
        } else {
            s += esc(text.none) + "\n\n"
        }
        let so = tw.signOff
        s += "\(esc(text.signUnit))：\(esc(so.unit.isEmpty ? r.station : so.unit))\(esc(text.signSeal))  \n"
        s += "\(esc(text.signContact))：\(esc(so.contact))  \n\(esc(text.signPhone))：\(esc(so.phone))  \n"
        s += "\(esc(text.signDate))：\(esc(so.date))\n\n"

        s += "## \(esc(text.appendixSessions))\n\n"
        if r.sessions.isEmpty {
            s += esc(text.noSessions) + "\n\n"
        } else {
            s += esc(text.sessionsNote) + "\n\n"
            s += table(
                [
                    text.when, text.session, text.kind, text.teams, text.venue, text.roster, text.counted,
                    text.minimumTurnout, text.late, text.excused, text.absent, text.guests, text.missingRoles,
                    text.status,
                ],
                r.sessions.map { x in
                    func n(_ v: Int) -> String { x.held ? String(v) : "—" }
                    let status =
                        !x.held
                        ? esc(text.notHeld)
                        : x.belowMinimum
                            ? "**\(esc(text.belowMinimum))**" + esc(x.finalized ? "" : text.notFinal)
                            : esc(text.turnoutOK + (x.finalized ? "" : text.notFinal))
                    let counted = x.belowMinimum ? "**\(x.counted)**" : n(x.counted)
                    return [
                        esc(x.when), esc(x.name), esc(x.kind), esc(x.teams), esc(x.venue),
                        String(x.rosterSize), counted,
                        String(x.minimum), n(x.late), n(x.excused), n(x.absent), n(x.guests),
                        joined(x.missingRoles), status,
                    ]
                })
        }


        s += "## \(esc(text.appendixSummaries))\n\n"
        let withSummary = r.sessions.filter { $0.summary != nil }
        if withSummary.isEmpty { s += esc(text.noSummaries) + "\n\n" }
        for x in withSummary {
            guard let summary = x.summary else { continue }
            s += "### \(esc(x.date)) \(esc(x.name))\n\n"
            s += table(
                [r.language.pick("项目", "Item"), r.language.pick("内容", "Record")],
                text.summaryFields.map { field in
                    var value = esc(summary[keyPath: field.value])
                    if field.value == \DrillSummary.timeAndPlace {
                        value += (value.isEmpty ? "" : "<br>") + "（\(esc(x.when)) · \(esc(x.venue))）"
                    }
                    return [esc(field.label), value.isEmpty ? "—" : value]
                })
        }


        s += "## \(esc(text.appendixMatrix))\n\n"
        if r.members.isEmpty {
            s += esc(text.noMembers) + "\n"
        } else {
            s += esc(text.thresholdNote(r.threshold)) + "\n\n"
            let m = AttendanceMatrix(r)
            s += table(
                m.header,
                m.rows.map { row in
                    row.cells.enumerated().map { i, cell in
                        let v = esc(cell.display)
                        // The member's name and rate are bold when under the threshold: Markdown has no shading.
                        return row.belowThreshold && (i == 1 || i == m.firstSession + m.sessionCount + 2)
                            && !v.isEmpty
                            ? "**\(v)** ✗" : v
                    }
                }, numericFrom: m.firstSession + m.sessionCount)
        }
        return s
    }
}
