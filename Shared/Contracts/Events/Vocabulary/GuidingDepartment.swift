/// The six guiding departments of the campaign.
public enum GuidingDepartment: String, Sendable, Hashable, CaseIterable, Codable {
    /// Ministry of Industry and Information Technology (工业和信息化部).
    case miit
    /// Ministry of Housing and Urban-Rural Development (住房和城乡建设部).
    case mohurd
    /// Ministry of Agriculture and Rural Affairs (农业农村部).
    case moa
    /// Ministry of Commerce (商务部).
    case mofcom
    /// State Administration for Market Regulation (市场监管总局).
    case samr
    /// National Rural Revitalization Administration (国家乡村振兴局).
    case nrra
}

extension GuidingDepartment {
    /// The department's usual abbreviation in upper case (`MOHURD`), as tokens and people write it.
    public var abbreviation: String { rawValue.uppercased() }

    /// The department named by its abbreviation, in any case (`MOHURD`, `mohurd`).
    public init?(abbreviation: String) {
        self.init(rawValue: abbreviation.lowercased())
    }
}
