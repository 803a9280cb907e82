import ChildProcess
import Foundation
import Testing

@Suite struct ChildProcessTests {
    @Test func exitCodeAndBothStreamsAreReturned() throws {
        let r = try ChildProcess.run("/bin/sh", ["-c", "printf 'out 出\\n'; printf 'err\\n' >&2; exit 3"])
        #expect(r.termination == .exited(3))
        #expect(r.status == 3)
        #expect(r.stdoutText == "out 出\n")
        #expect(r.stderrText == "err\n")
    }

    /// Both pipes fill far past their 64 KiB buffers at once: read together, neither blocks the other.
    @Test func largeOutputOnBothStreamsDoesNotDeadlock() throws {
        let r = try ChildProcess.run(
            "/bin/sh", ["-c", "head -c 3000000 /dev/zero | tr '\\0' a >&2 & head -c 2000000 /dev/zero | tr '\\0' b; wait"])
        #expect(r.status == 0)
        #expect(r.stdout.count == 2_000_000 && r.stdout.allSatisfy { $0 == UInt8(ascii: "b") })
        #expect(r.stderr.count == 3_000_000 && r.stderr.allSatisfy { $0 == UInt8(ascii: "a") })
    }

    @Test func argumentsAndEnvironmentArePassedAsGiven() throws {
        let r = try ChildProcess.run(
            "/bin/sh", ["-c", "printf '%s|%s|%s' \"$1\" \"$DRILLCAL_CHILD_TEST\" \"${HOME-unset}\"", "sh", "a b;$x"],
            environment: ["DRILLCAL_CHILD_TEST": "青山=1", "PATH": "/usr/bin:/bin"])
        #expect(r.stdoutText == "a b;$x|青山=1|unset")
        // Without one, the child has this process's environment.
        let inherited = try ChildProcess.run("/bin/sh", ["-c", "printf '%s' \"${PATH-unset}\""])
        #expect(inherited.stdoutText == ProcessInfo.processInfo.environment["PATH"])
    }

    @Test func standardInputIsEmptyAndDiscardedOutputIsNotReturned() throws {
        let r = try ChildProcess.run("/bin/sh", ["-c", "wc -c; echo gone >&2"], stderr: .discard)
        #expect(r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(r.stderr.isEmpty)
    }

    /// The test process ignores SIGPIPE (NIO sets it) and may block signals on its threads; a child
    /// starts with neither, as a program started from a shell would. (glibc keeps its two internal
    /// real-time signals, 32 and 33, out of a program's reach; those bits are not checked.)
    @Test func childStartsWithDefaultSignals() throws {
        signal(SIGPIPE, SIG_IGN)
        let r = try ChildProcess.run("/bin/sh", ["-c", "grep -E '^Sig(Ign|Blk)' /proc/self/status"])
        var masks: [String: UInt64] = [:]
        for line in r.stdoutText.split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2 { masks[String(parts[0])] = UInt64(parts[1], radix: 16) }
        }
        let glibcInternal: UInt64 = 0b11 << 31
        #expect(masks["SigIgn:"].map { $0 & ~glibcInternal } == 0, "\(r.stdoutText)")
        #expect(masks["SigBlk:"].map { $0 & ~glibcInternal } == 0, "\(r.stdoutText)")
    }

    @Test func aSignalledChildReportsTheSignal() throws {
        let r = try ChildProcess.run("/bin/sh", ["-c", "kill -TERM $$"])
        #expect(r.termination == .signalled(SIGTERM))
    }

    @Test func aMissingProgramThrowsAndLeaksNoDescriptor() throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        for _ in 0..<20 {
            #expect(throws: ChildProcessError.self) { try ChildProcess.run("/nonexistent/drillcal", []) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count <= before + 2)
    }

    /// The child sleeps an hour, not seconds: in the whole suite on two cores, a task's Task.sleep
    /// can wake minutes late (a 30-second child had exited by itself before the test looked).
    @Test func aRunningChildIsReadAsItWritesAndStopsOnASignal() async throws {
        let child = try RunningProcess("/bin/sh", ["-c", "echo ready; echo warm >&2; exec sleep 3600"])
        var seen = ""
        for _ in 0..<200 where !seen.contains("ready") {
            try await Task.sleep(for: .milliseconds(20))
            seen = child.stdoutText
        }
        #expect(seen == "ready\n")
        #expect(child.isRunning)
        #expect(child.termination == nil)
        child.signal(SIGTERM)
        #expect(try await child.waitUntilExit(seconds: 10) == .signalled(SIGTERM))
        #expect(!child.isRunning)
        #expect(child.waitUntilExit() == .signalled(SIGTERM))
        #expect(child.stderrText == "warm\n")
        // Signalling after the reap sends nothing (the pid may belong to someone else by now).
        child.signal(SIGKILL)
        #expect(child.termination == .signalled(SIGTERM))
    }

    @Test func releasingARunningChildKillsAndReapsIt() throws {
        var child: RunningProcess? = try RunningProcess("/bin/sleep", ["3600"])
        let pid = try #require(child?.pid)
        #expect(kill(pid, 0) == 0)
        child = nil
        // Reaped: no such process, not even a zombie.
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }
}

extension ChildProcessTests {
    /// A descriptor the test process opened without close-on-exec (as any library may) does not
    /// reach the child: the child's descriptors are its three standard streams only.
    @Test func onlyTheStandardStreamsAreInherited() throws {
        let leaky = open("/dev/null", O_RDONLY)
        #expect(leaky > 2)
        defer { close(leaky) }
        let r = try ChildProcess.run("/bin/sh", ["-c", "ls /proc/$$/fd"])
        #expect(r.stdoutText.split(separator: "\n") == ["0", "1", "2"], "\(r.stdoutText)")
    }
}
