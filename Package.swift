// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "TenantSim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tenantsim", targets: ["tenantsim"]),
        .library(name: "TenantModel", targets: ["TenantModel"]),
        .library(name: "TenantStore", targets: ["TenantStore"]),
        .library(name: "AuditLog", targets: ["AuditLog"]),
        .library(name: "AccessControl", targets: ["AccessControl"]),
        .library(name: "Shell", targets: ["Shell"]),
        .library(name: "Scenarios", targets: ["Scenarios"]),
        .library(name: "Rehearsal", targets: ["Rehearsal"]),
        .library(name: "MockServer", targets: ["MockServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        // The mock REST endpoint: HTTP server, lifecycle (graceful shutdown), HMAC for token signatures.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        .target(name: "TenantModel"),
        .target(
            name: "TenantStore",
            dependencies: [
                "TenantModel",
                "AuditLog",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "AuditLog", dependencies: ["TenantModel"]),
        .target(name: "AccessControl", dependencies: ["TenantModel", "AuditLog"]),
        .target(name: "Shell", dependencies: ["TenantModel", "AuditLog", "AccessControl"]),
        .target(
            name: "Scenarios",
            dependencies: [
                "TenantModel", "TenantStore", "AuditLog", "AccessControl", "Shell", "Rehearsal",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "Rehearsal",
            dependencies: [
                "TenantModel", "TenantStore", "Shell", "AccessControl", "AuditLog",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "MockServer",
            dependencies: [
                "TenantModel", "TenantStore", "AuditLog", "AccessControl", "Shell", "Scenarios",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "tenantsim",
            dependencies: [
                "TenantModel",
                "TenantStore",
                "Shell",
                "AuditLog",
                "AccessControl",
                "Scenarios",
                "Rehearsal",
                "MockServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "TenantModelTests", dependencies: ["TenantModel"]),
        .testTarget(name: "TenantStoreTests", dependencies: ["TenantStore", "TenantModel"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "TenantModel", "TenantStore"]),
        .testTarget(name: "AuditLogTests", dependencies: ["AuditLog", "TenantModel", "TenantStore"]),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "TenantModel", "TenantStore", "AuditLog", "AccessControl", "Shell"]),
        .testTarget(name: "RehearsalTests", dependencies: ["Rehearsal", "TenantModel", "TenantStore", "Shell", "AccessControl", "AuditLog", "Scenarios"]),
        .testTarget(name: "MockServerTests", dependencies: ["MockServer", "TenantModel", "TenantStore", "AuditLog", "AccessControl", "Shell",
                                                          .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "AccessControlTests", dependencies: ["AccessControl", "AuditLog", "TenantModel", "TenantStore", "Shell",
                                                              .product(name: "PropertyBased", package: "swift-property-based")]),
    ],
    swiftLanguageModes: [.v6]
)
