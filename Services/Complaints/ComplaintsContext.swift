import ServiceHost

/// What `complaints`'s routes, domain objects, handlers and jobs share.
public typealias ComplaintsContext = DomainContext<ComplaintsSettings>
