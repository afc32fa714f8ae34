/// Why a record cannot be read as a CloudEvent or its payload: names the header or field at fault
/// (`missing ce_id`, `bad ce_time '…'`, `unsupported ce_specversion '0.3'`).
public struct CloudEventDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    public var description: String { "cannot read CloudEvent: \(reason)" }
}
