import Foundation
import TestSupport
import Testing

/// The module rules of `docs/architecture.md`, read from the sources' `import` lines and `Package.swift`: a change
/// that lets one service see another, a C pointer escape its wrapper, or the contracts grow a dependency fails here.
@Suite struct ModuleRulesTests {
    /// The service library modules; a service's executable (`<Name>Main`) counts as the service.
    static let services = ["Catalogue", "PilotManagement", "Subsidy", "Complaints", "Reporting"]

    /// Every Swift source under `directory` (relative to the repository root) with the modules it imports.
    static func imports(under directory: String) throws -> [(path: String, modules: Set<String>)] {
        let base = RepositoryFiles.root.appendingPathComponent(directory)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var result: [(String, Set<String>)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            var modules: Set<String> = []
            for line in text.split(separator: "\n") {
                var words = line.split(separator: " ").map(String.init)
                while let first = words.first, first.hasPrefix("@") || ["public", "package", "internal"].contains(first) {
                    words.removeFirst()
                }
                guard words.count >= 2, words[0] == "import" else { continue }
                let target = words.count >= 3 && ["struct", "enum", "class", "func", "protocol"].contains(words[1])
                    ? words[2] : words[1]
                modules.insert(String(target.split(separator: ".").first ?? Substring(target)))
            }
            result.append((String(url.path.dropFirst(RepositoryFiles.root.path.count + 1)), modules))
        }
        return result
    }

    @Test func noServiceImportsAnotherService() throws {
        for service in Self.services {
            let others = Set(Self.services.filter { $0 != service }.flatMap { [$0, $0 + "Main"] })
            for file in try Self.imports(under: "Services/\(service)") {
                let forbidden = file.modules.intersection(others)
                #expect(forbidden.isEmpty, "\(file.path) imports \(forbidden.sorted()): services meet only on topics")
            }
        }
    }

    @Test func onlyTheWrappersImportTheCLibraries() throws {
        let owners = ["CLibRDKafka": "Shared/Kafka/", "CLibPQ": "Shared/Postgres/"]
        for directory in ["Services", "Shared", "Tools", "Tests"] {
            for file in try Self.imports(under: directory) {
                for (module, owner) in owners where file.modules.contains(module) {
                    #expect(file.path.hasPrefix(owner), "\(file.path) imports \(module); only \(owner) may")
                }
            }
        }
    }

    @Test func contractsImportOnlyFoundation() throws {
        let files = try Self.imports(under: "Shared/Contracts")
        #expect(!files.isEmpty)
        for file in files {
            let extra = file.modules.subtracting(["Foundation"])
            #expect(extra.isEmpty, "\(file.path) imports \(extra.sorted()); Contracts may import only Foundation")
        }
        let manifest = try RepositoryFiles.text("Package.swift")
        let contractsTarget = try #require(manifest.range(of: "name: \"Contracts\","))
        let declaration = manifest[contractsTarget.upperBound...].prefix(80)
        #expect(declaration.contains("dependencies: [],"), "the Contracts target must have no dependencies")
    }

    @Test func serviceKitStaysAboveNoInfrastructure() throws {
        let infrastructure: Set<String> = ["Kafka", "Postgres", "Messaging", "ServiceHost", "CLibRDKafka", "CLibPQ"]
        for file in try Self.imports(under: "Shared/ServiceKit") {
            let forbidden = file.modules.intersection(infrastructure)
            #expect(forbidden.isEmpty, "\(file.path) imports \(forbidden.sorted()); ServiceKit is HTTP and vocabulary only")
        }
    }

    @Test func sharedModulesImportNoService() throws {
        let services = Set(Self.services.flatMap { [$0, $0 + "Main"] })
        for file in try Self.imports(under: "Shared") {
            let forbidden = file.modules.intersection(services)
            #expect(forbidden.isEmpty, "\(file.path) imports \(forbidden.sorted()); the platform knows no service")
        }
    }

    @Test func theRepositoryPointsAtNothingOutsideItself() throws {
        // The parent directory's `shared` folder is not part of a clone; nothing tracked may send a reader there.
        let outside = ".." + "/shared"
        for name in ["README.md", "Package.swift", "docs/architecture.md"] {
            #expect(!(try RepositoryFiles.text(name)).contains(outside), "\(name) points at \(outside)")
        }
        for directory in ["docs", "Services", "Shared", "deploy", "Tools", "seeds"] {
            let base = RepositoryFiles.root.appendingPathComponent(directory)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where ["swift", "md", "sh", "yml", "yaml", "json"].contains(url.pathExtension) {
                let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                #expect(!text.contains(outside), "\(url.path) points at \(outside)")
            }
        }
    }
}
