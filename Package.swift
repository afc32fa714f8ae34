// swift-tools-version:6.2
// Green Building Materials to the Countryside (绿色建材下乡): five services that talk only through Kafka topics
// and each own one PostgreSQL schema. See README.md and docs/architecture.md (module rules: ModuleRulesTests).

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

/// The five services: each is a library (domain, routes, migrations) plus a tiny executable that wires it.
let services: [(name: String, product: String)] = [
    ("Catalogue", "catalogue"),
    ("PilotManagement", "pilot-management"),
    ("Subsidy", "subsidy"),
    ("Complaints", "complaints"),
    ("Reporting", "reporting"),
]

/// Files a service serves as they are, compiled into its binary (`PackageResources.<name>` as `[UInt8]`): the static
/// image has no bundle to look them up in. The reporting dashboard's page, script, style and icon.
let embeddedResources: [String: [Resource]] = [
    "Reporting": ["index.html", "dashboard.js", "dashboard.css", "icon.svg"].map { .embedInCode("Dashboard/Assets/\($0)") },
]

var products: [Product] = services.map { .executable(name: $0.product, targets: ["\($0.name)Main"]) }
products += [
    .executable(name: "gbm-token", targets: ["TokenTool"]),
    .executable(name: "gbm-contracts", targets: ["ContractsTool"]),
    .executable(name: "gbm-bench", targets: ["Benchmarks"]),
    .executable(name: "gbm-dlq", targets: ["DeadLetterTool"]),
    .executable(name: "gbm-fault-run", targets: ["FaultRun"]),
]

var targets: [Target] = [
    // C libraries: each imported by exactly one Swift wrapper.
    .systemLibrary(name: "CLibRDKafka", path: "Shared/CLibRDKafka", pkgConfig: "rdkafka",
                   providers: [.apt(["librdkafka-dev"])]),
    .systemLibrary(name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq",
                   providers: [.apt(["libpq-dev"])]),

    .target(
        name: "Kafka",
        dependencies: [
            "CLibRDKafka",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        path: "Shared/Kafka",
        swiftSettings: swiftSettings
    ),
    .target(
        name: "Postgres",
        dependencies: [
            "CLibPQ",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        path: "Shared/Postgres",
        swiftSettings: swiftSettings
    ),
    .target(
        name: "Contracts",
        dependencies: [],
        path: "Shared/Contracts",
        swiftSettings: swiftSettings
    ),
    .target(
        name: "Messaging",
        dependencies: [
            "Kafka", "Postgres", "Contracts",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
        ],
        path: "Shared/Messaging",
        swiftSettings: swiftSettings
    ),
    .target(
        name: "ServiceKit",
        dependencies: [
            "Contracts",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
        ],
        path: "Shared/ServiceKit",
        swiftSettings: swiftSettings
    ),
    // Runs one service: configuration, pool, migrations, topics, relay, consumers and HTTP in one ServiceGroup.
    .target(
        name: "ServiceHost",
        dependencies: [
            "Kafka", "Postgres", "Contracts", "Messaging", "ServiceKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            // Spans exported over OTLP/HTTP when GBM_TRACING is on (the gRPC exporter's dependencies are not built).
            .product(name: "OTel", package: "swift-otel"),
        ],
        path: "Shared/ServiceHost",
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "TokenTool",
        dependencies: [
            "ServiceKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        path: "Tools/TokenTool",
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "ContractsTool",
        dependencies: ["Contracts"],
        path: "Tools/ContractsTool",
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "Benchmarks",
        dependencies: [
            "Kafka", "Postgres", "Contracts", "Messaging",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        path: "Tools/Benchmarks",
        swiftSettings: swiftSettings
    ),
    // gbm-dlq: lists, shows and replays dead letters (reads the GBM_KAFKA_* environment like a service).
    .executableTarget(
        name: "DeadLetterTool",
        dependencies: [
            "Kafka", "Messaging", "ServiceHost", "ServiceKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Tools/DeadLetterTool",
        swiftSettings: swiftSettings
    ),
    // gbm-fault-run: events through outbox, relay, broker and inbox under injected faults (deploy/local/fault-run.sh).
    .executableTarget(
        name: "FaultRun",
        dependencies: [
            "Kafka", "Postgres", "Contracts", "Messaging",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        path: "Tools/FaultRun",
        swiftSettings: swiftSettings
    ),
    // Helpers the integration tests share: the running infrastructure's settings, unique names, waiting.
    .target(
        name: "TestSupport",
        dependencies: [],
        path: "Tests/TestSupport",
        swiftSettings: swiftSettings
    ),
    // What the service suites share: a service on a schema of its own, a settable clock, an HTTP client.
    .target(
        name: "ServiceTestSupport",
        dependencies: [
            "ServiceHost", "ServiceKit", "Contracts", "Messaging", "Postgres", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ],
        path: "Tests/ServiceTestSupport",
        swiftSettings: swiftSettings
    ),
    .testTarget(name: "KafkaTests", dependencies: ["Kafka", "TestSupport"], swiftSettings: swiftSettings),
    .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"], swiftSettings: swiftSettings),
    .testTarget(name: "ContractsTests", dependencies: ["Contracts", "TestSupport"], swiftSettings: swiftSettings),
    .testTarget(name: "MessagingTests", dependencies: ["Messaging", "TestSupport"], swiftSettings: swiftSettings),
    .testTarget(
        name: "ServiceHostTests",
        dependencies: [
            "ServiceHost", "TestSupport", "ServiceTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ] + services.map { .target(name: $0.name) },
        swiftSettings: swiftSettings
    ),
    .testTarget(
        name: "ServiceKitTests",
        dependencies: [
            "ServiceKit", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            // An identity provider's RSA key for the RS256 tests (the services verify RS256 through JWTKit).
            .product(name: "CryptoExtras", package: "swift-crypto"),
        ],
        swiftSettings: swiftSettings
    ),
]

for service in services {
    targets.append(.testTarget(
        name: "\(service.name)Tests",
        dependencies: [
            .target(name: service.name), "ServiceHost", "TestSupport", "ServiceTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ],
        swiftSettings: swiftSettings
    ))
    targets.append(.target(
        name: service.name,
        dependencies: ["ServiceHost", "ServiceKit", "Messaging", "Contracts", "Kafka", "Postgres",
                       .product(name: "Metrics", package: "swift-metrics")],
        path: "Services/\(service.name)",
        exclude: ["Main"],
        resources: embeddedResources[service.name],
        swiftSettings: swiftSettings
    ))
    targets.append(.executableTarget(
        name: "\(service.name)Main",
        dependencies: [.target(name: service.name), "ServiceHost"],
        path: "Services/\(service.name)/Main",
        swiftSettings: swiftSettings
    ))
}

let package = Package(
    name: "gbm",
    platforms: [.macOS(.v14)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Asymmetric tokens from an identity provider: JWS verification and JWKS parsing (needs swift-crypto 4).
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // W3C trace context from a request through the outbox and Kafka into other services' handlers.
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: targets
)
