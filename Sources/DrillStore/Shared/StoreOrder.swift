import DrillCore

/// The orders the `AttendanceStore` docs promise, written once so every store sorts alike.
enum StoreOrder {
    /// Sessions by start time then UID.
    static func sessions(_ a: SessionRecord, _ b: SessionRecord) -> Bool {
        (a.slot.absoluteStart, a.uid) < (b.slot.absoluteStart, b.uid)
    }

    /// Roster entries by team then member id.
    static func roster(_ a: RosterEntry, _ b: RosterEntry) -> Bool {
        (a.teamID, a.memberID) < (b.teamID, b.memberID)
    }

    /// Marks by session UID then member id.
    static func marks(_ a: AttendanceMark, _ b: AttendanceMark) -> Bool {
        (a.sessionUID, a.memberID) < (b.sessionUID, b.memberID)
    }
}
