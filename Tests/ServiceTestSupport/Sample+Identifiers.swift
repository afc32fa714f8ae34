import Foundation
import Contracts

/// Identifiers with valid check characters (and ones whose check character is wrong), for the service tests.
public enum SampleIdentifiers {
    /// A credit code registered in `region` with a random organisation part.
    public static func creditCode(region: String = "330106") -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let organisation = String((0..<9).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        let prefix = "91" + region + organisation
        return prefix + String(try! UnifiedSocialCreditCode.checkCharacter(forFirst17: prefix))
    }

    /// A resident ID number of someone from Hangzhou's Xihu district born in 1980, with a random date and sequence.
    public static func idNumber() -> String {
        let prefix = "330106" + "1980" + String(format: "%02d%02d", Int.random(in: 1...12), Int.random(in: 1...28))
            + String(format: "%03d", Int.random(in: 0...999))
        return prefix + String(try! ResidentIdentityNumber.checkCharacter(forFirst17: prefix))
    }

    /// `valid` with its check character changed.
    public static func withWrongCheckCharacter(_ valid: String) -> String {
        String(valid.dropLast()) + (valid.last == "0" ? "1" : "0")
    }
}
