import ServiceHost

/// What the catalogue's routes, domain objects, handlers and jobs share.
public typealias CatalogueContext = DomainContext<CatalogueSettings>
