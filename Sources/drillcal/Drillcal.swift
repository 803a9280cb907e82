import ArgumentParser

/// The `drillcal` command: plans a town's year of training and drills and publishes calendars.
@main
struct Drillcal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drillcal",
        abstract: "基层应急培训演练排期 / grassroots emergency training and drill scheduler",
        subcommands: []
    )
}
