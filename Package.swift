// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "manifoldlab",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ManifoldLab", targets: ["ManifoldLab"]),
        .executable(name: "manifoldlab", targets: ["manifoldlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        // Tests only: property-based checks of the command line (random valid and invalid option sets).
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // MARK: C libraries
        // GSL (RNGs, distributions, quadrature, linear algebra, special functions), found by pkg-config.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // OpenBLAS serving the standard CBLAS ABI. Its modulemap's `link "openblas"` puts OpenBLAS
        // ahead of GSL's reference `gslcblas` in link order, so `cblas_*` binds to OpenBLAS.
        .systemLibrary(
            name: "COpenBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // MARK: Library and command-line front
        .target(
            name: "ManifoldLab",
            dependencies: [
                "CGSL", "COpenBLAS",
                .product(name: "Numerics", package: "swift-numerics"),
            ]
        ),
        .executableTarget(
            name: "manifoldlab",
            dependencies: [
                "ManifoldLab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Times the transport library for bench/transport.py (not installed, not documented for users).
        .executableTarget(
            name: "manifoldlab-bench",
            dependencies: ["ManifoldLab"]
        ),

        // MARK: Tests
        .testTarget(
            name: "ManifoldLabTests",
            dependencies: [
                "ManifoldLab", "CGSL", "COpenBLAS",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ]
)
