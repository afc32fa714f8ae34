import Crypto
import ServiceKit
import Testing

@Suite struct HexTests {
    @Test func aDigestIsItsUsualLowerCaseHexadecimal() {
        #expect(SHA256.hash(data: Array("abc".utf8)).lowercaseHex
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect([UInt8]().lowercaseHex == "")
        #expect([0x00, 0x0F, 0xF0, 0xFF].lowercaseHex == "000ff0ff")
    }
}
