import Foundation
import ServiceHost

/// What the catalogue runs with besides the host's configuration; tests replace the clock, the sweep interval and
/// the sizes of import chunks and export pages.
public struct CatalogueSettings: ServiceSettings {
    /// The time now: certificate expiry, verification dates and event times read it.
    public var clock: ServiceClock
    /// How often the expiry job looks for certificates past their expiry date.
    public var expirySweep: Duration
    /// Rows a national list import writes (and reserves) per transaction: the longest it holds the change-feed
    /// lock that every certificate write takes.
    public var importChunkRows: Int
    /// Rows a bulk export reads per query while it streams.
    public var exportPageRows: Int
    /// Search answers a service instance keeps while the catalogue is unchanged (`SearchCache`); 0 keeps none.
    public var searchCacheEntries: Int

    public init(
        clock: ServiceClock = .system, expirySweep: Duration = .seconds(60), importChunkRows: Int = 5000,
        exportPageRows: Int = 2000, searchCacheEntries: Int = 4096
    ) {
        precondition(importChunkRows > 0 && exportPageRows > 0, "chunks and pages hold at least one row")
        self.clock = clock
        self.expirySweep = expirySweep
        self.importChunkRows = importChunkRows
        self.exportPageRows = exportPageRows
        self.searchCacheEntries = searchCacheEntries
    }
}
