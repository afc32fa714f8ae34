// gbm-contracts: writes and checks the committed event contract files under contracts/.
//
//   gbm-contracts generate          write contracts/asyncapi.yaml, contracts/topics.json, contracts/schemas/*.json
//   gbm-contracts check             exit 1 if those files differ from the code, or if the code breaks the baseline
//   gbm-contracts release-baseline  copy the current contract to contracts/baseline/ (on a release only)
//   gbm-contracts list              print topics and event types
//
// Options: --root DIR (the repository root; default: the nearest directory upwards holding Package.swift).

import Contracts
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

func repositoryRoot(_ arguments: [String]) -> URL {
    if let index = arguments.firstIndex(of: "--root") {
        guard index + 1 < arguments.count else { fail("--root needs a directory") }
        return URL(fileURLWithPath: arguments[index + 1], isDirectory: true)
    }
    var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    while directory.path != "/" {
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
        directory.deleteLastPathComponent()
    }
    fail("no Package.swift above \(FileManager.default.currentDirectoryPath): pass --root")
}

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: gbm-contracts generate|check|release-baseline|list [--root DIR]"
guard let command = arguments.first else { fail(usage) }
let contracts = repositoryRoot(arguments).appendingPathComponent(ContractDocuments.directoryName, isDirectory: true)

switch command {
case "generate":
    do {
        let changed = try ContractDocuments.write(to: contracts)
        print(changed.isEmpty ? "contracts/ is up to date" : changed.map { "wrote contracts/\($0)" }.joined(separator: "\n"))
        if try ContractDocuments.breakingChanges(in: contracts) == nil {
            print("note: contracts/baseline/ does not exist yet; create it on release with `gbm-contracts release-baseline`")
        }
    } catch {
        fail("generate failed: \(error)")
    }

case "check":
    var failed = false
    let differences = ContractDocuments.differences(in: contracts)
    if !differences.isEmpty {
        failed = true
        print("contracts/ differs from what the code generates (run `gbm-contracts generate` and commit):")
        for difference in differences { print("  \(difference)") }
    }
    do {
        switch try ContractDocuments.breakingChanges(in: contracts) {
        case nil:
            failed = true
            print("contracts/baseline/ is missing: run `gbm-contracts release-baseline` once and commit it")
        case let changes? where !changes.isEmpty:
            failed = true
            print("breaking changes against contracts/baseline/ (make them additive, or publish new .v2 topics and types):")
            for change in changes { print("  \(change)") }
        default:
            break
        }
    } catch {
        failed = true
        print("cannot read contracts/baseline/: \(error)")
    }
    if failed { exit(1) }
    print("contracts/ matches the code (\(EventCatalogue.topics.count) topics, \(EventCatalogue.eventTypes.count) event types) and is compatible with the baseline")

case "release-baseline":
    do {
        let changed = try ContractDocuments.writeBaseline(to: contracts)
        print(changed.isEmpty ? "contracts/baseline/ is already the current contract" : changed.map { "wrote contracts/baseline/\($0)" }.joined(separator: "\n"))
    } catch {
        fail("release-baseline failed: \(error)")
    }

case "list":
    for topic in EventCatalogue.topics + EventCatalogue.platformTopics {
        print("\(topic.name)  owner=\(topic.owner.rawValue) partitions=\(topic.partitions) key=\(topic.key) dlq=\(topic.deadLetter)")
        for type in topic.eventTypes { print("  \(type.name)") }
    }

default:
    fail(usage)
}
