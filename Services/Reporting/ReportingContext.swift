import ServiceHost

/// What `reporting`'s routes, domain objects, handlers and jobs share.
public typealias ReportingContext = DomainContext<ReportingSettings>
