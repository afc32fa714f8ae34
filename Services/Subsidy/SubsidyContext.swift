import ServiceHost

/// What `subsidy`'s routes, domain objects, handlers and jobs share.
public typealias SubsidyContext = DomainContext<SubsidySettings>
