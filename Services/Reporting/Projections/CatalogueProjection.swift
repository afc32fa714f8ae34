import Contracts
import Messaging

/// Facts from `gbm.catalogue.*`: enterprises, certified products (valid, withdrawn, under investigation) and
/// local lists. A certificate counts in its holder's registration division (its credit code's characters 3–8).
enum CatalogueProjection {
    static let handlers: [EventHandler] = [
        FactLedger.handler(EnterpriseRegistered.self) { registered in
            [Fact(.enterprisesRegistered, registered.kind.rawValue, region: registered.regionCode, at: registered.registeredAt)]
        },
        FactLedger.handler(CertificateIssued.self) { issued in
            let region = Fact.region(of: issued.holderCreditCode)
            return [
                Fact(.certificatesIssued, issued.starGrade.rawValue, region: region, day: issued.issuedOn),
                Fact(.certificatesValid, region: region, day: issued.issuedOn),
            ]
        },
        FactLedger.handler(CertificateRenewed.self) { renewed in
            [Fact(.certificatesRenewed, renewed.starGrade.rawValue, region: Fact.region(of: renewed.holderCreditCode),
                  day: WorkingDayCalendar.day(of: renewed.renewedAt))]
        },
        FactLedger.handler(CertificateSuspended.self) { suspended in
            CatalogueProjection.withdrawal("suspended", holder: suspended.holderCreditCode, previous: suspended.previousStatus,
                       day: WorkingDayCalendar.day(of: suspended.suspendedAt))
        },
        FactLedger.handler(CertificateRevoked.self) { revoked in
            CatalogueProjection.withdrawal("revoked", holder: revoked.holderCreditCode, previous: revoked.previousStatus,
                       day: WorkingDayCalendar.day(of: revoked.revokedAt))
        },
        FactLedger.handler(CertificateCancelled.self) { cancelled in
            CatalogueProjection.withdrawal("cancelled", holder: cancelled.holderCreditCode, previous: cancelled.previousStatus,
                       day: WorkingDayCalendar.day(of: cancelled.cancelledAt))
        },
        FactLedger.handler(CertificateExpired.self) { expired in
            CatalogueProjection.withdrawal("expired", holder: expired.holderCreditCode, previous: expired.previousStatus, day: expired.expiredOn)
        },
        FactLedger.handler(CertificateRestored.self) { restored in
            // Valid again, unless it was valid already.
            guard restored.previousStatus != .valid else { return [] }
            return [Fact(.certificatesValid, region: Fact.region(of: restored.holderCreditCode),
                         day: WorkingDayCalendar.day(of: restored.restoredAt))]
        },
        FactLedger.handler(CertificateFlagged.self) { flagged in
            [Fact(.productsUnderInvestigation, region: Fact.region(of: flagged.holderCreditCode),
                  day: WorkingDayCalendar.day(of: flagged.flaggedAt))]
        },
        FactLedger.handler(CertificateFlagCleared.self) { cleared in
            [Fact(.productsUnderInvestigation, region: Fact.region(of: cleared.holderCreditCode),
                  day: WorkingDayCalendar.day(of: cleared.clearedAt), value: -1)]
        },
        FactLedger.handler(LocalListEntryAdded.self) { added in
            [
                Fact(.localListEntries, region: added.regionCode, at: added.addedAt),
                Fact(.localListAdded, added.basis.rawValue, region: added.regionCode, at: added.addedAt),
            ]
        },
        FactLedger.handler(LocalListEntryRemoved.self) { removed in
            [Fact(.localListEntries, region: removed.regionCode, at: removed.removedAt, value: -1)]
        },
        FactLedger.handler(LocalListRequirementPublished.self) { published in
            [Fact(.localListRequirements, published.category.rawValue, region: published.regionCode, at: published.publishedAt)]
        },
    ]

    /// A certificate leaving the valid state (only if it was valid: a revoked suspension was counted already).
    static func withdrawal(
        _ kind: String, holder: UnifiedSocialCreditCode, previous: CertificateStatus, day: CalendarDate
    ) -> [Fact] {
        let region = Fact.region(of: holder)
        var facts = [Fact(.certificatesWithdrawn, kind, region: region, day: day)]
        if previous == .valid { facts.append(Fact(.certificatesValid, region: region, day: day, value: -1)) }
        return facts
    }
}
