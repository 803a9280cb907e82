import Crypto
import DrillWeb
import Foundation

/// HMAC-SHA256 under one key per purpose, each derived from the process's secret, so a cookie
/// signature can never be replayed as a CSRF token or a QR token.
struct Signer: Sendable {
    private let cookieKey: SymmetricKey
    private let csrfKey: SymmetricKey
    private let selfKey: SymmetricKey

    init(secret: SymmetricKey) {
        func derive(_ label: String) -> SymmetricKey {
            SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(label.utf8), using: secret)))
        }
        cookieKey = derive("drillcal/leader-cookie")
        csrfKey = derive("drillcal/csrf")
        selfKey = derive("drillcal/self-check-in")
    }

    /// The leader cookie's signature over its nonce and expiry.
    func cookieSignature(_ payload: String) -> String { Self.hex(payload, cookieKey) }
    /// The CSRF token of one login.
    func csrfToken(nonce: String) -> String { Self.hex(nonce, csrfKey) }
    /// The QR token of a session as scheduled (a moved session gets a new token).
    func selfToken(uid: String, slot: String) -> String {
        String(Self.hex("\(uid)|\(slot)", selfKey).prefix(32))
    }

    private static func hex(_ text: String, _ key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).withUnsafeBytes { Hex.lower($0) }
    }

    /// Random hex, from the system's cryptographic source.
    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.lower((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

/// Compares two strings in time that depends only on their lengths, so an attacker cannot learn
/// digits of a phone or a token by timing answers.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var diff = UInt8(x.count == y.count ? 0 : 1)
    for i in 0..<max(x.count, y.count) {
        diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
    }
    return diff == 0
}
