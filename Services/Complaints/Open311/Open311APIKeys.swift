import Crypto
import Foundation
import ServiceKit

/// The submitters that may file through the Open311 facade (`POST /open311/v2/requests.json`), each by the
/// SHA-256 of its `api_key`.
///
/// Read from `GBM_OPEN311_API_KEYS`: comma-separated `name:sha256hex` pairs (`printf %s "$key" | sha256sum`), so
/// that the environment, the compose file and a leaked `ps e` hold no key that files cases. The name is what the
/// case records as its submitter (`open311:<name>`). Unset, no submitter is configured and every filing is refused
/// (403) with a description saying so: a production start has no default key. A malformed entry stops the service at
/// start, naming the variable.
public struct Open311APIKeys: Sendable, Equatable {
    /// The variable the keys are read from.
    public static let variable = "GBM_OPEN311_API_KEYS"

    struct Submitter: Sendable, Equatable {
        var name: String
        var digest: [UInt8]
    }

    private(set) var submitters: [Submitter] = []

    /// No submitter: filing is closed.
    public static let none = Open311APIKeys()

    private init() {}

    /// The submitters of `GBM_OPEN311_API_KEYS` (none when it is unset or blank).
    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        try self.init(parsing: environment.string(Self.variable) ?? "")
    }

    /// `name:sha256hex[,name:sha256hex…]`; names are 1–64 of `a-z A-Z 0-9 . _ -`, each once.
    public init(parsing text: String) throws(ConfigurationError) {
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw ConfigurationError(variable: Self.variable, reason: "must be comma-separated name:sha256hex entries, got an entry without ':'")
            }
            let name = parts[0]
            guard (1...64).contains(name.count),
                  name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) })
            else {
                throw ConfigurationError(variable: Self.variable, reason: "has a submitter name that is not 1 to 64 of a-z, A-Z, 0-9, '.', '_', '-'")
            }
            // The hash is never echoed: an operator who pasted a key there by mistake should not find it in a log.
            guard let digest = Self.hexBytes(parts[1].lowercased()), digest.count == 32 else {
                throw ConfigurationError(variable: Self.variable, reason: "entry \(name) must give the key's SHA-256 as 64 hex digits (printf %s \"$key\" | sha256sum)")
            }
            guard !submitters.contains(where: { $0.name == name }) else {
                throw ConfigurationError(variable: Self.variable, reason: "names submitter \(name) twice")
            }
            submitters.append(Submitter(name: name, digest: digest))
        }
    }

    /// Submitters given with their keys in clear (tests, and `hash(_:)`'s callers).
    public init(keys: [String: String]) {
        submitters = keys.sorted { $0.key < $1.key }.map { Submitter(name: $0.key, digest: Array(SHA256.hash(data: Data($0.value.utf8)))) }
    }

    /// Whether any submitter is configured.
    public var isEmpty: Bool { submitters.isEmpty }

    /// The name of the submitter whose key `key` is, or nil. Every configured digest is compared in full, without an
    /// early exit, so the time taken says nothing about how much of a key matched or which one did.
    func submitter(forKey key: String) -> String? {
        let digest = Array(SHA256.hash(data: Data(key.utf8)))
        var found: String?
        for submitter in submitters {
            var difference: UInt8 = 0
            for (a, b) in zip(submitter.digest, digest) { difference |= a ^ b }
            if difference == 0 { found = submitter.name }
        }
        return found
    }

    /// The lower-case hex SHA-256 of `key`, as `GBM_OPEN311_API_KEYS` wants it.
    public static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).lowercaseHex
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        guard text.count % 2 == 0, text.allSatisfy(\.isHexDigit) else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
