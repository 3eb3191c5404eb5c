// swift-tools-version:6.0
import PackageDescription

// Numeric code must be built for AVX2+FMA (x86-64-v3) or LLVM will not vectorise the
// elementwise kernels; release builds drop overflow traps and inline across modules
// (see SWIFT-NOTES §1.5). `haswell` rather than `native` so binaries run on any
// x86-64-v3 host.
#if arch(x86_64)
let cpuFlags: [String] = ["-target-cpu", "haswell"]
#else
let cpuFlags: [String] = []
#endif
let engineSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-cross-module-optimization"], .when(configuration: .release)),
    .unsafeFlags(cpuFlags),
]

let package = Package(
    name: "pointad",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pointad", targets: ["pointad"]),
        .library(
            name: "PointADEngine",
            targets: [
                "PointADSupport", "TensorCore", "Imaging", "PointClouds", "CLIP", "Rendering",
                "PointADModel", "Training", "Evaluation", "Synthesis", "Demo",
            ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // MARK: - System libraries (Debian: libopenblas-dev, liblapacke-dev, libpng-dev, libtiff-dev)
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),

        // MARK: - Engine
        // Vector kernels built for AVX-512 and AVX2 and chosen at run time (attention heads).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // Atomic file output, progress reporting, errors shared by every module.
        .target(name: "PointADSupport", swiftSettings: engineSettings),
        // float32 tensors, sgemm, transformer kernels, threading.
        .target(
            name: "TensorCore",
            dependencies: ["COpenBLAS", "CKernels", "PointADSupport", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: engineSettings),
        // PNG in/out, resampling, colour maps.
        .target(name: "Imaging", dependencies: ["CPNG", "PointADSupport"], swiftSettings: engineSettings),
        // PointCloud, PLY/PCD/TIFF/GT readers and writers, k-d tree, normals, downsampling.
        .target(
            name: "PointClouds",
            dependencies: ["CTIFF", "CLAPACKE", "Imaging", "TensorCore", "PointADSupport"],
            swiftSettings: engineSettings),
        // safetensors, BPE tokenizer, vision and text transformers, DPAM, learnable prompts.
        .target(name: "CLIP", dependencies: ["TensorCore", "Imaging", "PointADSupport"], swiftSettings: engineSettings),
        // Multi-view point renderer and point-pixel correspondence.
        .target(
            name: "Rendering", dependencies: ["PointClouds", "Imaging", "TensorCore", "PointADSupport"],
            swiftSettings: engineSettings),
        // The detector: rendering layer, geometry layer, fusion, `score`.
        .target(
            name: "PointADModel",
            dependencies: ["CLIP", "Rendering", "PointClouds", "TensorCore", "Imaging", "PointADSupport"],
            swiftSettings: engineSettings),
        // Backward passes, losses, optimiser, feature cache, `train` (lists its data with Evaluation's walkers).
        .target(
            name: "Training",
            dependencies: ["PointADModel", "Evaluation", "CLIP", "Rendering", "PointClouds", "TensorCore", "PointADSupport"],
            swiftSettings: engineSettings),
        // Metrics, dataset walkers, batch evaluation, sharding.
        .target(
            name: "Evaluation",
            dependencies: ["PointADModel", "Rendering", "PointClouds", "Imaging", "TensorCore", "PointADSupport"],
            swiftSettings: engineSettings),
        // Synthetic benchmark data and random-weight CLIP folders.
        .target(
            name: "Synthesis",
            dependencies: ["PointClouds", "Imaging", "CLIP", "TensorCore", "PointADSupport"],
            swiftSettings: engineSettings),

        // The built-in demo: synthesise, train, evaluate and score in one call (`pointad demo`).
        .target(
            name: "Demo",
            dependencies: ["Synthesis", "Training", "Evaluation", "PointADModel", "PointADSupport"],
            swiftSettings: engineSettings),

        // MARK: - Executables
        .executableTarget(
            name: "pointad",
            dependencies: [
                "PointADSupport", "TensorCore", "Imaging", "PointClouds", "CLIP", "Rendering",
                "PointADModel", "Training", "Evaluation", "Synthesis", "Demo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: engineSettings),
        .executableTarget(
            name: "pointad-bench",
            dependencies: [
                "COpenBLAS", "PointADSupport", "TensorCore", "Imaging", "PointClouds", "CLIP", "Rendering",
                "PointADModel", "Training", "Evaluation", "Synthesis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: engineSettings),

        // MARK: - Tests
        .target(name: "TestSupport", dependencies: ["TensorCore"], path: "Tests/TestSupport"),
        .testTarget(name: "PointADSupportTests", dependencies: ["PointADSupport", "TestSupport"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "PointCloudsTests", dependencies: ["PointClouds", "TestSupport"]),
        .testTarget(name: "CLIPTests", dependencies: ["CLIP", "TestSupport"]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "TestSupport"]),
        .testTarget(name: "PointADModelTests", dependencies: ["PointADModel", "Training", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "CLIP", "TestSupport"]),
        .testTarget(name: "SynthesisTests", dependencies: ["Synthesis", "Evaluation", "TestSupport"]),
        .testTarget(name: "DemoTests", dependencies: ["Demo", "Evaluation", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["CLIP", "PointClouds", "TestSupport"]),
    ]
)
