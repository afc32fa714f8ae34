import Hummingbird

extension HTTPFields.Element.Name {
    /// `X-Request-Id`: the request's id, accepted from callers and echoed in every response.
    public static var requestID: Self { Self("X-Request-Id")! }
}
