import Foundation
@testable import GammaFlow

/// A deliberately simple, character-at-a-time CSV splitter with the rules of
/// ``CSVReader`` (quotes, doubled quotes, LF/CRLF, blank lines skipped, fields
/// trimmed of spaces and tabs). It is the independent oracle that the fast
/// byte scanner behind ``CSVReader`` is checked against.
enum ReferenceCSVSplitter {
    static func records(text: String) -> [CSVRecord] {
        var out: [CSVRecord] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var pendingQuote = false  // just saw a quote inside a quoted field
        func endField() {
            fields.append(String(field).trimmingCharacters(in: CharacterSet(charactersIn: " \t")))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                out.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }
        for c in text.unicodeScalars {
            if inQuotes {
                if pendingQuote {
                    pendingQuote = false
                    if c == "\"" {
                        field.append("\"")
                        continue
                    }
                    inQuotes = false  // the quote closed the field; handle c below
                } else if c == "\"" {
                    pendingQuote = true
                    continue
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                    continue
                }
            }
            switch c {
            case "\"" where field.isEmpty || field.allSatisfy({ $0 == " " || $0 == "\t" }):
                field.removeAll()
                inQuotes = true
            case ",":
                endField()
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return out
    }
}
