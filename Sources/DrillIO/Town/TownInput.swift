import DrillCore

/// Everything read from one town folder, with the paths it came from.
public struct TownInput: Sendable {
    /// The plan (plan.yaml).
    public var plan: Plan
    /// The members (roster.csv).
    public var roster: Roster
    /// Statutory holidays for the plan's year.
    public var holidays: HolidayCalendar
    /// The town folder, as given.
    public var directory: String
    /// Path of plan.yaml.
    public var planFile: String
    /// Path of roster.csv.
    public var rosterFile: String
    /// Path of the holidays file used.
    public var holidaysFile: String

    /// Makes a town input.
    public init(
        plan: Plan, roster: Roster, holidays: HolidayCalendar, directory: String, planFile: String, rosterFile: String,
        holidaysFile: String
    ) {
        self.plan = plan
        self.roster = roster
        self.holidays = holidays
        self.directory = directory
        self.planFile = planFile
        self.rosterFile = rosterFile
        self.holidaysFile = holidaysFile
    }
}
