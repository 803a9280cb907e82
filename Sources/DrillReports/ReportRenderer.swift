import DrillCore

/// Renders the January report to the county (年度应急培训演练工作情况报告) and the attendance
/// exports from an `AnnualReport`, in the report's language (Chinese by default, English for `.en`).
///
/// Everything is computed in Swift from the report value: the HTML is one self-contained, printable
/// file; the CSV opens correctly in Excel in China; the workbook is written through libxlsxwriter.
///
/// ```swift
/// let report: AnnualReport = ...
/// try String(ReportRenderer.html(report)).write(toFile: "report.html", atomically: true, encoding: .utf8)
/// try ReportRenderer.writeXLSX(report, to: "attendance.xlsx")
/// ```
public enum ReportRenderer {}
