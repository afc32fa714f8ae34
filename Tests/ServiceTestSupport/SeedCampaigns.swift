import Contracts
import Foundation
import ServiceHost
import TestSupport

/// The campaign years as the repository ships them (`seeds/campaign`, `seeds/calendar`), as a service reads them
/// from `GBM_CAMPAIGN_DIR`.
public enum SeedCampaigns {
    public static let book: CampaignBook = {
        do {
            return try CampaignBook(directory: RepositoryFiles.root.appendingPathComponent("seeds"))
        } catch {
            fatalError("seeds/campaign: \(error)")
        }
    }()

    /// The campaign year `year` in force, on `clock`.
    public static func year(_ year: Int, clock: ServiceClock = .system) -> CampaignEnvironment {
        CampaignEnvironment(book: book, notice: book.notice(year)!, clock: clock)
    }
}
