import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import NIOCore
import Synchronization

/// The identity provider's signature keys, read from a JWKS document (RFC 7517 §5) and found by `kid`.
///
/// Only signature keys of the three accepted algorithms are kept, each bound to its one algorithm: RSA keys to
/// RS256, EC P-256 keys to ES256, OKP Ed25519 keys to EdDSA. A key whose `alg` names another algorithm, whose `use`
/// is not `sig`, that has no `kid`, or whose numbers are not a key, is left out (and logged). Private members
/// (`d`, `p`, `q`…) are dropped before a key is built: a verifier never holds a signing key.
///
/// Rotation without a restart: the document is read again every ``AuthConfiguration/jwksRefreshInterval`` (in the
/// background, tokens keep verifying with the keys in hand), and at once when a token names a `kid` the keys lack,
/// at most once per ``AuthConfiguration/jwksMinimumReloadInterval``. A read that fails keeps the keys in hand.
public final class JWKSKeyStore: Sendable {
    /// A verification key and the one algorithm it verifies.
    struct Key: Sendable {
        var algorithm: String
        var keys: JWTKeyCollection
    }

    /// Why a JWKS document could not be used.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var source: JWKSSource
        public var reason: String
        public var description: String { "JWKS \(source): \(reason)" }
    }

    private struct State: Sendable {
        var keys: [String: Key] = [:]
        /// Grows whenever the set of key ids changes: tokens verified with an earlier set are verified again.
        var generation = 0
        var loadedAt: ContinuousClock.Instant?
        var lastAttempt: ContinuousClock.Instant?
        var loading: Task<Void, any Error>?
    }

    /// The accepted algorithms.
    public static let algorithms: Set<String> = ["RS256", "ES256", "EdDSA"]
    /// The largest document read (a JWKS is a few kilobytes).
    static let maximumDocumentBytes = 1 << 20

    public let source: JWKSSource
    let refreshInterval: Duration
    let minimumReloadInterval: Duration
    let logger: Logger
    private let state = Mutex(State())
    private let clock = ContinuousClock()

    public init(source: JWKSSource, refreshInterval: Duration, minimumReloadInterval: Duration, logger: Logger? = nil) {
        self.source = source
        self.refreshInterval = refreshInterval
        self.minimumReloadInterval = minimumReloadInterval
        self.logger = logger ?? Logger(label: "gbm.auth.jwks")
    }

    /// The current key set's generation.
    var generation: Int { state.withLock { $0.generation } }

    /// The number of usable keys in hand.
    public var keyCount: Int { state.withLock { $0.keys.count } }

    /// Reads the document now (a start-up does this first, so a wrong path or URL stops the start).
    public func load() async throws(LoadError) {
        do {
            try await loadOnce()
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(source: source, reason: "\(error)")
        }
    }

    /// The key `kid` names: read again first when the keys lack it (rate-limited); nil when it is still unknown.
    func key(for kid: String) async -> Key? {
        let now = clock.now
        let (known, stale) = state.withLock { state -> (Key?, Bool) in
            let stale = state.loadedAt.map { now - $0 >= refreshInterval } ?? true
            return (state.keys[kid], stale)
        }
        if let known {
            if stale { Task { try? await self.loadOnce(ifAttemptedBefore: now - self.minimumReloadInterval) } }
            return known
        }
        do {
            try await loadOnce(ifAttemptedBefore: now - minimumReloadInterval)
        } catch {
            logger.warning("could not read the JWKS again", metadata: ["jwks.source": "\(source)", "error": "\(error)"])
        }
        return state.withLock { $0.keys[kid] }
    }

    /// Reads the document, one read at a time: a caller arriving during a read waits for it. With `threshold`, only
    /// when the last attempt was before it (else it returns at once).
    private func loadOnce(ifAttemptedBefore threshold: ContinuousClock.Instant? = nil) async throws {
        let task = state.withLock { state -> Task<Void, any Error>? in
            if let loading = state.loading { return loading }
            if let threshold, let last = state.lastAttempt, last > threshold { return nil }
            state.lastAttempt = clock.now
            let task = Task { try await self.read() }
            state.loading = task
            return task
        }
        guard let task else { return }
        defer { state.withLock { state in if state.loading == task { state.loading = nil } } }
        try await task.value
    }

    private func read() async throws {
        let document = try await fetch()
        let keys = try await Self.keys(of: document, source: source, logger: logger)
        state.withLock { state in
            if Set(state.keys.keys) != Set(keys.keys) || state.loadedAt == nil { state.generation += 1 }
            state.keys = keys
            state.loadedAt = clock.now
        }
        logger.debug("read the JWKS", metadata: ["jwks.source": "\(source)", "jwks.keys": "\(keys.count)"])
    }

    private func fetch() async throws -> Data {
        switch source {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LoadError(source: source, reason: "the file cannot be read")
            }
            return data
        case .url(let url):
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/json, application/jwk-set+json")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            guard response.status == .ok else {
                throw LoadError(source: source, reason: "answered HTTP \(response.status.code)")
            }
            let body = try await response.body.collect(upTo: Self.maximumDocumentBytes)
            return Data(body.readableBytesView)
        }
    }

    /// The usable keys of a document, by kid; a document that is not a JWKS is an error.
    static func keys(of document: Data, source: JWKSSource, logger: Logger) async throws -> [String: Key] {
        guard let object = try? JSONSerialization.jsonObject(with: document) as? [String: Any],
              let members = object["keys"] as? [Any]
        else { throw LoadError(source: source, reason: "is not a JWKS document (a JSON object with a `keys` array)") }
        var keys: [String: Key] = [:]
        for case var member as [String: Any] in members {
            let kid = member["kid"] as? String
            func skip(_ reason: String) {
                logger.warning("JWKS key left out", metadata: ["jwks.kid": "\(kid ?? "-")", "reason": "\(reason)"])
            }
            guard let kid, !kid.isEmpty else { skip("it has no kid"); continue }
            if let use = member["use"] as? String, use != "sig" { skip("its use is \(use), not sig"); continue }
            let algorithm: String
            switch (member["kty"] as? String, member["crv"] as? String) {
            case ("RSA", _): algorithm = "RS256"
            case ("EC", "P-256"): algorithm = "ES256"
            case ("OKP", "Ed25519"): algorithm = "EdDSA"
            case (let kty, let crv): skip("key type \(kty ?? "-") \(crv ?? "") is not accepted"); continue
            }
            if let declared = member["alg"] as? String, declared != algorithm {
                skip("its alg \(declared) is not \(algorithm)")
                continue
            }
            for privateMember in ["d", "p", "q", "dp", "dq", "qi", "oth"] { member[privateMember] = nil }
            member["alg"] = algorithm
            do {
                let json = try JSONSerialization.data(withJSONObject: member)
                let jwk = try JSONDecoder().decode(JWK.self, from: json)
                let collection = JWTKeyCollection()
                try await collection.add(jwk: jwk)
                keys[kid] = Key(algorithm: algorithm, keys: collection)
            } catch {
                skip("it is not a usable \(algorithm) key: \(error)")
            }
        }
        return keys
    }
}

/// What jwt-kit decodes after checking a signature: nothing. The claims are read and checked by ``TokenVerifier``,
/// the same way for every algorithm.
struct SignatureOnly: JWTPayload {
    init() {}
    init(from decoder: any Decoder) throws {}
    func encode(to encoder: any Encoder) throws {}
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
