#!/usr/bin/env bash
# Builds the Debian package, installs it as a clinic would (`apt-get install ./….deb`), checks
# that the installed program, menu entry, metadata, file type and manual work from PATH, then
# removes it and checks that every file it installed is gone. Needs root (or sudo) and apt.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

apt_get() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }

# The validators and the desktop's file-type machinery a clinic's Debian desktop has, and
# dpkg-dev, whose dpkg-shlibdeps finds the libraries the program links to.
tools=(desktop-file-utils appstream shared-mime-info xdg-utils libfile-mimeinfo-perl man-db dpkg-dev)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Package lists may be empty on a fresh machine; the package's own dependencies come from them.
apt_get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing the package checkers: ${missing[*]}"
  apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v cargo-deb >/dev/null || cargo install --locked cargo-deb --version 3.8.0

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
cargo run --locked --quiet --example package_docs -- target/package-docs
cargo deb --locked
deb="target/debian/smp-studio_${version}-1_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { echo "no package at $deb" >&2; exit 1; }
echo "package: $deb, $(du -h "$deb" | cut -f1)"
dpkg-deb --contents "$deb" | awk '{print $6}' | grep -v '/$'
dpkg-deb --field "$deb" Depends | grep libc6 >/dev/null || { echo "the package does not depend on libc6" >&2; exit 1; }

apt_get install -y -qq --no-install-recommends "./$deb" >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "installed package: $*" >&2; exit 1; }

# The program, from PATH, away from the source tree.
(
  cd "$scratch"
  [ "$(command -v smp-studio)" = /usr/bin/smp-studio ] || fail "smp-studio is not /usr/bin/smp-studio"
  smp-studio --version | grep -qx "smp-studio $version" || fail "--version does not say $version"
  smp-studio render --demo --out demo.png --save-consultation demo.smpc >/dev/null
  # A PNG signature, then width and height (big-endian) at bytes 16–23.
  [ "$(od -An -tx1 -N8 demo.png | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "render --demo wrote no PNG"
  read -r w0 w1 w2 w3 h0 h1 h2 h3 < <(od -An -tu1 -j16 -N8 demo.png)
  width=$(( (w0 << 24) | (w1 << 16) | (w2 << 8) | w3 )) height=$(( (h0 << 24) | (h1 << 16) | (h2 << 8) | h3 ))
  [ "$width" -ge 640 ] && [ "$height" -ge 480 ] || fail "render --demo wrote a ${width}×${height} picture"
  # The menu entry and the software-centre metadata. The component id is not reverse-DNS until
  # the project has a public address to derive it from; every other check is at full severity.
  desktop-file-validate /usr/share/applications/smp-studio.desktop || fail "the desktop entry is invalid"
  appstreamcli validate --no-net --override=cid-desktopapp-is-not-rdns=info \
    /usr/share/metainfo/smp-studio.metainfo.xml || fail "the AppStream metadata is invalid"
  # A consultation is its own file type, opened by SMP Studio when double-clicked.
  type=$(xdg-mime query filetype demo.smpc)
  [ "$type" = application/x-smp-consultation ] || fail "a .smpc file is '$type'"
  app=$(xdg-mime query default application/x-smp-consultation)
  [ "$app" = smp-studio.desktop ] || fail "a .smpc file opens with '$app'"
  for size in 48x48 128x128 256x256; do
    [ -f "/usr/share/icons/hicolor/$size/apps/smp-studio.png" ] || fail "no $size icon"
  done
  [ -f /usr/share/icons/hicolor/scalable/apps/smp-studio.svg ] || fail "no scalable icon"
  MANWIDTH=80 man -P cat smp-studio 2>/dev/null | grep "smp-studio-render" >/dev/null || fail "man smp-studio does not render"
  MANWIDTH=80 man -P cat smp-studio-render 2>/dev/null | grep "px-per-mm" >/dev/null || fail "man smp-studio-render does not render"
  [ -f /usr/share/bash-completion/completions/smp-studio ] || fail "no bash completion"
)

# Removal leaves nothing behind.
installed=$(dpkg-query -L smp-studio | while read -r f; do [ -d "$f" ] || echo "$f"; done)
$sudo dpkg -r smp-studio >/dev/null
left=$(for f in $installed; do [ -e "$f" ] && echo "$f"; done || true)
[ -z "$left" ] || { echo "dpkg -r left behind:" >&2; echo "$left" >&2; exit 1; }
[ "$(xdg-mime query filetype "$scratch/demo.smpc")" != application/x-smp-consultation ] || fail "the file type outlived the package"
echo "package checks passed: installed, ran, validated, opened .smpc, rendered man pages, removed cleanly"
