/// Turning a schedule into iCalendar feeds through libical.
public enum DrillFeeds {}
