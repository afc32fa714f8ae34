extension PersonalDataProtector {
    /// A phone number for display: first 3 and last 4 digits kept, `138****5678`. A value too short for that
    /// shows at most its last 2 characters (a third of it at most).
    public static func maskPhone(_ phone: String) -> String {
        mask(normalisedForMasking(phone), keepingFirst: 3, last: 4)
    }

    /// A resident ID number for display: first 6 (region) and last 4 kept, `330106********123X`. A value too short
    /// for that shows at most its last 2 characters (a third of it at most).
    public static func maskIDNumber(_ idNumber: String) -> String {
        mask(normalisedForMasking(idNumber).uppercased(), keepingFirst: 6, last: 4)
    }

    /// A person's name for display: the first character kept (the family name of a Chinese name), the rest masked,
    /// `王**`; a one-character name is `*`.
    public static func maskName(_ name: String) -> String {
        let characters = Array(name.trimmingCharacters(in: .whitespacesAndNewlines))
        guard characters.count > 1 else { return String(repeating: "*", count: characters.count) }
        return String(characters[0]) + String(repeating: "*", count: characters.count - 1)
    }

    private static func normalisedForMasking(_ value: String) -> String {
        String(value.filter { !$0.isWhitespace })
    }

    private static func mask(_ value: String, keepingFirst head: Int, last tail: Int) -> String {
        let characters = Array(value)
        guard characters.count > head + tail else {
            let visible = min(2, characters.count / 3)
            return String(repeating: "*", count: characters.count - visible) + String(characters.suffix(visible))
        }
        return String(characters.prefix(head)) + String(repeating: "*", count: characters.count - head - tail)
            + String(characters.suffix(tail))
    }
}
