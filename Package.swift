// swift-tools-version: 6.1
// GammaFlow: exact Black-Scholes Greeks over column-stored option chains,
// dealer exposures and levels, hedge flows.

import PackageDescription

let package = Package(
    name: "GammaFlow",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "GammaFlow", targets: ["GammaFlow"]),
        .executable(name: "gammaflow", targets: ["gammaflow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // OpenBLAS (CBLAS) and LAPACKE, reached only through GammaFlow's internal layer.
        .systemLibrary(
            name: "CGammaFlowLinearAlgebra",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Private C shims (header-only inline functions; no stable API): vector square roots without errno.
        .target(name: "_GammaFlowShims"),
        .target(
            name: "GammaFlow",
            dependencies: [
                "CGammaFlowLinearAlgebra",
                "_GammaFlowShims",
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        .executableTarget(
            name: "gammaflow",
            dependencies: [
                "GammaFlow",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "GammaFlowTests",
            dependencies: [
                "GammaFlow",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
    ]
)
