import Foundation
import Hummingbird

/// Encodes an `Encodable` value straight into JSON bytes, member by member, in the order the value encodes them.
///
/// Foundation's `JSONEncoder` first builds a tree of boxed values (a dictionary per object) and then writes the
/// tree out: for a calendar page of two hundred activities that was most of the response's CPU time. This
/// writes as it goes. The output is byte for byte what `JSONEncoder` writes with `.withoutEscapingSlashes`, keys
/// in the order encoded and `.iso8601` dates (`2023-03-01T08:00:00Z`, whole seconds, UTC); the HTTP responses
/// use it. A value that writes to a container after it has begun a later sibling (which synthesized `Codable`
/// never does) is an error, not output out of order.
public struct StreamingJSONEncoder: Sendable {
    public init() {}

    public func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let output = JSONOutput()
        try output.write(value, level: 0, codingPath: [])
        guard !output.bytes.isEmpty else {
            throw EncodingError.invalidValue(value, .init(
                codingPath: [], debugDescription: "Top-level \(Value.self) did not encode any values."))
        }
        output.close(downTo: 0)
        return output.bytes
    }
}

/// The bytes written so far and the containers still open, outermost first.
final class JSONOutput {
    // One encoder writes these, from one thread, one call at a time: the runtime's exclusivity checks on every
    // append were a visible share of encoding a long list.
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) private var open: [Frame] = []
    private var nextID = 0

    struct Frame {
        var id: Int
        var isObject: Bool
        /// Whether a member or element was written: kept here, since a value may ask for its container twice.
        var hasEntries = false
    }

    init() {
        bytes.reserveCapacity(1024)
    }

    /// Closes the containers at `level` and deeper.
    func close(downTo level: Int) {
        while open.count > level {
            bytes.append(open.removeLast().isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Opens an object or array in the slot at `level`; returns its id.
    func openContainer(isObject: Bool, level: Int) -> Int {
        close(downTo: level)
        nextID += 1
        open.append(Frame(id: nextID, isObject: isObject))
        bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        return nextID
    }

    /// Whether the container `id` at `level` is still the open one there.
    func isOpen(_ id: Int, at level: Int) -> Bool {
        open.count > level && open[level].id == id
    }

    /// Starts the next member (`"key":`) or element of the container `id` at `level`.
    func beginEntry(of id: Int, at level: Int, key: (any CodingKey)?, codingPath: [any CodingKey]) throws {
        guard isOpen(id, at: level) else {
            throw EncodingError.invalidValue(key?.stringValue ?? "", .init(
                codingPath: codingPath + (key.map { [$0] } ?? []),
                debugDescription: "written to a container after a later one was begun; this encoder writes in order"))
        }
        if open.count > level + 1 { close(downTo: level + 1) }
        if open[level].hasEntries { bytes.append(UInt8(ascii: ",")) } else { open[level].hasEntries = true }
        if let key {
            writeString(key.stringValue)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    /// Writes `value` into the slot at `level`, with the special cases `JSONEncoder` makes.
    func write<Value: Encodable>(
        _ value: Value, level: Int, codingPath: [any CodingKey], key: (any CodingKey)? = nil
    ) throws {
        switch value {
        case let text as String: writeString(text)
        case let number as Int: writeInteger(number)
        case let flag as Bool: writeBool(flag)
        case let date as Date: writeDate(date)
        case let url as URL: writeString(url.absoluteString)
        case let data as Data: writeString(data.base64EncodedString())
        case let decimal as Decimal: writeASCII(decimal.description)
        default:
            let start = bytes.count
            let encoder = StreamingEncoder(output: self, level: level, parentPath: codingPath, key: key)
            try value.encode(to: encoder)
            // A value that encodes nothing is an empty object, as with JSONEncoder.
            if bytes.count == start && !encoder.wroteSingleValue { bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")]) }
        }
    }

    /// As `JSONEncoder.DateEncodingStrategy.iso8601`: whole seconds, UTC.
    func writeDate(_ date: Date) {
        var seconds = time_t(floor(date.timeIntervalSince1970))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        bytes.append(UInt8(ascii: "\""))
        appendDigits(Int(parts.tm_year) + 1900, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(Int(parts.tm_mon) + 1, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(Int(parts.tm_mday), width: 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(Int(parts.tm_hour), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(Int(parts.tm_min), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(Int(parts.tm_sec), width: 2)
        bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }

    private func appendDigits(_ value: Int, width: Int) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        for _ in digits.count..<max(width, digits.count) { bytes.append(UInt8(ascii: "0")) }
        bytes.append(contentsOf: digits.reversed())
    }

    func writeASCII(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    func writeInteger<Integer: BinaryInteger>(_ value: Integer) {
        writeASCII(String(value))
    }

    func writeFloat<Float: BinaryFloatingPoint & LosslessStringConvertible>(
        _ value: Float, codingPath: [any CodingKey]
    ) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(
                codingPath: codingPath, debugDescription: "\(value) is not representable in JSON"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        writeASCII(text)
    }

    func writeBool(_ value: Bool) {
        writeASCII(value ? "true" : "false")
    }

    func writeNull() {
        writeASCII("null")
    }

    /// A JSON string: quotes, backslashes and control characters escaped as `JSONEncoder` escapes them.
    func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// The `Encoder` for one slot: the top level, a member's value or an array element.
final class StreamingEncoder: Encoder {
    let output: JSONOutput
    let level: Int
    /// The path to the container this slot is in, and the slot's key there: the full path is built only when
    /// asked for, not for every member written.
    private let parentPath: [any CodingKey]
    private let key: (any CodingKey)?
    var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// The container this slot opened, so that asking again returns the same one.
    private var opened: (id: Int, isObject: Bool)?
    var wroteSingleValue = false

    init(output: JSONOutput, level: Int, parentPath: [any CodingKey], key: (any CodingKey)?) {
        self.output = output
        self.level = level
        self.parentPath = parentPath
        self.key = key
    }

    private func containerID(isObject: Bool) -> Int {
        if let opened, opened.isObject == isObject, output.isOpen(opened.id, at: level) { return opened.id }
        let id = output.openContainer(isObject: isObject, level: level)
        opened = (id, isObject)
        return id
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(StreamingKeyedContainer<Key>(
            output: output, id: containerID(isObject: true), level: level, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        StreamingUnkeyedContainer(output: output, id: containerID(isObject: false), level: level, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingleValueContainer(encoder: self)
    }
}

struct StreamingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let output: JSONOutput
    let id: Int
    let level: Int
    let codingPath: [any CodingKey]

    private func begin(_ key: Key) throws {
        try output.beginEntry(of: id, at: level, key: key, codingPath: codingPath)
    }

    mutating func encodeNil(forKey key: Key) throws { try begin(key); output.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try begin(key); output.writeBool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try begin(key); output.writeString(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try begin(key)
        try output.writeFloat(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try begin(key)
        try output.writeFloat(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try begin(key); output.writeInteger(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try begin(key); output.writeInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try begin(key); output.writeInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try begin(key); output.writeInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try begin(key); output.writeInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try begin(key); output.writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try begin(key); output.writeInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try begin(key); output.writeInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try begin(key); output.writeInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try begin(key); output.writeInteger(value) }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        try begin(key)
        try output.write(value, level: level + 1, codingPath: codingPath, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        try? begin(key)
        return KeyedEncodingContainer(StreamingKeyedContainer<NestedKey>(
            output: output, id: output.openContainer(isObject: true, level: level + 1), level: level + 1,
            codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        try? begin(key)
        return StreamingUnkeyedContainer(
            output: output, id: output.openContainer(isObject: false, level: level + 1), level: level + 1,
            codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: Key(stringValue: "super")!)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        try? begin(key)
        return StreamingEncoder(output: output, level: level + 1, parentPath: codingPath, key: key)
    }
}

struct StreamingUnkeyedContainer: UnkeyedEncodingContainer, StreamingScalarWriter {
    let output: JSONOutput
    let id: Int
    let level: Int
    let codingPath: [any CodingKey]
    private(set) var count = 0

    init(output: JSONOutput, id: Int, level: Int, codingPath: [any CodingKey]) {
        self.output = output
        self.id = id
        self.level = level
        self.codingPath = codingPath
    }

    mutating func begin() throws {
        try output.beginEntry(of: id, at: level, key: nil, codingPath: codingPath)
        count += 1
    }


    mutating func encode<Value: Encodable>(_ value: Value) throws {
        try begin()
        try output.write(value, level: level + 1, codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        try? begin()
        return KeyedEncodingContainer(StreamingKeyedContainer<NestedKey>(
            output: output, id: output.openContainer(isObject: true, level: level + 1), level: level + 1,
            codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        try? begin()
        return StreamingUnkeyedContainer(
            output: output, id: output.openContainer(isObject: false, level: level + 1), level: level + 1,
            codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        try? begin()
        return StreamingEncoder(output: output, level: level + 1, parentPath: codingPath, key: nil)
    }
}

struct StreamingSingleValueContainer: SingleValueEncodingContainer, StreamingScalarWriter {
    let encoder: StreamingEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var output: JSONOutput { encoder.output }

    init(encoder: StreamingEncoder) {
        self.encoder = encoder
    }

    func begin() throws {
        guard !encoder.wroteSingleValue else {
            throw EncodingError.invalidValue((), .init(
                codingPath: codingPath, debugDescription: "a single value container was written twice"))
        }
        encoder.wroteSingleValue = true
    }


    mutating func encode<Value: Encodable>(_ value: Value) throws {
        try begin()
        try output.write(value, level: encoder.level, codingPath: codingPath)
    }
}

extension StreamingJSONEncoder: ResponseEncoder {
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        try response(value, status: .ok)
    }

    /// `value` as a JSON response with `status`.
    public func response(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        Self.response(bytes: try encode(value), status: status)
    }

    /// JSON already encoded (a stored answer) as a response with `status`, besides `headers`.
    public static func response(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(bytes.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The scalar writes the unkeyed and single-value containers share: begin the entry, then write the value.
protocol StreamingScalarWriter {
    var output: JSONOutput { get }
    var codingPath: [any CodingKey] { get }
    mutating func begin() throws
}

extension StreamingScalarWriter {
    mutating func encodeNil() throws { try begin(); output.writeNull() }
    mutating func encode(_ value: Bool) throws { try begin(); output.writeBool(value) }
    mutating func encode(_ value: String) throws { try begin(); output.writeString(value) }
    mutating func encode(_ value: Double) throws { try begin(); try output.writeFloat(value, codingPath: codingPath) }
    mutating func encode(_ value: Float) throws { try begin(); try output.writeFloat(value, codingPath: codingPath) }
    mutating func encode(_ value: Int) throws { try begin(); output.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try begin(); output.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try begin(); output.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try begin(); output.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try begin(); output.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try begin(); output.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try begin(); output.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try begin(); output.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try begin(); output.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try begin(); output.writeInteger(value) }
}
