import Foundation

/// A private CA and a server certificate it signed, made with `openssl` for tests of TLS connections.
public struct TestCertificates: Sendable {
    /// The CA's certificate (PEM): what a client verifies the server with.
    public var caCertificate: String
    /// The server's certificate (PEM), for `hosts`.
    public var serverCertificate: String
    /// The server's private key (PEM, unencrypted).
    public var serverKey: String

    /// Writes a new CA and a server certificate for `hosts` (names, or IPv4 addresses) into `directory`.
    public static func make(in directory: String, hosts: [String]) throws -> TestCertificates {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificates = TestCertificates(
            caCertificate: "\(directory)/ca.crt", serverCertificate: "\(directory)/server.crt",
            serverKey: "\(directory)/server.key")
        let caKey = "\(directory)/ca.key"
        try run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                 "-subj", "/CN=gbm test CA \(UUID().uuidString.prefix(8))", "-keyout", caKey, "-out", certificates.caCertificate])
        let request = "\(directory)/server.csr"
        try run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", "/CN=\(hosts.first ?? "localhost")",
                 "-keyout", certificates.serverKey, "-out", request])
        let names = hosts.map { $0.allSatisfy { $0.isNumber || $0 == "." } ? "IP:\($0)" : "DNS:\($0)" }
        let extensions = "\(directory)/server.ext"
        try "subjectAltName=\(names.joined(separator: ","))\nextendedKeyUsage=serverAuth\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        try run(["openssl", "x509", "-req", "-sha256", "-days", "2", "-in", request, "-CA", certificates.caCertificate,
                 "-CAkey", caKey, "-CAcreateserial", "-extfile", extensions, "-out", certificates.serverCertificate])
        return certificates
    }
}
