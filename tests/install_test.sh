#!/bin/sh
# Installs the build into a scratch prefix, then builds examples/segment.c
# against it twice: with pkg-config and with CMake's find_package(zhseg).
set -eu
build=$1 src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig"
cc -o "$prefix/seg-pc" "$src/examples/segment.c" $(pkg-config --cflags --libs zhseg) -Wl,-rpath,"$(pkg-config --variable=libdir zhseg)"
out=$(echo '社区开展志愿服务' | ZHSEG_DICT="$(pkg-config --variable=datadir zhseg)/zhseg.zdict" "$prefix/seg-pc")
[ "$out" = "社区/n 开展/v 志愿/n 服务/vn " ] || { echo "pkg-config build printed: $out"; exit 1; }
mkdir "$prefix/app"
cat > "$prefix/app/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.25)
project(app C)
find_package(zhseg REQUIRED)
add_executable(app $src/examples/segment.c)
target_link_libraries(app zhseg::zhseg)
CM
cmake -S "$prefix/app" -B "$prefix/app/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/app/build" >/dev/null
out=$(echo '社区开展志愿服务' | "$prefix/app/build/app")
[ "$out" = "社区/n 开展/v 志愿/n 服务/vn " ] || { echo "CMake build printed: $out"; exit 1; }
echo "installed, built with pkg-config and find_package(zhseg), ran"
