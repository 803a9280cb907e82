import DrillCore
import Testing

@testable import DrillStore

/// `RecentMemo` hands back the result made for an equal input (a team's shared roster), makes a
/// new one for any other input, forgets the oldest beyond its limit and never keeps a failure.
@Suite struct RecentMemoTests {
    struct Refused: Error {}

    @Test func equalInputsAreMadeOnceAndOthersOnTheirOwn() throws {
        var memo = RecentMemo<[Int], String>()
        memo.limit = 2
        var made = 0
        func value(_ input: [Int]) -> String {
            memo.value(for: input) { input in
                made += 1
                return input.map(String.init).joined(separator: ",")
            }
        }
        let shared = [1, 2, 3]
        #expect(value(shared) == "1,2,3" && value(shared) == "1,2,3" && value([1, 2, 3]) == "1,2,3")
        #expect(made == 1)
        #expect(value([1, 2, 4]) == "1,2,4" && made == 2)
        #expect(value([5]) == "5" && made == 3)
        // The limit is two: [1, 2, 3] was the oldest and is made again.
        #expect(value(shared) == "1,2,3" && made == 4)
        #expect(value([5]) == "5" && made == 4)

        var failing = RecentMemo<Int, Int>()
        var attempts = 0
        for _ in 0..<2 {
            #expect(throws: Refused.self) {
                try failing.value(for: 7) { (_) throws(Refused) -> Int in
                    attempts += 1
                    throw Refused()
                }
            }
        }
        #expect(attempts == 2, "a failure is not remembered")
    }
}
