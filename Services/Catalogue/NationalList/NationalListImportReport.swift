/// What a national list batch import did: how many rows, how many imported, and every rejected row with its
/// line number (CSV: the line the record starts on, header = line 1; JSON: the row's position from 1).
public struct NationalListImportReport: Codable, Sendable, Equatable {
    public struct RowError: Codable, Sendable, Equatable {
        public var line: Int
        public var field: String
        public var reason: String
    }

    public var batchID: String
    public var mode: NationalListImportMode
    public var totalRows: Int
    public var importedRows: Int
    public var rejectedRows: Int
    /// True when this exact batch had been imported before and nothing changed now.
    public var alreadyImported: Bool
    public var errors: [RowError]
}

/// Whether a batch with bad rows imports nothing (`atomic`) or its valid rows (`valid-rows-only`).
public enum NationalListImportMode: String, Codable, Sendable, CaseIterable {
    case atomic
    case validRowsOnly = "valid-rows-only"
}
