/// GB/T 2260 administrative division codes as regional scopes: a code covers itself and every division under it.
///
/// Trailing `00` pairs mark the level: `330000` (Zhejiang) covers `3301xx` and `330106`; `330100` (Hangzhou) covers
/// `3301xx`; `330106` covers only itself.
public enum DivisionScope {
    /// Whether `code` is six ASCII digits with a non-zero province part (a well-formed GB/T 2260 code).
    public static func isWellFormed(_ code: String) -> Bool {
        code.utf8.count == 6 && code.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            && !code.hasPrefix("00")
    }

    /// The significant prefix of a code: `330000` → `33`, `330100` → `3301`, `330106` → `330106`.
    public static func prefix(of code: String) -> Substring {
        var prefix = Substring(code)
        while prefix.count > 2, prefix.hasSuffix("00") {
            prefix = prefix.dropLast(2)
        }
        return prefix
    }

    /// Whether the division `scope` contains `code` (or is it). Malformed codes cover and are covered by nothing.
    public static func covers(_ scope: String, _ code: String) -> Bool {
        guard isWellFormed(scope), isWellFormed(code) else { return false }
        return code.hasPrefix(prefix(of: scope))
    }
}
