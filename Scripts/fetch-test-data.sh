#!/usr/bin/env bash
# Fetches the third-party point clouds the PointClouds tests read (not committed: licences and
# size): Debian's libcgal-demo (Stanford bunny, hippo, b9 … as PLY/OFF/xyz) and assimp-testmodels
# (edge-case PLY, OBJ, STL and OFF files). Extracted into .cache/testdata/{cgal,assimp}. Pinned versions, checked by hash.
# Tries `apt-get download` first, then the Debian pool over HTTP. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.cache/testdata
[ -f "$dest/.complete-v2" ] && exit 0
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() { # package version pool-path sha256-prefix
  local package=$1 version=$2 pool=$3 sha=$4
  local deb="${package}_${version}_all.deb"
  deb=${deb//:/%3a}
  ( cd "$work" && apt-get download -qq "$package=$version" >/dev/null 2>&1 ) || true
  if [ ! -f "$work/$deb" ]; then
    local url="http://deb.debian.org/debian/pool/main/$pool/$deb"
    if command -v curl >/dev/null; then curl -fsSL -o "$work/$deb" "$url"
    elif command -v wget >/dev/null; then wget -q -O "$work/$deb" "$url"
    else echo "fetch-test-data: neither apt-get download nor curl/wget could fetch $deb" >&2; return 1; fi
  fi
  local got
  got=$(sha256sum "$work/$deb" | cut -c1-16)
  [ "$got" = "$sha" ] || { echo "fetch-test-data: $deb has sha256 $got…, expected $sha…" >&2; return 1; }
  dpkg-deb -x "$work/$deb" "$work/x-$package"
}

fetch libcgal-demo 5.5.1-2 c/cgal 78b09b23d4d6d1bf
fetch assimp-testmodels 5.2.5~ds0-1 a/assimp 526f326186000cd6
mkdir -p "$dest/cgal" "$dest/assimp"
tar xzf "$work/x-libcgal-demo/usr/share/doc/libcgal-dev/data.tar.gz" -C "$dest/cgal"
models="$work/x-assimp-testmodels/usr/share/assimp/models"
rm -rf "$dest/assimp/"*
cp -r "$models/PLY" "$models/OBJ" "$models/STL" "$models/OFF" "$models/invalid" "$dest/assimp/"
touch "$dest/.complete" "$dest/.complete-v2"
echo "fetch-test-data: extracted into $dest"
