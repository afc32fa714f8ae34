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

    /// The caller, if it may act in the division `region`: a ministry official anywhere, a regional official in its
    /// own region or any division under it, nobody else. 401 when anonymous, 403 otherwise.
    @discardableResult
    public func requireRegion(_ region: DivisionCode) throws(Problem) -> Principal {
        let principal = try requirePrincipal()
        switch principal.role {
        case .ministry, .regionOfficial:
            guard principal.mayAct(in: region) else {
                throw Problem.forbidden(
                    "A regional official of \(principal.regionCode?.rawValue ?? "no region") may not act in region \(region).",
                    code: "region-not-allowed"
                )
            }
            return principal
        default:
            throw Problem.forbidden("Only ministry and regional officials act for a region.", code: "role-not-allowed")
        }
    }
}
