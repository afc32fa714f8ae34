import Postgres

/// What a product is found by: its certificate number, product name, model, and the holder's and manufacturer's
/// names, lower-cased; and the character bigrams of that text, which the GIN index holds.
///
/// Both are computed here rather than by the database: the bigrams were a PL/pgSQL function run for every row
/// of an import on PostgreSQL's one busy core, while this side of the import had a core to spare. A search
/// lower-cases and splits its text with the same functions, so what is stored and what is looked for agree.
enum SearchText {
    static func of(number: String, productName: String, model: String, holderName: String, manufacturerName: String) -> String {
        [nameText(number: number, productName: productName, model: model), holderName.lowercased(),
         manufacturerName.lowercased()].joined(separator: " ")
    }

    /// The part of a product's search text that is its own: number, product name and model, lower-cased. Its bigrams
    /// (`name_bigrams`) find the products a text ranks highest without reading the enterprise-name matches.
    static func nameText(number: String, productName: String, model: String) -> String {
        [number, productName, model].joined(separator: " ").lowercased()
    }

    /// The distinct pairs of adjacent characters (Unicode scalars, as PostgreSQL counts characters) of the
    /// lower-cased `text`, in byte order: what migration 103's `text_bigrams` returns in a C.UTF-8 database.
    static func bigrams(of text: String) -> [String] {
        let scalars = Array(text.lowercased().unicodeScalars)
        guard scalars.count >= 2 else { return [] }
        // Compared as bytes, as the database compares them: Swift's `String` equality would merge pairs that
        // are only canonically equivalent.
        var pairs: [[UInt8]] = []
        pairs.reserveCapacity(scalars.count - 1)
        for index in 0..<(scalars.count - 1) {
            var pair: [UInt8] = []
            pair.append(contentsOf: UTF8.encode(scalars[index])!)
            pair.append(contentsOf: UTF8.encode(scalars[index + 1])!)
            pairs.append(pair)
        }
        pairs.sort { $0.lexicographicallyPrecedes($1) }
        var distinct: [String] = []
        distinct.reserveCapacity(pairs.count)
        var previous: [UInt8]?
        for pair in pairs where pair != previous {
            distinct.append(String(decoding: pair, as: UTF8.self))
            previous = pair
        }
        return distinct
    }

    /// The bigrams as one `text[]` literal, for binding many rows' bigrams as one array of literals.
    static func bigramLiteral(of text: String) -> String {
        bigrams(of: text).postgresText ?? "{}"
    }
}
