import Contracts
extension PrincipalRequestContext {
    /// The authenticated caller, or a 401 problem for an anonymous request.
    @discardableResult
    public func requirePrincipal() throws(Problem) -> Principal {
        guard let principal else {
            throw Problem.unauthorized("This operation needs a bearer token.", code: "authentication-required")
        }
        return principal
    }

    /// The caller, if it has one of `roles`: 401 when anonymous, 403 otherwise.
    @discardableResult
    public func require(role roles: Role...) throws(Problem) -> Principal {
        try require(roles: roles)
    }

    /// The caller, if it has one of `roles`: 401 when anonymous, 403 otherwise.
    @discardableResult
    public func require(roles: [Role]) throws(Problem) -> Principal {
        let principal = try requirePrincipal()
        guard roles.contains(principal.role) else {
            let allowed = roles.map(\.rawValue).joined(separator: ", ")
            throw Problem.forbidden("The role \(principal.role.rawValue) may not do this; allowed: \(allowed).", code: "role-not-allowed")
        }
        return principal
    }

    /// The caller, if it regulates the market (clears investigation flags, handles certification violations): a
    /// `market-regulator` bureau, or a `ministry` official of SAMR. 401 when anonymous, 403 otherwise. Whether the
    /// case lies in the bureau's division is the caller's next check (``Principal/mayRegulate(in:)``).
    @discardableResult
    public func requireMarketRegulator() throws(Problem) -> Principal {
        let principal = try requirePrincipal()
        guard principal.isMarketRegulator else {
            throw Problem.forbidden(
                "Only market regulators (a market-regulator bureau, or a ministry official of SAMR) may do this.",
                code: "role-not-allowed")
        }
        return principal
    }

    /// The caller, if it may act in the division `region`: a ministry official anywhere, a regional official in its
    /// own region or any division under it, nobody else. 401 when anonymous, 403 otherwise.
    @discardableResult
    public func requireRegion(_ region: DivisionCode) throws(Problem) -> Principal {
        try requireRegion(region, named: region.rawValue)
    }

    /// ``requireRegion(_:)`` for a region named by text (a query filter, a stored row): text that is no division
    /// code names a region no regional official acts in, so only a ministry official passes.
    @discardableResult
    public func requireRegion(named text: String) throws(Problem) -> Principal {
        try requireRegion(DivisionCode(rawValue: text), named: text)
    }

    private func requireRegion(_ region: DivisionCode?, named text: String) throws(Problem) -> Principal {
        let principal = try requirePrincipal()
        switch principal.role {
        case .ministry:
            return principal
        case .regionOfficial:
            guard let region, principal.mayAct(in: region) else {
                throw Problem.forbidden(
                    "A regional official of \(principal.regionCode?.rawValue ?? "no region") may not act in region \(text).",
                    code: "region-not-allowed"
                )
            }
            return principal
        default:
            throw Problem.forbidden("Only ministry and regional officials act for a region.", code: "role-not-allowed")
        }
    }
}

extension PrincipalRequestContext {
    /// The caller, if it may read `region`'s figures (`nil`: the national figures): ministry officials and the
    /// promotion group everywhere, a regional official its own region and below. 401 when anonymous, 403 otherwise.
    @discardableResult
    public func requireView(of region: DivisionCode?) throws(Problem) -> Principal {
        let principal = try requirePrincipal()
        guard principal.mayView(region) else {
            if principal.role == .regionOfficial {
                throw Problem.forbidden(
                    "A regional official of \(principal.regionCode?.rawValue ?? "no region") may not read \(region.map { "region \($0.rawValue)" } ?? "the national figures").",
                    code: "region-not-allowed")
            }
            throw Problem.forbidden(
                "Only ministry officials, the promotion group and regional officials read these figures.", code: "role-not-allowed")
        }
        return principal
    }
}

/// The caller's right to act in a region, asked once the row naming the region has been read and locked: a route
/// passes its context's `regionAccess`, so a domain object checks it without knowing HTTP.
public typealias RegionAccess = (_ regionCode: String) throws -> Principal

extension AppRequestContext {
    /// The caller's ``RegionAccess``: ministry officials anywhere, regional officials in their own region.
    public var regionAccess: RegionAccess { { try self.requireRegion(named: $0) } }
}
