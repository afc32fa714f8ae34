import Contracts
import Foundation

/// A service's OpenAPI 3.1 description, served at `GET /openapi.json` and checked against the router so that
/// documentation and routes cannot drift apart (see ``undocumentedRoutes(router:document:)``).
public struct OpenAPIDocument: Sendable, Equatable {
    /// One documented operation: an upper-case method and a path template with `{param}` placeholders.
    public struct Operation: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var method: String
        public var path: String

        public init(method: String, path: String) {
            self.method = method.uppercased()
            self.path = OpenAPIDocument.normalisedPath(path)
        }

        public var description: String { "\(method) \(path)" }

        public static func < (lhs: Operation, rhs: Operation) -> Bool {
            (lhs.path, lhs.method) < (rhs.path, rhs.method)
        }
    }

    /// Why a document could not be loaded.
    public struct LoadError: Error, Equatable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { "invalid OpenAPI document: \(reason)" }
    }

    /// The HTTP methods an OpenAPI path item can hold operations for.
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    var root: JSONValue

    /// Loads an OpenAPI 3.1 JSON document; it must have `openapi: 3.1.x` and a `paths` object.
    public init(json data: Data) throws(LoadError) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw LoadError(reason: "not JSON (\(error))")
        }
        guard let object = root.objectValue else { throw LoadError(reason: "the top level must be an object") }
        guard let version = object["openapi"]?.stringValue, version.hasPrefix("3.1") else {
            throw LoadError(reason: "`openapi` must be a 3.1.x version string")
        }
        guard let paths = object["paths"], paths.objectValue != nil else {
            throw LoadError(reason: "`paths` must be an object")
        }
        self.root = root
    }

    /// Loads an OpenAPI 3.1 JSON document from text.
    public init(json text: String) throws(LoadError) {
        try self.init(json: Data(text.utf8))
    }

    /// An empty document with just `info`, for a service that has no routes of its own yet.
    public init(title: String, version: String) {
        self.root = .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string(title), "version": .string(version)]),
            "paths": .object([:]),
        ])
    }

    /// Every documented operation, sorted by path then method.
    public var operations: [Operation] {
        guard let paths = root.objectValue?["paths"]?.objectValue else { return [] }
        return paths.flatMap { path, item in
            (item.objectValue ?? [:]).keys.filter { Self.methods.contains($0) }.map { Operation(method: $0, path: path) }
        }.sorted()
    }

    /// This document with `other`'s paths and components added (this document wins where both define something).
    public func merging(_ other: OpenAPIDocument) -> OpenAPIDocument {
        var merged = self
        guard case .object(var mine) = root, let theirs = other.root.objectValue else { return self }
        for key in ["paths", "components"] {
            if let value = theirs[key] {
                mine[key] = mine[key].map { $0.merging(value) } ?? value
            }
        }
        merged.root = .object(mine)
        return merged
    }

    /// The document as JSON, keys sorted.
    public func jsonData(prettyPrinted: Bool = false) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        // A tree of plain JSON values always encodes (doubles came from JSON, so they are finite).
        return try! encoder.encode(root)
    }

    /// A path template in one spelling: leading `/`, no trailing `/`, `:param` written `{param}`.
    public static func normalisedPath(_ path: String) -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map { component in
            component.first == ":" ? "{\(component.dropFirst())}" : String(component)
        }
        return "/" + components.joined(separator: "/")
    }
}
