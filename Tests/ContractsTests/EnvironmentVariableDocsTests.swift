import Foundation
import TestSupport
import Testing

/// `docs/deploy.md`'s tables of environment variables are the operators' reference: every `GBM_*` variable the
/// services and tools read is in them, and the services' table names nothing that no service reads any more.
@Suite struct EnvironmentVariableDocsTests {
    /// Every `"GBM_…"` string literal in the Swift sources under `directories`, with a file that reads it.
    static func variablesRead(under directories: [String]) throws -> [String: String] {
        let pattern = try NSRegularExpression(pattern: "\"(GBM_[A-Z0-9_]+)\"")
        var found: [String: String] = [:]
        for directory in directories {
            let base = RepositoryFiles.root.appendingPathComponent(directory)
            let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
            while let url = walker?.nextObject() as? URL {
                guard url.pathExtension == "swift" else { continue }
                let text = try String(contentsOf: url, encoding: .utf8)
                for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    let name = String(text[Range(match.range(at: 1), in: text)!])
                    found[name] = found[name] ?? "\(directory)/…/\(url.lastPathComponent)"
                }
            }
        }
        return found
    }

    /// The "Environment variables" section of `docs/deploy.md`, and the names in the first column of its first table.
    static func documented() throws -> (section: String, servicesTable: Set<String>) {
        let text = try String(contentsOf: RepositoryFiles.root.appendingPathComponent("docs/deploy.md"), encoding: .utf8)
        let start = try #require(text.range(of: "\n## Environment variables\n"))
        let end = text.range(of: "\n## ", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
        let section = String(text[start.upperBound..<end])
        let tableStart = try #require(section.range(of: "| variable | in compose | meaning |"))
        let rows = section[tableStart.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("|") }
        let name = try NSRegularExpression(pattern: "`(GBM_[A-Z0-9_]+)`")
        var names: Set<String> = []
        for row in rows {
            let first = String(row.split(separator: "|").first ?? "")
            for match in name.matches(in: first, range: NSRange(first.startIndex..., in: first)) {
                names.insert(String(first[Range(match.range(at: 1), in: first)!]))
            }
        }
        return (section, names)
    }

    @Test func everyVariableTheServicesAndToolsReadIsDocumented() throws {
        let read = try Self.variablesRead(under: ["Shared", "Services", "Tools"])
        let (section, _) = try Self.documented()
        #expect(read.count > 30, "the sources were found")
        for (variable, file) in read.sorted(by: { $0.key < $1.key }) {
            let documented = section.contains("`\(variable)`")
            #expect(documented, "\(variable) (read in \(file)) is not in docs/deploy.md's tables")
        }
    }

    @Test func everyVariableOfTheServicesTableIsReadByAService() throws {
        let read = try Self.variablesRead(under: ["Shared", "Services"])
        let (_, table) = try Self.documented()
        #expect(table.count > 30, "the table was found")
        for variable in table.sorted() {
            let isRead = read[variable] != nil
            #expect(isRead, "docs/deploy.md documents \(variable), which no service reads")
        }
    }
}
