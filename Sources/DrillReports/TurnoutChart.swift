import DrillCore
import DrillWeb

/// The inline SVG bar chart of turnout against the minimum, one bar per team: the bar is the
/// average counted turnout (到场 + 迟到) over the team's held sessions, the red mark the average
/// minimum those sessions asked for. Pure SVG computed here, so the report needs no script or asset.
struct TurnoutChart {
    struct Bar: Equatable {
        var team: String
        /// Average counted turnout, nil when the team held no session.
        var average: Double?
        /// Average minimum turnout of the same sessions.
        var minimum: Double?
        var sessions: Int
        var below: Bool { if let a = average, let m = minimum { a < m } else { false } }
    }

    var bars: [Bar]
    let text: ReportText

    init(_ r: AnnualReport) {
        text = ReportText(r.language)
        // Per-team lines split joint sessions by team, each against that team's own minimum.
        if !r.township.teamTurnout.isEmpty {
            bars = r.township.teamTurnout.map {
                Bar(team: $0.name, average: $0.averageCounted, minimum: $0.sessions > 0 ? Double($0.minimum) : nil, sessions: $0.sessions)
            }
            return
        }
        bars = r.teams.map { team in
            let held = r.sessions.filter {
                $0.held && TurnoutChart.names($0.teams).contains { $0 == team.name || $0 == team.id }
            }
            guard !held.isEmpty else { return Bar(team: team.name, average: nil, minimum: nil, sessions: 0) }
            let n = Double(held.count)
            return Bar(
                team: team.name,
                average: Double(held.reduce(0) { $0 + $1.counted }) / n,
                minimum: Double(held.reduce(0) { $0 + $1.minimum }) / n,
                sessions: held.count)
        }
    }

    /// The team names in a session's `teams` text, which DrillCore joins with `、` or `, `.
    static func names(_ teams: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in teams.unicodeScalars {
            if scalar == "、" || scalar == "," || scalar == "，" || scalar == ";" || scalar == "；" {
                out.append(String(current))
                current = .init()
            } else {
                current.append(scalar)
            }
        }
        out.append(String(current))
        return out.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    // Geometry in CSS pixels; 680 px is the width of A4 less 15 mm margins at 96 dpi.
    private let width = 680.0
    private let labelWidth = 190.0
    private let plotWidth = 380.0
    private let top = 36.0
    private let rowHeight = 28.0
    private let barHeight = 16.0

    /// A round axis maximum (1, 2 or 5 × 10ⁿ steps) covering every bar and mark.
    func axis() -> (max: Double, step: Double) {
        let peak = max(1, bars.flatMap { [$0.average ?? 0, $0.minimum ?? 0] }.max() ?? 1)
        var magnitude = 1.0
        while magnitude * 10 <= peak { magnitude *= 10 }
        for factor in [0.2, 0.5, 1, 2, 5, 10] {
            let step = max(1, magnitude * factor)
            if (peak / step).rounded(.up) <= 6 { return ((peak / step).rounded(.up) * step, step) }
        }
        return (peak, peak)
    }

    func svg() -> String {
        let esc = HTML.escape
        let (axisMax, step) = axis()
        let height = top + Double(max(bars.count, 1)) * rowHeight + 28
        let x0 = labelWidth + 10
        func x(_ v: Double) -> String { decimal(x0 + v / axisMax * plotWidth, decimals: 1) }
        let bottom = top + Double(bars.count) * rowHeight
        var s = """
            <svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(decimal(width)) \(decimal(height))" \
            width="100%" role="img" aria-label="\(esc(text.chartTitle()))">
            <title>\(esc(text.chartTitle()))</title>
            <rect x="\(decimal(x0))" y="8" width="12" height="12" fill="#4a78b5"/>
            <text x="\(decimal(x0 + 18))" y="18" class="legend">\(esc(text.chartBar))</text>
            <line x1="\(decimal(x0 + 150))" y1="6" x2="\(decimal(x0 + 150))" y2="22" stroke="#c0392b" stroke-width="3"/>
            <text x="\(decimal(x0 + 158))" y="18" class="legend">\(esc(text.chartMinimum))</text>

            """
        var tick = 0.0
        while tick <= axisMax + 0.0001 {
            s += """
                <line x1="\(x(tick))" y1="\(decimal(top - 4))" x2="\(x(tick))" y2="\(decimal(bottom))" stroke="#ddd"/>\
                <text x="\(x(tick))" y="\(decimal(bottom + 16))" text-anchor="middle" class="tick">\(decimal(tick))</text>

                """
            tick += step
        }
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight + (rowHeight - barHeight) / 2
            let mid = decimal(y + barHeight / 2 + 4)
            let label = bar.team.count > 14 ? String(bar.team.prefix(13)) + "…" : bar.team
            s += """
                <text x="\(decimal(labelWidth))" y="\(mid)" text-anchor="end" class="label">\
                <title>\(esc(bar.team))</title>\(esc(label))</text>

                """
            let value = bar.average ?? 0
            let fill = bar.below ? "#d9534f" : "#4a78b5"
            s += """
                <rect class="bar" x="\(decimal(x0))" y="\(decimal(y))" width="\(decimal(value / axisMax * plotWidth, decimals: 1))" \
                height="\(decimal(barHeight))" fill="\(fill)"><title>\(esc(bar.team)): \(decimal(value))</title></rect>

                """
            if let m = bar.minimum, let a = bar.average {
                s += """
                    <line class="minimum" x1="\(x(m))" y1="\(decimal(y - 4))" x2="\(x(m))" y2="\(decimal(y + barHeight + 4))" \
                    stroke="#c0392b" stroke-width="3"/>
                    <text x="\(x(max(a, m)))" dx="8" y="\(mid)" class="value">\(decimal(a)) / \(decimal(m))\(bar.below ? " ✗" : "")</text>

                    """
            } else {
                s +=
                    "<text x=\"\(decimal(x0))\" dx=\"6\" y=\"\(mid)\" class=\"value muted\">\(esc(text.chartNoSessions))</text>\n"
            }
        }
        s +=
            "<line x1=\"\(decimal(x0))\" y1=\"\(decimal(top - 4))\" x2=\"\(decimal(x0))\" y2=\"\(decimal(bottom))\" stroke=\"#555\"/>\n"
        s += "</svg>"
        return s
    }
}

extension String {
    /// Without leading and trailing spaces (ASCII and ideographic), without Foundation.
    func trimmingSpaces() -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }
        var scalars = Substring(self).unicodeScalars
        while let f = scalars.first, isSpace(f) { scalars.removeFirst() }
        while let l = scalars.last, isSpace(l) { scalars.removeLast() }
        return String(scalars)
    }
}
