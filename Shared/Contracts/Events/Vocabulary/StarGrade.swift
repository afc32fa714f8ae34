/// Green building material certification grade (一星级/二星级/三星级).
public enum StarGrade: String, Sendable, Hashable, CaseIterable, Codable {
    /// One star (一星级).
    case oneStar = "one-star"
    /// Two stars (二星级).
    case twoStar = "two-star"
    /// Three stars (三星级), the highest.
    case threeStar = "three-star"
}
