/// What a caller is, as carried in its token; routes decide what each role may do.
///
/// | role | scope it carries | acts as (``Principal/actorRole``) |
/// |---|---|---|
/// | `ministry` | optional `department` (MIIT, MOHURD, MOA, MOFCOM, SAMR, NRRA) | ministry official; SAMR: market regulator |
/// | `region-official` | `region`: the pilot region's division code | regional official |
/// | `market-regulator` | `region`: the bureau's 6-digit province, city or county code | market regulator |
/// | `certification-committee` | none (one national committee) | certification committee |
/// | `certification-body` | `certificationBody`: the body's unified social credit code | certification body |
/// | `enterprise` | `enterprise`: its unified social credit code | enterprise |
/// | `consumer` | none | consumer |
/// | `promotion-group` | none (the campaign's national promotion group) | — (read-only: it never changes anything) |
public enum Role: String, Codable, Sendable, CaseIterable {
    /// An official of one of the six ministries: national view, approvals.
    case ministry
    /// An official of a pilot region: acts only within that region (``Principal/regionCode``).
    case regionOfficial = "region-official"
    /// A green building material certification body: changes only the certificates it issued
    /// (``Principal/certificationBodyCode``).
    case certificationBody = "certification-body"
    /// An enterprise or seller (``Principal/enterpriseCode``).
    case enterprise
    /// A member of the public.
    case consumer
    /// A market regulation bureau (SAMR's local bureaus, county level and up): investigates certification
    /// violations within its division (``Principal/regionCode``, six digits).
    case marketRegulator = "market-regulator"
    /// The certification technical committee (绿色建材产品认证技术委员会) that publishes the national list.
    case certificationCommittee = "certification-committee"
    /// The campaign's promotion group (the China Building Materials Federation and the certification technical
    /// committee): the national view, read-only.
    case promotionGroup = "promotion-group"
}
