import CLibical

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

    /// The serialised tree through ``ContentLines/refold(_:)-(UnsafeBufferPointer<UInt8>)``, read
    /// straight from libical's buffer (no intermediate `String`), which is freed after.
    func serializedRefolded() throws(ICalError) -> String {
        guard let buffer = icalcomponent_as_ical_string_r(pointer) else {
            throw ICalError(.libraryError, message: "libical could not serialise a component")
        }
        defer { icalmemory_free_buffer(buffer) }
        let bytes = UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self)
        return try ContentLines.refold(UnsafeBufferPointer(start: bytes, count: strlen(buffer)))
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
