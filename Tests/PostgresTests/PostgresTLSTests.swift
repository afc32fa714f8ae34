import Foundation
import Logging
import Postgres
import TestSupport
import Testing

/// `sslmode` and `sslrootcert` reach libpq: a server with a certificate from a private CA is reached over TLS only
/// when the client trusts that CA, and `require` refuses a server without TLS.
@Suite("PostgreSQL TLS settings")
struct PostgresTLSTests {
    static func configuration(port: Int, password: String, mode: PostgresConfiguration.SSLMode?, rootCert: String?) -> PostgresConfiguration {
        var configuration = PostgresConfiguration(
            host: "localhost", port: port, database: "postgres", user: "postgres", password: password,
            maxConnections: 1, acquireTimeout: .seconds(5), connectTimeoutSeconds: 3)
        configuration.sslMode = mode
        configuration.sslRootCert = rootCert
        return configuration
    }

    /// Whether this session's connection is encrypted, as the server sees it.
    static func usesTLS(_ pool: PostgresPool) async throws -> Bool {
        try await pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?.decode("ssl", as: Bool.self) == true
    }

    @Test func verifyFullWithTheServersCAConnectsOverTLSAndAnotherCAIsRefused() async throws {
        let directory = "/tmp/\(uniqueName("pg-tls"))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = try TestCertificates.make(in: "\(directory)/server", hosts: ["localhost", "127.0.0.1"])
        let stranger = try TestCertificates.make(in: "\(directory)/stranger", hosts: ["localhost"])
        let server = try LocalPostgresServer(tls: certificates)
        defer { server.destroy() }

        let trusted = PostgresPool(
            configuration: Self.configuration(port: server.port, password: server.password, mode: .verifyFull,
                                              rootCert: certificates.caCertificate),
            logger: Logger(label: "test"))
        #expect(try await Self.usesTLS(trusted))
        await trusted.close()

        let plain = PostgresPool(
            configuration: Self.configuration(port: server.port, password: server.password, mode: .disable, rootCert: nil),
            logger: Logger(label: "test"))
        #expect(try await Self.usesTLS(plain) == false, "disable: the same server, in the clear")
        await plain.close()

        let untrusted = PostgresPool(
            configuration: Self.configuration(port: server.port, password: server.password, mode: .verifyFull,
                                              rootCert: stranger.caCertificate),
            logger: Logger(label: "test"))
        await #expect(throws: (any Error).self, "a certificate from another CA is refused") {
            try await untrusted.query("SELECT 1")
        }
        await untrusted.close()
    }

    @Test func requireRefusesAServerWithoutTLS() async throws {
        let env = try TestEnvironment.current()
        var configuration = PostgresConfiguration(
            host: env.postgresHost, port: env.postgresPort, database: env.postgresDatabase,
            user: env.postgresAdminUser, password: env.postgresAdminPassword, maxConnections: 1,
            acquireTimeout: .seconds(5), connectTimeoutSeconds: 3)
        configuration.sslMode = .require
        let pool = PostgresPool(configuration: configuration, logger: Logger(label: "test"))
        await #expect(throws: (any Error).self, "the shared test server offers no TLS") {
            try await pool.query("SELECT 1")
        }
        await pool.close()
        configuration.sslMode = .prefer
        let preferring = PostgresPool(configuration: configuration, logger: Logger(label: "test"))
        #expect(try await Self.usesTLS(preferring) == false, "prefer: in the clear when the server has no TLS")
        await preferring.close()
    }

    @Test func theDescriptionShowsTheTLSSettingsAndNeverThePassword() {
        var configuration = PostgresConfiguration(database: "gbm", user: "gbm_catalogue", password: "s3cret-\(UUID())")
        configuration.sslMode = .verifyFull
        configuration.sslRootCert = "/etc/gbm/pg-ca.crt"
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [configuration.description, String(reflecting: configuration), dumped] {
            #expect(!text.contains(configuration.password), "\(text)")
        }
        #expect(configuration.description.contains("sslmode=verify-full"))
        #expect(configuration.description.contains("sslrootcert=/etc/gbm/pg-ca.crt"))
    }
}
