import ArgumentParser
import Foundation
import ServiceKit

/// `gbm-token`: mints a bearer token for local development and operations scripts, and makes the local key pairs
/// that stand in for an identity provider.
///
///     gbm-token --role region-official --region 330000 --subject alice --ttl 3600
///     gbm-token --role market-regulator --region 330106 --subject bureau-xihu
///     gbm-token --role certification-body --certification-body 91110000100001234X --subject cb-ctc
///     gbm-token keys --algorithm ES256 --kid idp-2023-06 --jwks jwks.json --private-key idp-2023-06.jwk
///     gbm-token --role consumer --subject c1 --private-key idp-2023-06.jwk
///
/// HS256 tokens are signed with `--secret` or `GBM_TOKEN_SECRET` (else the public development secret, with a
/// warning); with `--private-key` the token is signed with that key pair (ES256 or EdDSA, its kid in the header),
/// for services reading the pair's JWKS through `GBM_TOKEN_JWKS`. Issuer and audience come from
/// `GBM_TOKEN_ISSUER` / `GBM_TOKEN_AUDIENCE` unless given. Prints only the token.
@main
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gbm-token",
        abstract: "Print a signed bearer token for a GBM service, or make a local signing key pair.",
        subcommands: [IssueCommand.self, KeysCommand.self],
        defaultSubcommand: IssueCommand.self
    )
}

/// `gbm-token [issue]`: prints a token.
struct IssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Print a signed bearer token (JWT: HS256, or ES256/EdDSA with --private-key)."
    )

    @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    var role: String

    @Option(help: "Account identifier (sub). Never a phone or ID number.")
    var subject: String

    @Option(help: "GB/T 2260 division code; required for region-official, and 6 digits for market-regulator.")
    var region: String?

    @Option(help: "Unified social credit code (18 characters); required for enterprise.")
    var enterprise: String?

    @Option(name: .customLong("certification-body"),
            help: "The certification body's unified social credit code; required for certification-body.")
    var certificationBody: String?

    @Option(help: "Ministry department: MIIT, MOHURD, MOA, MOFCOM, SAMR or NRRA.")
    var department: String?

    @Option(help: "Lifetime in seconds.")
    var ttl: Int = 3600

    @Option(help: "HMAC secret; defaults to GBM_TOKEN_SECRET.")
    var secret: String?

    @Option(name: .customLong("private-key"),
            help: "Sign with this private JWK (made by `gbm-token keys`) instead of the HMAC secret.")
    var privateKey: String?

    @Option(help: "Issuer (iss); defaults to GBM_TOKEN_ISSUER or gbm.")
    var issuer: String?

    @Option(help: "Audience (aud); defaults to GBM_TOKEN_AUDIENCE or gbm-services.")
    var audience: String?

    func run() throws {
        var environment = EnvironmentReader.process.values
        if let secret { environment["GBM_TOKEN_SECRET"] = secret }
        if let issuer { environment["GBM_TOKEN_ISSUER"] = issuer }
        if let audience { environment["GBM_TOKEN_AUDIENCE"] = audience }
        if privateKey != nil { environment["GBM_TOKEN_SECRET"] = nil }
        let configuration: AuthConfiguration
        do {
            configuration = try AuthConfiguration(environment: EnvironmentReader(environment))
        } catch {
            let source = error.variable == "GBM_TOKEN_SECRET" && secret != nil ? "--secret" : error.variable
            throw ValidationError("\(source) \(error.reason)")
        }
        let issuer = TokenIssuer(configuration: configuration)
        do {
            let principal = try issuer.principal(
                role: role, subject: subject, regionCode: region, enterpriseCode: enterprise,
                certificationBodyCode: certificationBody, department: department, ttlSeconds: ttl)
            if let privateKey {
                guard let json = FileManager.default.contents(atPath: privateKey) else {
                    throw ValidationError("--private-key \(privateKey) cannot be read")
                }
                let signer: KeyPairTokenSigner
                do {
                    signer = try KeyPairTokenSigner(
                        privateJWK: json, issuer: configuration.issuer, audience: configuration.audience)
                } catch {
                    throw ValidationError("--private-key \(privateKey) \(error.reason)")
                }
                print(try signer.issue(principal, ttl: .seconds(ttl)))
            } else {
                if configuration.usesDevelopmentSecret {
                    printToStandardError("warning: signing with the public DEVELOPMENT secret; set GBM_TOKEN_SECRET or --secret")
                }
                print(try TokenSigner(configuration: configuration).issue(principal, ttl: .seconds(ttl)))
            }
        } catch let error as Problem {
            let reasons = error.errors.map { "--\(Self.optionName(for: $0.field)) \($0.reason)" }
            throw ValidationError(reasons.isEmpty ? (error.detail ?? error.title) : reasons.joined(separator: "\n"))
        }
    }

    /// The command-line option that carries a principal field.
    static func optionName(for field: String) -> String {
        switch field {
        case "regionCode": "region"
        case "enterpriseCode": "enterprise"
        case "certificationBodyCode": "certification-body"
        default: field
        }
    }
}

/// `gbm-token keys`: makes a signing key pair, adds its public half to a JWKS file and writes the private half.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make an ES256 or EdDSA key pair: the public key into a JWKS file (GBM_TOKEN_JWKS), the private key into its own file.",
        discussion: """
            The JWKS keeps the keys already in it, so a rotation publishes the new key beside the old one; \
            --replace writes the new key alone (the old key's tokens stop verifying once the services read it).
            """
    )

    @Option(help: "ES256 or EdDSA.")
    var algorithm: String = "ES256"

    @Option(help: "The key id (kid) tokens will name.")
    var kid: String

    @Option(help: "The JWKS file to add the public key to (created when missing).")
    var jwks: String

    @Option(name: .customLong("private-key"), help: "Where to write the private key (a JWK; mode 0600).")
    var privateKey: String

    @Flag(help: "Write the new key alone instead of adding it to the keys already in the JWKS file.")
    var replace = false

    func run() throws {
        guard let algorithm = KeyPairTokenSigner.Algorithm(rawValue: algorithm) else {
            throw ValidationError("--algorithm must be one of "
                + KeyPairTokenSigner.Algorithm.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard !kid.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--kid is required") }
        var keys: [[String: String]] = []
        if !replace, let existing = FileManager.default.contents(atPath: jwks) {
            do {
                keys = try KeyPairTokenSigner.publicKeys(ofJWKS: existing)
            } catch {
                throw ValidationError("--jwks \(jwks) \(error.reason); use --replace to overwrite it")
            }
            guard !keys.contains(where: { $0["kid"] == kid }) else {
                throw ValidationError("--kid \(kid) is already in \(jwks); choose a new key id")
            }
        }
        let pair = KeyPairTokenSigner.generate(algorithm, kid: kid)
        keys.append(pair.publicJWK)
        let privateData = try JSONSerialization.data(withJSONObject: pair.privateJWK, options: [.prettyPrinted, .sortedKeys])
        guard FileManager.default.createFile(
            atPath: privateKey, contents: privateData, attributes: [.posixPermissions: 0o600])
        else { throw ValidationError("--private-key \(privateKey) cannot be written") }
        try KeyPairTokenSigner.jwksDocument(keys).write(to: URL(fileURLWithPath: jwks), options: .atomic)
        printToStandardError("wrote \(algorithm.rawValue) key \(kid): public key in \(jwks) (\(keys.count) key(s)), private key in \(privateKey)")
    }
}
