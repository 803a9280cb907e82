import CLibical

/// libical's process-wide settings, applied exactly once.
///
/// libical's global settings are not thread-safe to change, so they are set in a `static let`
/// initialiser (run once, under Swift's own once-guard) and every public entry point calls
/// `configure()` before touching libical.
enum ICalLibrary {
    private static let configured: Bool = {
        // A bad value must become an X-LIC-ERROR or an error return, never an abort().
        icalerror_set_errors_are_fatal(0)
        // The UTC zone is a lazily filled static inside libical: fill it before threads race on it.
        _ = icaltimezone_get_utc_timezone()
        return true
    }()

    /// Applies the global settings if that has not happened yet; cheap to call again.
    static func configure() {
        _ = configured
    }
}
