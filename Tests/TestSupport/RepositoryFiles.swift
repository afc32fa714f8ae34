import Foundation

/// Files of the repository the tests compare with the code, found from this source file's location.
public enum RepositoryFiles {
    /// The repository root: the nearest directory above this file holding both `Package.swift` and `contracts/`.
    public static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let fileManager = FileManager.default
            if fileManager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
               fileManager.fileExists(atPath: directory.appendingPathComponent("contracts").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        fatalError("no repository root above \(#filePath)")
    }()

    public static var contracts: URL { root.appendingPathComponent("contracts") }

    public static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }
}
