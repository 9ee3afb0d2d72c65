// swift-tools-version:6.0
import PackageDescription

// The layering is a rule the compiler keeps: Core (numerics, manifolds, transport, divergences,
// neural net, output) ← GAN (training, techniques, vanish, walk, Dirac) ← CLI (commands, flags,
// exit codes, signals) ← the `manifoldlab` executable (main.swift only). Core speaks parameters;
// only the CLI knows flag names and exit statuses.
let package = Package(
    name: "manifoldlab",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ManifoldLabCore", targets: ["ManifoldLabCore"]),
        .library(name: "ManifoldLabGAN", targets: ["ManifoldLabGAN"]),
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
        // zlib: gzip-compressed sample files and the deflated members of .npz archives.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: Libraries and the command-line front
        .target(
            name: "ManifoldLabCore",
            dependencies: [
                "CGSL", "COpenBLAS", "CZlib",
                .product(name: "Numerics", package: "swift-numerics"),
            ]
        ),
        .target(
            name: "ManifoldLabGAN",
            dependencies: ["ManifoldLabCore"]
        ),
        .target(
            name: "ManifoldLabCLI",
            dependencies: [
                "ManifoldLabCore", "ManifoldLabGAN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "manifoldlab",
            dependencies: ["ManifoldLabCLI"]
        ),

        // Times the transport library for bench/transport.py (not installed, not documented for users).
        .executableTarget(
            name: "manifoldlab-bench",
            dependencies: ["ManifoldLabCore"]
        ),

        // MARK: Tests
        // Reference values and statistics computed from first principles, shared by the test targets.
        .target(
            name: "TestSupport",
            dependencies: ["ManifoldLabCore"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "CoreTests",
            dependencies: ["ManifoldLabCore", "TestSupport", "CGSL", "COpenBLAS", "CZlib"]
        ),
        .testTarget(
            name: "GANTests",
            dependencies: ["ManifoldLabGAN", "ManifoldLabCore", "TestSupport", "CGSL"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "ManifoldLabCLI", "ManifoldLabGAN", "ManifoldLabCore", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ]
)
