import Testing

@testable import DrillCore

/// Blockers are counted by kind in arrays (`Constraint.kindIndex`) and reported by key: every case
/// keeps the key reports and `drillcal explain` have always shown, and no two cases share a kind.
@Suite struct ConstraintKeyTests {
    @Test func everyCaseHasItsKeyAndItsOwnKind() {
        let cases: [(Constraint, String)] = [
            (.holiday(name: "春节"), "holiday"),
            (.notWorkingDay, "not_working_day"),
            (.blackout(id: "harvest", team: "t"), "blackout"),
            (.turnout(team: "t", available: 3, needed: 10), "turnout"),
            (.gap(team: "t", session: "s", days: 2, needed: 7), "gap"),
            (.memberBusy(member: "m", session: "s"), "member_busy"),
            (.noVenue(team: "t"), "no_venue"),
            (.venueTooSmall(venue: "v", capacity: 20, needed: 30), "venue_too_small"),
            (.venueBusy(venue: "v", session: "s"), "venue_busy"),
            (.supervisorsUnavailable([]), "supervisor_unavailable"),
        ]
        for (constraint, key) in cases { #expect(constraint.key == key) }
        #expect(Set(cases.map(\.0.kindIndex)) == Set(Constraint.keys.indices))
        #expect(Set(Constraint.keys).count == Constraint.keys.count)
    }
}
