/// The STATUS of an event.
public enum ICalEventStatus: String, Sendable {
    /// `STATUS:CONFIRMED`: the drill takes place.
    case confirmed = "CONFIRMED"
    /// `STATUS:TENTATIVE`: planned but not yet fixed.
    case tentative = "TENTATIVE"
    /// `STATUS:CANCELLED`: called off; kept in feeds so clients remove it.
    case cancelled = "CANCELLED"
}
