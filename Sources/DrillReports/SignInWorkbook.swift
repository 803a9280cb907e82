import CXlsxWriter
import DrillCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The sign-in sheet (签到表) as an Excel workbook, through libxlsxwriter: one worksheet whose
/// first row is the header the importer reads (`attend --import` takes the workbook unchanged),
/// one row per person, the status column offering the four statuses as a drop-down list.
///
/// ```swift
/// try SignInWorkbook.write(
///     SignInWorkbook.Sheet(name: "签到表", header: ["活动", "编号", "姓名", "出勤", "原因"],
///                          rows: [[uid, "m1", "张三", "", ""]], statusColumn: 3,
///                          statuses: ["到场", "迟到", "请假", "缺勤"]),
///     to: "签到表.xlsx", language: .zh)
/// ```
public enum SignInWorkbook {
    /// What the worksheet holds.
    public struct Sheet: Sendable {
        /// The worksheet's name (at most 31 characters, as Excel allows).
        public var name: String
        /// Column names, row 1.
        public var header: [String]
        /// One row per person, as many cells as `header`.
        public var rows: [[String]]
        /// The status column (0-based), given a drop-down list of `statuses`.
        public var statusColumn: Int
        /// The statuses offered in the drop-down list.
        public var statuses: [String]
        /// Column widths in characters, by column (missing ones keep Excel's default).
        public var widths: [Double]

        /// Makes a sheet.
        public init(
            name: String, header: [String], rows: [[String]], statusColumn: Int, statuses: [String],
            widths: [Double] = []
        ) {
            self.name = name
            self.header = header
            self.rows = rows
            self.statusColumn = statusColumn
            self.statuses = statuses
            self.widths = widths
        }
    }

    /// Writes the workbook to `path`, beside it under a temporary name first and renamed into
    /// place, so a failure leaves any existing file untouched. Every cell is a string cell, never a
    /// formula.
    /// - Throws: `ReportError` naming the file and what libxlsxwriter or the file system reported.
    public static func write(_ sheet: Sheet, to path: String, language: Language) throws(ReportError) {
        let text = ReportText(language)
        let temporary = ReportRenderer.temporaryPath(beside: path)
        guard let workbook = workbook_new(temporary) else {
            throw ReportError(message: text.cannotCreate(path, ReportRenderer.lastSystemError()))
        }
        var failure: String?
        func check(_ error: lxw_error) {
            if error != LXW_NO_ERROR && failure == nil { failure = String(cString: lxw_strerror(error)) }
        }
        if let ws = workbook_add_worksheet(workbook, String(sheet.name.prefix(31))) {
            let header = workbook_add_format(workbook)
            format_set_bold(header)
            format_set_border(header, UInt8(LXW_BORDER_THIN.rawValue))
            format_set_bg_color(header, 0xDDDDDD)
            let cell = workbook_add_format(workbook)
            format_set_border(cell, UInt8(LXW_BORDER_THIN.rawValue))
            // Text format (@): an id such as 007 typed in again stays 007.
            format_set_num_format(cell, "@")
            for (c, label) in sheet.header.enumerated() {
                check(worksheet_write_string(ws, 0, lxw_col_t(c), label, header))
            }
            for (r, row) in sheet.rows.enumerated() {
                for c in sheet.header.indices {
                    let value = c < row.count ? row[c] : ""
                    let (rr, cc) = (lxw_row_t(r + 1), lxw_col_t(c))
                    check(
                        value.isEmpty
                            ? worksheet_write_blank(ws, rr, cc, cell)
                            : worksheet_write_string(ws, rr, cc, value, cell))
                }
            }
            for (c, width) in sheet.widths.enumerated() {
                check(worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), width, nil))
            }
            worksheet_freeze_panes(ws, 1, 0)
            if !sheet.rows.isEmpty, !sheet.statuses.isEmpty {
                // A drop-down of the statuses; other text is still allowed (a warning, not a stop),
                // the importer being the one that explains what it expects.
                var choices = sheet.statuses.map { strdup($0) }
                choices.append(nil)
                defer { for p in choices { free(p) } }
                choices.withUnsafeMutableBufferPointer { list in
                    var validation = lxw_data_validation()
                    validation.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
                    validation.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_WARNING.rawValue)
                    validation.value_list = list.baseAddress
                    check(
                        worksheet_data_validation_range(
                            ws, 1, lxw_col_t(sheet.statusColumn), lxw_row_t(sheet.rows.count),
                            lxw_col_t(sheet.statusColumn), &validation))
                }
            }
            worksheet_set_paper(ws, 9)  // A4
            worksheet_fit_to_pages(ws, 1, 0)
            _ = worksheet_repeat_rows(ws, 0, 0)
        } else {
            failure = "worksheet \(sheet.name)"
        }
        try ReportRenderer.closeWorkbook(workbook, temporary: temporary, path: path, failure: failure, text: text)
    }
}
