import ArgumentParser
import ServiceKit

/// `gbm-token`: mints a bearer token for local development and operations scripts.
///
///     gbm-token --role region-official --region 330000 --subject alice --ttl 3600
///     gbm-token --role market-regulator --region 330106 --subject bureau-xihu
///     gbm-token --role certification-body --certification-body 91110000100001234X --subject cb-ctc
///
/// The secret comes from `--secret` or `GBM_TOKEN_SECRET` (else the public development secret, with a warning);
/// issuer and audience from `GBM_TOKEN_ISSUER` / `GBM_TOKEN_AUDIENCE` unless given. Prints only the token.
@main
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gbm-token",
        abstract: "Print a signed bearer token (JWT HS256) for a GBM service."
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

    @Option(help: "Issuer (iss); defaults to GBM_TOKEN_ISSUER or gbm.")
    var issuer: String?

    @Option(help: "Audience (aud); defaults to GBM_TOKEN_AUDIENCE or gbm-services.")
    var audience: String?

    func run() throws {
        var environment = EnvironmentReader.process.values
        if let secret { environment["GBM_TOKEN_SECRET"] = secret }
        if let issuer { environment["GBM_TOKEN_ISSUER"] = issuer }
        if let audience { environment["GBM_TOKEN_AUDIENCE"] = audience }
        let configuration: AuthConfiguration
        do {
            configuration = try AuthConfiguration(environment: EnvironmentReader(environment))
        } catch {
            let source = error.variable == "GBM_TOKEN_SECRET" && secret != nil ? "--secret" : error.variable
            throw ValidationError("\(source) \(error.reason)")
        }
        if configuration.usesDevelopmentSecret {
            printToStandardError("warning: signing with the public DEVELOPMENT secret; set GBM_TOKEN_SECRET or --secret")
        }
        do {
            let token = try TokenIssuer(configuration: configuration).issue(
                role: role,
                subject: subject,
                regionCode: region,
                enterpriseCode: enterprise,
                certificationBodyCode: certificationBody,
                department: department,
                ttlSeconds: ttl
            )
            print(token)
        } catch {
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
