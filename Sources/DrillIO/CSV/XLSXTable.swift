import DrillCore
import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The first worksheet of an .xlsx workbook (Office Open XML, as Excel, WPS, LibreOffice and
/// `drillcal sheet --format xlsx` save it) as CSV text, one line per spreadsheet row, so every
/// table reader (`CSVTable`) reads a workbook the way it reads a CSV file and its errors name the
/// spreadsheet's row as the line.
///
/// The archive is opened with ZIPFoundation; the workbook, its relationships, the shared strings
/// and the sheet are read with Foundation's XMLParser. Cells are taken as the text they show:
/// shared and inline strings, formula results (`str`), numbers and booleans as written.
enum XLSXTable {
    /// Whether `bytes` start like a ZIP archive (`PK\u{3}\u{4}`): an .xlsx saved under any name.
    static func isWorkbook(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    /// The first worksheet of the workbook in `bytes` as CSV text.
    /// - Throws: `InputError` naming `file` when it is no readable workbook.
    static func csv(_ bytes: [UInt8], file: String) throws(InputError) -> String {
        let rows = try self.rows(bytes, file: file)
        var text = ""
        let last = rows.keys.max() ?? 0
        // A workbook leaves blank cells out: every row is as wide as the widest, as a CSV export is.
        let width = rows.values.map(\.count).max() ?? 0
        for r in stride(from: 1, through: last, by: 1) {
            let cells = rows[r] ?? []
            text +=
                (cells + Array(repeating: "", count: width - cells.count)).map(quoted).joined(separator: ",")
                + "\r\n"
        }
        return text
    }

    /// Cells by 1-based row number, each row's cells from column A on (gaps are empty strings).
    static func rows(_ bytes: [UInt8], file: String) throws(InputError) -> [Int: [String]] {
        func broken(_ why: String) -> InputError {
            InputError(
                file: file,
                expected: LocalizedText(
                    zh: "Excel 工作簿（.xlsx）或 CSV 文件", en: "an Excel workbook (.xlsx) or a CSV file"),
                found: why)
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw broken("\(error)")
        }
        func part(_ path: String) throws(InputError) -> Data? {
            guard let entry = archive[path] else { return nil }
            var data = Data()
            do {
                guard entry.uncompressedSize <= UInt64(InputLimits.tableBytes * 8) else {
                    throw InputLimits.fileTooBig(
                        file, size: Int(entry.uncompressedSize), limit: InputLimits.tableBytes * 8)
                }
                _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            } catch let error as InputError {
                throw error
            } catch {
                throw broken("\(path): \(error)")
            }
            return data
        }
        // The first sheet in the workbook's order, through its relationship; sheet1.xml otherwise.
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let workbook = try part("xl/workbook.xml"), let rels = try part("xl/_rels/workbook.xml.rels") {
            let sheets = XMLElements(data: workbook, names: ["sheet"])
            let relations = XMLElements(data: rels, names: ["Relationship"])
            if let id = sheets.first?.attributes.first(where: { $0.key == "r:id" || $0.key.hasSuffix(":id") }
            )?.value,
                let target = relations.first(where: { $0.attributes["Id"] == id })?.attributes["Target"]
            {
                sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            }
        }
        guard let sheet = try part(sheetPath) else { throw broken(sheetPath) }
        let shared = try part("xl/sharedStrings.xml").map(SharedStrings.read) ?? []
        let reader = SheetReader(shared: shared)
        let parser = XMLParser(data: sheet)
        parser.delegate = reader
        guard parser.parse(), reader.failure == nil else {
            throw broken("\(sheetPath): \(reader.failure ?? parser.parserError.map { "\($0)" } ?? "XML")")
        }
        return reader.rows
    }

    /// A CSV field: quoted when it holds a comma, a quote or a line break.
    static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Column index (0-based) of a cell reference such as `C12`.
    static func column(of reference: String) -> Int? {
        var n = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            let v = scalar.value
            guard (65...90).contains(v) || (97...122).contains(v) else { break }
            n = n * 26 + Int((v & ~0x20) - 64)
            letters += 1
        }
        return letters > 0 ? n - 1 : nil
    }
}

/// The elements named `names` of an XML document with their attributes, in document order.
private func XMLElements(data: Data, names: Set<String>) -> [(name: String, attributes: [String: String])] {
    final class Collector: NSObject, XMLParserDelegate {
        let names: Set<String>
        var found: [(name: String, attributes: [String: String])] = []
        init(_ names: Set<String>) { self.names = names }
        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            if names.contains(elementName) { found.append((elementName, attributeDict)) }
        }
    }
    let collector = Collector(names)
    let parser = XMLParser(data: data)
    parser.delegate = collector
    _ = parser.parse()
    return collector.found
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, runs joined, phonetic guides (`<rPh>`) left out.
private final class SharedStrings: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current: String?
    private var inText = false
    private var phonetic = 0

    static func read(_ data: Data) -> [String] {
        let reader = SharedStrings()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        _ = parser.parse()
        return reader.strings
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        switch elementName {
        case "si": current = ""
        case "rPh": phonetic += 1
        case "t": inText = phonetic == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current? += string }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        switch elementName {
        case "si":
            strings.append(current ?? "")
            current = nil
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }
}

/// A worksheet's `<sheetData>`: rows by number, cells by column.
private final class SheetReader: NSObject, XMLParserDelegate {
    let shared: [String]
    var rows: [Int: [String]] = [:]
    var failure: String?
    private var row = 0
    private var column = 0
    private var type = ""
    private var value: String?
    private var inValue = false
    private var inInline = false

    init(shared: [String]) { self.shared = shared }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        switch elementName {
        case "row":
            row = attributeDict["r"].flatMap { Int($0) } ?? row + 1
            column = 0
        case "c":
            if let reference = attributeDict["r"], let c = XLSXTable.column(of: reference) { column = c }
            type = attributeDict["t"] ?? "n"
            value = nil
        case "v": inValue = true
        case "is": inInline = true
        case "t" where inInline: inValue = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value = (value ?? "") + string }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        switch elementName {
        case "v", "t": inValue = false
        case "is": inInline = false
        case "c":
            defer { column += 1 }
            guard let value, failure == nil else { return }
            var text = value
            switch type {
            case "s":
                guard let i = Int(value), shared.indices.contains(i) else {
                    failure = "row \(row): shared string \(value)"
                    return
                }
                text = shared[i]
            case "b": text = value == "1" ? "TRUE" : "FALSE"
            default: break
            }
            guard row > 0, column < 16_384 else { return }
            var cells = rows[row] ?? []
            if cells.count <= column { cells += Array(repeating: "", count: column + 1 - cells.count) }
            cells[column] = text
            rows[row] = cells
        default: break
        }
    }
}
