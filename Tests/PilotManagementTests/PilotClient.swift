import ServiceTestSupport

/// The HTTP client the tests speak through (a JSON body, or a document's bytes with their media type).
typealias PilotClient = ServiceClient
