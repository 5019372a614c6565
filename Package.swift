// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "curepath",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "curepath", targets: ["CurePath"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // Contract and criteria files are YAML (a superset of JSON). Documents reads libyaml's event stream
        // through Yams's bundled CYaml module, which is not Yams's public API, so the range is held to the
        // 6.x line tested against (Tests/DocumentsTests/YamsBehaviourTests fails loudly if it changes).
        .package(url: "https://github.com/jpsim/Yams.git", "6.0.0"..<"7.0.0"),
    ],
    targets: [
        // Pure domain: no I/O, no server, no database.
        .target(name: "Core", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "CareNetwork", dependencies: ["Core"]),
        .target(
            name: "Journey",
            dependencies: ["Core", "CareNetwork", "Documents", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")],
            // The shipped journey template files (Examples/journeys links here), read through Documents.
            resources: [.copy("Templates")]
        ),
        .target(
            name: "DemoNetwork", dependencies: ["Core", "CareNetwork", "Journey", "Outcomes", "Contracts", "Criteria", "Coverage"],
            // The example criteria files (Examples/criteria links here) are the demo's criteria sets.
            resources: [.copy("Criteria")]
        ),
        // Who may do what: organizations, roles, principals and the access policy.
        .target(name: "Access", dependencies: ["Core", "CareNetwork"]),
        // Outcome events: the one model of what happened to a patient after infusion.
        .target(name: "Outcomes", dependencies: ["Core", "CareNetwork"]),
        // The one bounded YAML reader for users' documents: no anchors or aliases, size, depth, node and
        // scalar limits checked on libyaml's event stream before a node tree exists.
        .target(name: "Documents", dependencies: ["Core", .product(name: "Yams", package: "Yams")]),
        // Outcomes-based contracts as data, the settlement engine and its double-entry ledger.
        .target(
            name: "Contracts",
            dependencies: ["Core", "CareNetwork", "Outcomes", "Documents", .product(name: "Yams", package: "Yams")]
        ),

        // Prior-authorization criteria as computable, versioned files, and the evaluation of a patient's facts against them.
        .target(
            name: "Criteria",
            dependencies: ["Core", "CareNetwork", "Outcomes", "Documents", .product(name: "Yams", package: "Yams")]
        ),

        // Prior authorization requests, their lifecycle and regulatory decision clocks (and, later, agreements).
        .target(name: "Coverage", dependencies: ["Core", "CareNetwork", "Journey", "Criteria"]),
        // What an episode of care costs and pays under each reimbursement model, and a center's cash exposure.
        .target(name: "Economics", dependencies: ["Core", "CareNetwork"]),
        // Privacy-preserving record linkage: normalized identifiers, keyed tokens, Bloom-filter encodings, matching.
        .target(name: "Linkage", dependencies: ["Core", .product(name: "Crypto", package: "swift-crypto")]),
        // The outcomes registry: follow-up schedules, completeness, reports with small-cell suppression.
        .target(name: "Registry", dependencies: ["Core", "CareNetwork", "Outcomes"]),
        // FHIR R4 where data crosses to health systems: clinical facts in, Da Vinci PAS requests out, decisions in.
        .target(name: "FHIR", dependencies: ["Core", "CareNetwork", "Criteria", "Outcomes"]),
        // Research extracts: OMOP CDM v5.4 tables keyed by a keyed research ID, never the internal ID.
        .target(name: "Research", dependencies: ["Core", "CareNetwork", "Outcomes", .product(name: "Crypto", package: "swift-crypto")]),

        // Edges.
        // The JSON API's types and server stubs, generated from openapi.yaml (scripts/generate-openapi).
        .target(
            name: "APIContract",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")]
        ),
        .target(
            name: "Storage",
            dependencies: [
                "Core", "CareNetwork", "Journey", "Access", "Outcomes", "Contracts", "Criteria", "Coverage", "Linkage",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Core", "CareNetwork", "Journey", "Storage", "DemoNetwork", "APIContract", "Access", "Outcomes", "Contracts",
                "Criteria", "Coverage", "FHIR", "Economics", "Registry", "Linkage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                // Each operation's action is read from the bundled openapi.yaml at startup.
                .product(name: "Yams", package: "Yams"),
                // Sign-in's known-device cookies are HMACs.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "CurePath",
            dependencies: [
                "Core", "CareNetwork", "Journey", "Storage", "Server", "DemoNetwork", "Access", "Outcomes", "Contracts",
                "Criteria", "Coverage", "FHIR", "Linkage", "Research",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // In-process requests for the page benchmark, without a socket in the timing.
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "Core", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "AccessTests", dependencies: ["Access", "Core", "CareNetwork"]),
        .testTarget(name: "CareNetworkTests", dependencies: ["CareNetwork", "Core"]),
        .testTarget(name: "CriteriaTests", dependencies: ["Criteria", "Core", "CareNetwork", "Outcomes"]),
        .testTarget(name: "CoverageTests", dependencies: ["Coverage", "Criteria", "Core", "CareNetwork", "Journey"]),
        .testTarget(name: "LinkageTests", dependencies: ["Linkage", "Core"], resources: [.copy("Golden")]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Core", "CareNetwork", "Outcomes"]),
        .testTarget(name: "EconomicsTests", dependencies: ["Economics", "Core", "CareNetwork"]),
        .testTarget(name: "FHIRTests", dependencies: ["FHIR", "Criteria", "Core", "CareNetwork", "Outcomes"]),
        .testTarget(name: "ResearchTests", dependencies: ["Research", "Core", "CareNetwork", "Outcomes"]),
        .testTarget(name: "ContractsTests", dependencies: ["Contracts", "Outcomes", "Core", "CareNetwork"]),
        // Runs the built executable; depends on it so `swift build --build-tests` builds it first.
        .testTarget(name: "CLITests", dependencies: ["CurePath", "CurePathTesting", "Storage", "Access", "Core"]),
        .testTarget(name: "FaultTests", dependencies: ["CurePath", "Storage", "Outcomes", "CurePathTesting"]),
        // Runs the built executable for the command-line and fault tests.
        .target(name: "CurePathTesting", path: "Tests/Support/CurePathTesting"),
        .testTarget(name: "JourneyTests", dependencies: ["Core", "CareNetwork", "Journey", "DemoNetwork"]),
        .testTarget(name: "StorageTests", dependencies: ["Core", "CareNetwork", "Journey", "Storage", "DemoNetwork", "Access", "Outcomes", "Contracts", "Criteria", "Coverage", "Linkage"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Storage", "Journey", "Core", "CareNetwork", "Access", "DemoNetwork", "Outcomes", "Contracts",
                "Criteria", "Coverage", "FHIR", "Linkage",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
