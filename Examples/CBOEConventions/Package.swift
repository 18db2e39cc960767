// swift-tools-version: 6.1
// Prints the conventions table of Docs/Conventions.md from a CBOE snapshot and
// times the import. A separate package so that GammaFlow's own build and
// tests never build it.

import PackageDescription

let package = Package(
    name: "CBOEConventions",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "GammaFlow", path: "../.."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "cboe-conventions",
            dependencies: [
                .product(name: "GammaFlow", package: "GammaFlow"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/CBOEConventions"
        )
    ]
)
