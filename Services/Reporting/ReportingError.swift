import Contracts
import ServiceKit

/// The reporting service's domain errors, each with a stable code; HTTP renders them as problem+json.
public enum ReportingError: Error, Equatable, Sendable, ProblemConvertible {
    /// No projection has this name.
    case metricNotFound(String)
    /// The division is no pilot region, lies in none and contains none.
    case regionNotFound(String)
    /// The division is not an approved pilot region (as far as `gbm.pilot.regions.v1` has told this service).
    case notAPilotRegion(String)
    /// No summary report has this id.
    case reportNotFound(String)
    /// The region already has a report for the year (its id).
    case reportExists(String)
    /// The report's current version is not in a status that allows the action.
    case reportState(ReportStatus, action: String)
    /// The dashboard has no file of this name.
    case dashboardAssetNotFound(String)

    public var code: String {
        switch self {
        case .metricNotFound: "metric-not-found"
        case .regionNotFound: "region-not-found"
        case .notAPilotRegion: "not-a-pilot-region"
        case .reportNotFound: "report-not-found"
        case .reportExists: "report-exists"
        case .reportState: "report-state"
        case .dashboardAssetNotFound: "asset-not-found"
        }
    }

    public var problem: Problem {
        switch self {
        case .metricNotFound(let name):
            Problem.notFound("No projection is called \(name); GET /metrics lists them.", code: code)
        case .regionNotFound(let region):
            Problem.notFound("Region \(region) is no pilot region, lies in none and contains none.", code: code)
        case .notAPilotRegion(let region):
            Problem.notFound("Region \(region) is not an approved pilot region.", code: code)
        case .reportNotFound(let id):
            Problem.notFound("No summary report has id \(id).", code: code)
        case .reportExists(let id):
            Problem.conflict(code: code, detail: "The region already has a summary report for the year: \(id).")
        case .reportState(let status, let action):
            Problem.conflict(code: code, detail: "A \(status.rawValue) report cannot be \(action == "edit" ? "edited" : action == "submit" ? "submitted" : action == "acknowledge" ? "acknowledged" : "corrected"); a submitted report changes only by a correction with its reason.")
        case .dashboardAssetNotFound(let name):
            Problem.notFound("The dashboard has no file called \(name.prefix(100)); it has \(DashboardAsset.files.map(\.name).joined(separator: ", ")).", code: code)
        }
    }
}
