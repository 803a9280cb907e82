import CLibical

/// Owns one root `icalcomponent` tree and frees it (with all children) when released.
///
/// Lives only inside one synchronous function: libical trees are not safe to share across threads.
final class OwnedComponent {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`; fails when libical returned NULL.
    init?(_ pointer: OpaquePointer?) {
        guard let pointer else { return nil }
        self.pointer = pointer
    }

    deinit {
        icalcomponent_free(pointer)
    }

    /// Serialises the tree with the `_r` serialiser and frees libical's buffer.
    func serialized() -> String {
        takeLibicalString(icalcomponent_as_ical_string_r(pointer)) ?? ""
    }
}

/// Copies a string that libical allocated for the caller (`..._r` functions) and frees it.
func takeLibicalString(_ buffer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let buffer else { return nil }
    defer { icalmemory_free_buffer(buffer) }
    return String(cString: buffer)
}

/// Copies a string that libical owns (must not be freed), or nil for NULL.
func borrowLibicalString(_ pointer: UnsafePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
}
