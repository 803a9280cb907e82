/// The renderings of an `AnnualReport` that DrillReports produces.
///
/// ```swift
/// for format in ReportFormat.allCases { print(format.fileExtension) }  // html, md, csv, xlsx
/// ```
public enum ReportFormat: String, Sendable, CaseIterable {
    /// The printable annual report (年度报告), one self-contained page.
    case html
    /// The annual report as Markdown tables, for pasting into a document or a repository.
    case md
    /// The members × sessions attendance matrix (出勤矩阵) with a UTF-8 BOM for Excel.
    case csv
    /// The attendance workbook: matrix, session turnout and teams.
    case xlsx
    /// The report as a Word document, converted from the HTML by pandoc (Debian package `pandoc`).
    case docx
    /// The report as PDF, printed from the HTML by headless Chromium (Debian package `chromium`).
    case pdf

    /// The file name extension, without the dot.
    public var fileExtension: String { rawValue }
}
