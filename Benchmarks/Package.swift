// swift-tools-version: 6.1
// GammaFlow benchmarks: package-benchmark suites, the hand-written AVX-512 C
// yardstick and a side-by-side runner. A separate package so that `swift test`
// on GammaFlow never builds them, and so that the C yardstick may use
// unsafeFlags (this package is never a consumer dependency).

import PackageDescription

let package = Package(
    name: "GammaFlowBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "GammaFlow", path: ".."),
        // The local mirror's package-benchmark needs the MallocInterposer trait
        // alone (its default also enables RuntimeInterposer, not mirrored here).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Hand-written AVX-512 gamma/vanna and full-set kernels: the yardstick of
        // issues 2 and 4. x86-64 with AVX-512F/DQ only; elsewhere it compiles to
        // stubs that report "unavailable".
        .target(
            name: "CGreeksAVX512",
            path: "Sources/CGreeksAVX512",
            cSettings: [
                .unsafeFlags(
                    ["-O3", "-mavx512f", "-mavx512dq", "-mfma", "-fno-math-errno"], .when(platforms: [.linux]))
            ]
        ),
        // Swift side of the C yardstick: column layout, threading, the check against the scalar reference.
        .target(
            name: "YardstickKit",
            dependencies: ["CGreeksAVX512", .product(name: "GammaFlow", package: "GammaFlow")],
            path: "Sources/YardstickKit"
        ),
        // Side-by-side runner: Swift kernels and the C yardstick in one process,
        // JSON like `gammaflow bench greeks`.
        .executableTarget(
            name: "greeks-yardstick",
            dependencies: [
                "CGreeksAVX512",
                "YardstickKit",
                .product(name: "GammaFlow", package: "GammaFlow"),
            ],
            path: "Sources/GreeksYardstick"
        ),
        .executableTarget(
            name: "Greeks",
            dependencies: [
                "CGreeksAVX512",
                "YardstickKit",
                .product(name: "GammaFlow", package: "GammaFlow"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Greeks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
    ]
)
