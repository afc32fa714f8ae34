import Contracts
import Foundation
import Messaging
import Postgres
import ServiceKit

/// Registers and updates enterprises, writing each change and its event in one transaction.
struct EnterpriseDirectory: Sendable {
    let context: CatalogueContext

    /// Registers a new enterprise; a registered credit code is a conflict (`ifAbsent` makes it a no-op instead).
    @discardableResult
    func register(
        _ input: EnterpriseInput.Checked, actor: ActorRole, ifAbsent: Bool = false, on connection: PostgresConnection
    ) async throws -> Enterprise? {
        guard let code = input.creditCode, let name = input.name, let kind = input.kind,
              let region = input.regionCode, let address = input.address
        else { throw Problem.validation(field: "creditCode", reason: "is required") }
        let now = context.clock.now()
        let contact = try input.contactName.map { name in
            (encrypted: try context.service.personalData.encrypt(name), masked: PersonalDataProtector.maskName(name))
        }
        let phone = try input.contactPhone.map { phone in
            (hash: context.service.personalData.matchingHash(phone),
             encrypted: try context.service.personalData.encrypt(phone),
             masked: PersonalDataProtector.maskPhone(phone))
        }
        let inserted = try await connection.query("""
            INSERT INTO enterprises (credit_code, name, kind, region_code, address, contact_name_encrypted,
                contact_name_masked, contact_phone_hash, contact_phone_encrypted, contact_phone_masked, is_chain_leader,
                industrial_cluster, registered_at, updated_at)
            VALUES (\(code.rawValue), \(name), \(kind.rawValue), \(region.rawValue), \(address), \(contact?.encrypted),
                \(contact?.masked),
                \(phone?.hash), \(phone?.encrypted), \(phone?.masked), \(input.isChainLeader ?? false),
                \(input.industrialCluster), \(now), \(now))
            ON CONFLICT (credit_code) DO NOTHING
            """)
        guard inserted.affectedRows == 1 else {
            if ifAbsent { return nil }
            throw CatalogueError.enterpriseAlreadyRegistered(code.rawValue)
        }
        try await context.outbox.append(EnterpriseRegistered(
            creditCode: code, name: name, kind: kind, regionCode: region, address: address,
            isChainLeader: input.isChainLeader ?? false, industrialCluster: input.industrialCluster,
            registeredAt: now, actorRole: actor), on: connection, time: now)
        return try await Enterprise.find(code, on: connection)
    }

    /// Applies the fields present in `input`; emits an update event naming the changed public fields.
    func update(
        _ code: UnifiedSocialCreditCode, with input: EnterpriseInput.Checked, actor: ActorRole,
        on connection: PostgresConnection
    ) async throws -> Enterprise {
        guard var enterprise = try await Enterprise.find(code, forUpdate: true, on: connection) else {
            throw CatalogueError.enterpriseNotFound(code.rawValue)
        }
        var changed: [String] = []
        if let name = input.name, name != enterprise.name { enterprise.name = name; changed.append("name") }
        if let kind = input.kind, kind != enterprise.kind { enterprise.kind = kind; changed.append("kind") }
        if let region = input.regionCode, region != enterprise.regionCode {
            enterprise.regionCode = region
            changed.append("regionCode")
        }
        if let address = input.address, address != enterprise.address {
            enterprise.address = address
            changed.append("address")
        }
        if let leader = input.isChainLeader, leader != enterprise.isChainLeader {
            enterprise.isChainLeader = leader
            changed.append("isChainLeader")
        }
        if let cluster = input.industrialCluster, cluster != enterprise.industrialCluster {
            enterprise.industrialCluster = cluster
            changed.append("industrialCluster")
        }
        let contactChanged = input.contactName != nil || input.contactPhone != nil
        guard !changed.isEmpty || contactChanged else { return enterprise }
        let now = context.clock.now()
        try await connection.query("""
            UPDATE enterprises SET name = \(enterprise.name), kind = \(enterprise.kind.rawValue),
                region_code = \(enterprise.regionCode.rawValue), address = \(enterprise.address),
                is_chain_leader = \(enterprise.isChainLeader), industrial_cluster = \(enterprise.industrialCluster),
                updated_at = \(now)
            WHERE credit_code = \(code.rawValue)
            """)
        if let contactName = input.contactName {
            try await connection.query("""
                UPDATE enterprises SET contact_name_encrypted = \(try context.service.personalData.encrypt(contactName)),
                    contact_name_masked = \(PersonalDataProtector.maskName(contactName)), contact_name = NULL
                WHERE credit_code = \(code.rawValue)
                """)
        }
        if let phone = input.contactPhone {
            let personalData = context.service.personalData
            try await connection.query("""
                UPDATE enterprises SET contact_phone_hash = \(personalData.matchingHash(phone)),
                    contact_phone_encrypted = \(try personalData.encrypt(phone)),
                    contact_phone_masked = \(PersonalDataProtector.maskPhone(phone))
                WHERE credit_code = \(code.rawValue)
                """)
        }
        if changed.contains("name") {
            try await CertificateRegister.refreshSearchText(enterprise: code, on: connection, now: now)
        }
        if !changed.isEmpty {
            try await context.outbox.append(EnterpriseUpdated(
                creditCode: code, name: enterprise.name, kind: enterprise.kind, regionCode: enterprise.regionCode,
                address: enterprise.address, isChainLeader: enterprise.isChainLeader,
                industrialCluster: enterprise.industrialCluster, changedFields: changed, updatedAt: now,
                actorRole: actor), on: connection, time: now)
        }
        return try await Enterprise.find(code, on: connection) ?? enterprise
    }

    /// Encrypts the contact names stored in clear before migration 107, a few hundred rows per transaction, and
    /// clears the clear column; run at every start (nothing to do once done). Replicas starting together share
    /// the rows (`SKIP LOCKED`).
    func protectStoredContactNames() async throws {
        let protector = context.service.personalData
        var protected = 0
        while true {
            let count = try await context.pool.transaction { connection in
                let rows = try await connection.query("""
                    SELECT credit_code, contact_name FROM enterprises WHERE contact_name IS NOT NULL
                    ORDER BY credit_code LIMIT 500 FOR UPDATE SKIP LOCKED
                    """)
                var codes: [String] = [], sealed: [String] = [], masked: [String] = []
                for row in rows.rows {
                    let name = try row.decode("contact_name", as: String.self)
                    codes.append(try row.decode("credit_code", as: String.self))
                    sealed.append(try protector.encrypt(name))
                    masked.append(PersonalDataProtector.maskName(name))
                }
                guard !codes.isEmpty else { return 0 }
                try await connection.query("""
                    UPDATE enterprises e
                    SET contact_name_encrypted = u.sealed, contact_name_masked = u.masked, contact_name = NULL
                    FROM unnest(\(codes), \(sealed), \(masked)) AS u(code, sealed, masked)
                    WHERE e.credit_code = u.code
                    """)
                return codes.count
            }
            guard count > 0 else { break }
            protected += count
        }
        if protected > 0 {
            context.logger.notice("encrypted the contact names stored in clear", metadata: ["enterprise.count": "\(protected)"])
        }
    }
}
