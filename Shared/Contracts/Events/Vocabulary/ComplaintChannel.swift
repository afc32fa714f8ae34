/// How a complaint arrived.
public enum ComplaintChannel: String, Sendable, Hashable, CaseIterable, Codable {
    /// The 12315 hotline.
    case hotline12315 = "hotline-12315"
    /// The national 12315 online platform or the region's portal.
    case onlinePlatform = "online-platform"
    /// The pilot region's own complaint hotline.
    case regionalHotline = "regional-hotline"
    /// In person at a market regulation office.
    case inPerson = "in-person"
    /// By letter.
    case letter
}
