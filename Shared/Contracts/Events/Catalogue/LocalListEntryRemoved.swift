import Foundation

/// A product was removed from a pilot region's local list.
///
/// Event type `gbm.catalogue.local-list.entry-removed.v1` on topic `gbm.catalogue.local-lists.v1`; key: `regionCode`.
public struct LocalListEntryRemoved: EventPayload {
    public static let eventType = EventType(
        name: "gbm.catalogue.local-list.entry-removed.v1", topic: .catalogueLocalLists,
        summary: "A product was removed from a pilot region's local list.")

    /// The pilot region's division code.
    public var regionCode: DivisionCode
    /// The entry removed.
    public var entryID: String
    /// The product's certificate, if it was listed as certified.
    public var certificateNumber: CertificateNumber?
    /// Why it was removed.
    public var reason: String
    /// Role of whoever made the change.
    public var actorRole: ActorRole
    /// When the entry was removed.
    public var removedAt: Date

    public var aggregateID: String { regionCode.rawValue }

    public init(
        regionCode: DivisionCode,
        entryID: String,
        certificateNumber: CertificateNumber? = nil,
        reason: String,
        actorRole: ActorRole,
        removedAt: Date
    ) {
        self.regionCode = regionCode
        self.entryID = entryID
        self.certificateNumber = certificateNumber
        self.reason = reason
        self.actorRole = actorRole
        self.removedAt = removedAt
    }

    public static var schema: JSONSchema {
        .object([
            .required("regionCode", .divisionCode, "The pilot region's division code."),
            .required("entryID", .uuid, "The entry removed."),
            .optional("certificateNumber", .certificateNumber, "The product's certificate, if it was listed as certified."),
            .required("reason", .text(maxLength: 1000), "Why it was removed."),
            .required("actorRole", .enumeration(ActorRole.self), "Role of whoever made the change."),
            .required("removedAt", .dateTime, "When the entry was removed."),
        ])
    }

    public static var example: LocalListEntryRemoved {
        LocalListEntryRemoved(
            regionCode: Example.division("330000"),
            entryID: "6f1d2c3b-4a59-4e8d-8c7b-1f2e3d4c5b6a",
            certificateNumber: Example.certificate("CGBM-2023-ZJ-000871"),
            reason: "检测报告过期",
            actorRole: .regionalOfficial,
            removedAt: Example.time("2023-09-01T01:30:00Z")
        )
    }
}
