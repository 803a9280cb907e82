import Crypto
import DrillCheckIn
import DrillCore
import DrillStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

private typealias F = CheckInFixture

/// Two check-in servers over one store, as behind a load balancer: a login made on one is valid on
/// the other when both have the deployment's secret, and on neither server of another secret.
@Suite("Logins shared by several servers")
struct SharedLoginTests {
    @Test("a leader logged in on server A writes through server B with the same secret; not with another")
    func loginOnAnyServer() async throws {
        let store = try await F.store()
        let other = SymmetricKey(data: Data(repeating: 9, count: 32))
        try await F.app(store: store).test(.router) { a in
            let leader = try await LeaderSession.login(a)
            try await F.app(store: store).test(.router) { b in
                let page = try await b.execute(uri: F.path, method: .get, headers: [.cookie: leader.cookie])
                #expect(page.status == .ok)
                #expect(
                    String(buffer: page.body).contains(leader.csrf), "B's page carries the same CSRF token")
                let write = try await b.execute(
                    uri: F.apiPath + "/marks", method: .post, headers: leader.writeHeaders(),
                    body: marksBody([("m1", "present", "shared-1")]))
                #expect(write.status == .ok)
            }
            try await F.app(store: store, options: { $0.secret = other }).test(.router) { c in
                let write = try await c.execute(
                    uri: F.apiPath + "/marks", method: .post, headers: leader.writeHeaders(),
                    body: marksBody([("m3", "present", "shared-2")]))
                #expect(write.status == .unauthorized, "a cookie signed under another secret is refused")
            }
        }
        #expect(try await store.marks(session: F.uid).map(\.memberID) == ["m1"])
    }

    @Test("a revoked code ends its login on every server; a login survives a restart of its server")
    func revokeAndRestart() async throws {
        let store = try await F.store()
        let cookie = try await F.app(store: store).test(.router) { a in
            try await LeaderSession.login(a).cookie
        }
        // A new process (a fresh app, same secret and store) finds the login in the store.
        try await F.app(store: store).test(.router) { restarted in
            let page = try await restarted.execute(uri: F.path, method: .get, headers: [.cookie: cookie])
            #expect(String(buffer: page.body).contains("\"csrf\""), "still logged in after the restart")
            try await store.revokeLeaderCodes(session: F.uid, at: 5)
            let after = try await restarted.execute(uri: F.path, method: .get, headers: [.cookie: cookie])
            #expect(!String(buffer: after.body).contains("\"csrf\""), "revoking the code ends the login")
        }
    }
}
