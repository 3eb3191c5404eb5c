#!/usr/bin/env bash
# Fuzzes the point-cloud and mesh readers (PLY, PCD, text with and without --columns, OBJ, STL,
# OFF, .npy) and the PyTorch checkpoint zip directory + restricted unpickler with libFuzzer
# (swiftc -sanitize=fuzzer,address). The first input byte picks the reader (see the harness).
#   Scripts/fuzz.sh [SECONDS]     (default 120)
# The reader sources are compiled into one module with the harness Scripts/fuzz/FuzzReaders.swift;
# the corpus starts from the test fixtures' seeds in Fixtures/fuzz/seeds. Crashing inputs are
# written to Fixtures/fuzz/crashers/ — keep them: PointCloudsTests reads every file there and
# expects a cloud or a FileError.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
work=.build-fuzz
mkdir -p "$work/src" "$work/corpus" Fixtures/fuzz/crashers
rm -f "$work"/src/*.swift
sources=(ScalarType FileBytes TextCursor NumberParser PointColumns PLYHeader PLYReader PCDHeader PCDReader LZF PointCloud PointTextReader
         ColumnSpec ColumnLayout NPYPointReader OBJReader STLReader OFFReader TriangleMesh BoundingBox TriangleAreaTable)
for s in "${sources[@]}"; do
  grep -v '^import PointADSupport' "Sources/PointClouds/$s.swift" > "$work/src/$s.swift"
done
for s in ZipDirectory RestrictedUnpickler PickleValue; do
  grep -v '^import PointADSupport' "Sources/CLIP/PyTorch/$s.swift" > "$work/src/$s.swift"
done
cp Sources/PointADSupport/{FileError,SystemErrorText,NPYFile,AtomicFile,AtomicFileStream,StaleTemporaries}.swift "$work/src/"
cp Scripts/fuzz/FuzzReaders.swift "$work/src/"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name PointClouds "$work"/src/*.swift -o "$work/fuzz-readers"
cp Fixtures/fuzz/seeds/* "$work/corpus/" 2>/dev/null || true
"$work/fuzz-readers" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 -malloc_limit_mb=512 \
  -artifact_prefix=Fixtures/fuzz/crashers/ "$work/corpus" 2>&1 | grep -vE '^#[0-9]+.*(NEW|REDUCE|pulse)' | tail -25
