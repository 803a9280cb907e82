import CLibical

/// Thin owning wrapper around libical.
public enum ICal {}
