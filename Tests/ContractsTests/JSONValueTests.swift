import Contracts
import Testing

@Suite struct JSONValueTests {
    @Test func parsesAndSerialisesWithSortedKeys() throws {
        let value = try JSONValue(parsing: #"{"b":[1,2.5,true,null],"a":"x\u00e9\n","c":{}}"#)
        #expect(value == ["a": "xé\n", "b": [1, .number(2.5), true, nil], "c": [:]])
        #expect(value.serialized() == #"{"a":"xé\n","b":[1,2.5,true,null],"c":{}}"#)
        #expect(try JSONValue(parsing: value.serialized(pretty: true)) == value)
    }

    @Test func rejectsMalformedText() {
        for text in ["{", "[1,]", "{\"a\" 1}", "01", "\"\\x\"", "1 2", "tru"] {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONValue(parsing: text) }
        }
    }

    @Test func yamlQuotesWhatWouldBeAmbiguous() {
        let yaml = YAMLNode.mapping([
            .init("plain", .string("gbm.catalogue.certificates.v1")),
            .init("version", .string("3.0.0")),
            .init("word", .string("yes")),
            .init("ref", .string("#/components/messages/x")),
            .init("chinese", .string("绿色建材")),
            .init("list", .sequence([.mapping([.init("name", .string("a")), .init("count", .literal("1"))])])),
            .init("empty", .mapping([])),
        ]).text
        #expect(yaml == """
            plain: gbm.catalogue.certificates.v1
            version: "3.0.0"
            word: "yes"
            ref: "#/components/messages/x"
            chinese: "绿色建材"
            list:
              - name: a
                count: 1
            empty: {}

            """)
    }
}
