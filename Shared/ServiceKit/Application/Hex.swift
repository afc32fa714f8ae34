extension Sequence where Element == UInt8 {
    /// The bytes in lower-case hexadecimal, two digits a byte: how digests and keyed hashes are stored and shown.
    /// (`String(format: "%02x")` per byte went through Foundation's formatter: a tenth of a complaint intake's CPU.)
    public var lowercaseHex: String {
        var digits: [UInt8] = []
        digits.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            digits.append(hexDigits[Int(byte >> 4)])
            digits.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
