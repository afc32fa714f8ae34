import Foundation
import ServiceKit
import Testing

@Suite("Streaming JSON encoder")
struct StreamingJSONEncoderTests {
    enum Grade: String, Codable { case oneStar = "one-star", threeStar = "three-star" }

    struct Empty: Codable, Equatable {}

    struct Inner: Codable, Equatable {
        var name: String
        var fen: Int64
        var tags: [String]
    }

    struct Everything: Codable, Equatable {
        var text: String
        var missing: String?
        var present: String?
        var flag: Bool
        var int: Int
        var int8: Int8
        var uint64: UInt64
        var doubles: [Double]
        var float: Float
        var grade: Grade
        var grades: [Grade]
        var when: Date
        var dates: [Date]
        var inner: Inner
        var inners: [Inner]
        var empty: Empty
        var nested: [[Int]]
        var map: [String: Int]
        var url: URL
        var data: Data
        var optionalInner: Inner?
    }

    /// What the HTTP responses used before: Foundation's encoder with the same options. It writes an object's
    /// keys in hash order, so objects are compared as parsed values, everything else byte for byte.
    static func foundation<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    static func parsed(_ bytes: [UInt8]) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as! NSObject
    }

    static let awkwardText = "引号\"反斜杠\\斜杠/ tab\t nl\n cr\r bs\u{08} ff\u{0C} nul\u{00} us\u{1F} del\u{7F} 🌾 e\u{301}"

    static let everything = Everything(
        text: awkwardText, missing: nil, present: "外墙保温材料", flag: true, int: -42, int8: -8,
        uint64: UInt64.max, doubles: [1.0, 0.1, -3.25, 1e20, 1e-7, 123456.789, 0], float: 2.5, grade: .oneStar,
        grades: [.threeStar, .oneStar],
        when: Date(timeIntervalSince1970: 1_677_628_800.75),
        dates: [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.5), Date(timeIntervalSince1970: 1_703_980_799)],
        inner: Inner(name: "断桥铝合金节能门窗", fen: 1_234_567, tags: []),
        inners: [Inner(name: "a", fen: 0, tags: ["x", "y"]), Inner(name: "b", fen: -1, tags: ["z"])],
        empty: Empty(), nested: [[], [1, 2], [3]], map: ["only": 1],
        url: URL(string: "https://example.org/a/b?c=d")!, data: Data([0, 1, 2, 250]), optionalInner: nil)

    @Test func objectsHoldWhatFoundationWritesInDeclarationOrder() throws {
        let ours = try StreamingJSONEncoder().encode(Self.everything)
        #expect(try Self.parsed(ours) == Self.parsed(try Self.foundation(Self.everything)))
        let keys = ["text", "present", "flag", "int", "int8", "uint64", "doubles", "float", "grade", "grades", "when",
                    "dates", "inner", "inners", "empty", "nested", "map", "url", "data"]
        let text = String(decoding: ours, as: UTF8.self)
        let positions = keys.map { text.range(of: "\"\($0)\":")!.lowerBound }
        #expect(positions == positions.sorted(), "keys in declaration order")
        #expect(!text.contains("\"missing\"") && !text.contains("optionalInner"), "absent optionals are left out")
        #expect(try StreamingJSONEncoder().encode(Inner(name: "x", fen: 1, tags: ["a"]))
            == Array(#"{"name":"x","fen":1,"tags":["a"]}"#.utf8))
    }

    @Test func valuesAreWrittenByteForByteAsFoundationWritesThem() throws {
        let e = Self.everything
        #expect(try StreamingJSONEncoder().encode([e.text, e.present!]) == Self.foundation([e.text, e.present!]))
        #expect(try StreamingJSONEncoder().encode(e.doubles) == Self.foundation(e.doubles))
        #expect(try StreamingJSONEncoder().encode([e.float]) == Self.foundation([e.float]))
        #expect(try StreamingJSONEncoder().encode([e.when] + e.dates) == Self.foundation([e.when] + e.dates))
        #expect(try StreamingJSONEncoder().encode(e.grades) == Self.foundation(e.grades))
        #expect(try StreamingJSONEncoder().encode(e.nested) == Self.foundation(e.nested))
        #expect(try StreamingJSONEncoder().encode([e.url]) == Self.foundation([e.url]))
        #expect(try StreamingJSONEncoder().encode([e.data]) == Self.foundation([e.data]))
        #expect(try StreamingJSONEncoder().encode([e.uint64]) == Self.foundation([e.uint64]))
        #expect(try StreamingJSONEncoder().encode([e.int8]) == Self.foundation([e.int8]))
        #expect(try StreamingJSONEncoder().encode([e.empty]) == Self.foundation([e.empty]))
        for byte in 0..<0x20 {
            let text = "a" + String(UnicodeScalar(UInt8(byte))) + "b"
            #expect(try StreamingJSONEncoder().encode([text]) == Self.foundation([text]), "control character \(byte)")
        }
    }

    @Test func topLevelScalarsArraysAndEmptyValues() throws {
        #expect(try StreamingJSONEncoder().encode("一") == Self.foundation("一"))
        #expect(try StreamingJSONEncoder().encode(7) == Self.foundation(7))
        #expect(try StreamingJSONEncoder().encode([Inner]()) == Self.foundation([Inner]()))
        #expect(try StreamingJSONEncoder().encode(Empty()) == Self.foundation(Empty()))
        #expect(try StreamingJSONEncoder().encode(Optional<Int>.none) == Self.foundation(Optional<Int>.none))
    }

    /// Hand-written `encode(to:)` in the shapes Codable allows: nested containers, asking for the same
    /// container twice, a super encoder.
    struct HandWritten: Encodable {
        enum Keys: String, CodingKey { case a, nested, list, base, after }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("first", forKey: .a)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
            try nested.encode(1, forKey: .a)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(true)
            try list.encodeNil()
            var inList = list.nestedContainer(keyedBy: Keys.self)
            try inList.encode(2.5, forKey: .a)
            try Inner(name: "base", fen: 3, tags: []).encode(to: container.superEncoder(forKey: .base))
            var again = encoder.container(keyedBy: Keys.self)
            try again.encode("last", forKey: .after)
        }
    }

    @Test func handWrittenEncodingsComeOutAsWithFoundation() throws {
        let ours = try StreamingJSONEncoder().encode(HandWritten())
        #expect(try Self.parsed(ours) == Self.parsed(try Self.foundation(HandWritten())))
        #expect(String(decoding: ours, as: UTF8.self)
            == #"{"a":"first","nested":{"a":1},"list":[true,null,{"a":2.5}],"base":{"name":"base","fen":3,"tags":[]},"after":"last"}"#)
    }

    /// Writing to a container after a later sibling was begun cannot be streamed: it is an error.
    struct OutOfOrder: Encodable {
        enum Keys: String, CodingKey { case first, second, late }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var first = container.nestedContainer(keyedBy: Keys.self, forKey: .first)
            var second = container.nestedContainer(keyedBy: Keys.self, forKey: .second)
            try second.encode(1, forKey: .late)
            try first.encode(2, forKey: .late)
        }
    }

    @Test func refusesWritesThatWouldComeOutOfOrder() {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(OutOfOrder()) }
    }

    @Test func refusesNumbersJSONCannotHold() {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([Double.infinity]) }
    }
}
