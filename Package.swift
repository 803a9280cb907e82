// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "drillcal",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "drillcal", targets: ["drillcal"]),
        .library(name: "DrillCore", targets: ["DrillCore"]),
        .library(name: "ICal", targets: ["ICal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Reading .xlsx sign-in sheets (a ZIP archive of XML parts) back in.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // The PostgreSQL store of a county deployment.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        // The end-to-end tests' HTTP client (NIO's event loop, not URLSession's dispatch sources);
        // HummingbirdTesting already builds it.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
    ],
    targets: [
        // Debian's libical-dev through pkg-config; macros and variadics sit behind shim.h.
        .systemLibrary(
            name: "CLibical",
            pkgConfig: "libical",
            providers: [.apt(["libical-dev"])]
        ),
        // Thin owning wrapper: C pointers stay inside, Sendable values come out.
        .target(name: "ICal", dependencies: ["CLibical"]),
        // Model, plan rules, scheduler, roster checks: pure, no I/O, no C.
        .target(name: "DrillCore"),
        // Reading plan.yaml, roster.csv and holiday files into DrillCore values (and .xlsx sign-in
        // sheets: ZIPFoundation opens the workbook, Foundation's XMLParser reads its parts).
        .target(
            name: "DrillIO",
            dependencies: [
                "DrillCore", "Yams",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Turning a schedule into iCalendar feeds through libical, written atomically.
        .target(name: "DrillFeeds", dependencies: ["DrillCore", "ICal"]),
        // Debian's libxlsxwriter-dev, for the attendance spreadsheet.
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // Attendance store: protocol, in-memory, SQLite (GRDB) and PostgreSQL (postgres-nio) implementations.
        // PostgresNIO lives here (not in a target of its own) because the PostgreSQL store reuses the
        // store's internal rules; it adds swift-nio-ssl (BoringSSL) to the first build of a worktree.
        .target(
            name: "DrillStore",
            dependencies: [
                "DrillCore", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the one lookup GRDB's pool made too slow (see PointLookup).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                "CSQLiteConfig",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // Debian's libqrencode-dev, for the QR codes (feed subscriptions, self check-in).
        .systemLibrary(
            name: "CQREncode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        // What the web modules and the HTML report share: HTML escaping, the page skeleton, QR codes as SVG.
        .target(name: "DrillWeb", dependencies: ["CQREncode"]),
        // Drill leaders' check-in page, its JSON API and members' QR self check-in (Hummingbird routes).
        .target(
            name: "DrillCheckIn",
            dependencies: [
                "DrillCore", "DrillStore", "DrillWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // DrillStore imports GRDB, whose string-interpolated SQL type would otherwise be a
            // candidate for every HTML string built here.
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // Reports: HTML, Markdown, CSV and XLSX renderings of an AnnualReport.
        .target(name: "DrillReports", dependencies: ["DrillCore", "DrillWeb", "CXlsxWriter"]),
        // zlib for gzip bodies (hummingbird-compression is not available): one deflate per feed version.
        // Not named CZlib: ZIPFoundation's own zlib module has that name.
        .systemLibrary(name: "CGzip", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // glibc's <malloc.h> (part of libc6-dev, which the Swift toolchain needs anyway).
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // sqlite3_config from Swift (a variadic C function): the system SQLite GRDB links
        // (libsqlite3-dev, which GRDB needs anyway).
        .systemLibrary(name: "CSQLiteConfig", path: "Sources/CSQLiteConfig"),
        // The feed server: public and token-protected feeds from memory, index page, health.
        .target(
            name: "DrillServer",
            dependencies: [
                "DrillCore", "DrillIO", "DrillFeeds", "DrillStore", "DrillWeb", "CGzip", "CMalloc",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "drillcal",
            dependencies: [
                "DrillCore", "DrillIO", "DrillFeeds", "DrillStore", "DrillReports", "ICal", "DrillServer", "DrillCheckIn", "DrillWeb",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The strict lexical reader (RFC 5545 §3.1) every feed test applies; shares no code with ICal.
        .target(name: "FeedLint", path: "TestSupport/FeedLint"),
        .testTarget(name: "FeedLintTests", dependencies: ["FeedLint"]),
        // A forwarding store that counts secret lookups, for the check-in and feed-server tests.
        .target(name: "StoreDoubles", dependencies: ["DrillStore", "DrillCore"], path: "TestSupport/StoreDoubles"),
        .testTarget(name: "StoreDoublesTests", dependencies: ["StoreDoubles", "DrillStore", "DrillCore"]),
        // Starts the programs the tests run (posix_spawn, poll, waitpid; why not Foundation's Process: see the file).
        .target(name: "CChildProcess", path: "TestSupport/CChildProcess"),
        .target(name: "ChildProcess", dependencies: ["CChildProcess"], path: "TestSupport/ChildProcess"),
        .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess"]),
        // A deterministic random-mutation fuzzer for the input parsers (scripts/fuzz.sh).
        .executableTarget(name: "drillcal-fuzz", dependencies: ["DrillCore", "DrillIO"]),
        .testTarget(name: "ICalTests", dependencies: ["ICal", "FeedLint", "DrillCore"]),
        .testTarget(name: "DrillCoreTests", dependencies: ["DrillCore"]),
        // Fuzz/ holds the fuzzer's regression inputs, replayed by FuzzRegressionTests.
        .testTarget(name: "DrillIOTests", dependencies: ["DrillIO", "DrillCore"], exclude: ["Fuzz"]),
        .testTarget(name: "DrillFeedsTests", dependencies: ["DrillFeeds", "DrillCore", "DrillIO", "ICal", "FeedLint", "ChildProcess"]),
        // GRDB: the template test reads a new file as it lies on disk, before any store opens it.
        .testTarget(
            name: "DrillStoreTests",
            dependencies: ["DrillStore", "DrillCore", "CSQLiteConfig", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "DrillWebTests", dependencies: ["DrillWeb"]),
        // CSV.swift reads the exported CSV back: an independent parser checks the quoting.
        .testTarget(
            name: "DrillReportsTests",
            dependencies: ["DrillReports", "DrillCore", "DrillWeb", "ChildProcess", .product(name: "CSV", package: "CSV.swift")]
        ),
        .testTarget(
            name: "DrillServerTests",
            dependencies: [
                "DrillServer", "DrillStore", "DrillFeeds", "DrillIO", "DrillCore", "DrillWeb", "CGzip", "CMalloc", "FeedLint",
                "StoreDoubles",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ]
        ),
        .testTarget(
            name: "DrillCheckInTests",
            dependencies: [
                "DrillCheckIn", "DrillStore", "DrillCore", "DrillWeb", "StoreDoubles",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "drillcal", "ICal", "DrillStore", "DrillCore", "ChildProcess",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
