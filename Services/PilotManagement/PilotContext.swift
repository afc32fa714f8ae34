import ServiceHost

/// What pilot-management's routes, domain objects, handlers and jobs share: the host's context and the campaign
/// settings.
public typealias PilotContext = DomainContext<PilotSettings>
