/// RFC 4180 CSV: fields separated by commas, optionally in double quotes (a quote inside doubled), records
/// separated by CRLF or LF. Each record remembers the line it starts on, for error reports.
struct CSVTable: Sendable {
    struct Record: Sendable {
        var line: Int
        var fields: [String]
    }

    /// A file that is not CSV at all (an unterminated quote), with the line where the broken field starts.
    struct MalformedCSV: Error, Sendable {
        var line: Int
        var reason: String
    }

    var records: [Record]

    init(parsing text: String) throws(MalformedCSV) {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var quoted = false
        var quoteStartLine = 1
        var atFieldStart = true
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        func endRecord() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            atFieldStart = true
        }
        while i < scalars.count {
            let c = scalars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else {
                switch c {
                case "\"" where atFieldStart:
                    quoted = true
                    quoteStartLine = line
                    atFieldStart = false
                case "\"":
                    throw MalformedCSV(line: line, reason: "a quote inside an unquoted field")
                case ",":
                    fields.append(String(field))
                    field = String.UnicodeScalarView()
                    atFieldStart = true
                case "\r":
                    break
                case "\n":
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    field.append(c)
                    atFieldStart = false
                }
            }
            i += 1
        }
        if quoted { throw MalformedCSV(line: quoteStartLine, reason: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        self.records = records
    }

    /// A field for CSV output, quoted when it must be.
    static func escape(_ value: String) -> String {
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
