#!/bin/sh
# Build the sandbox's root filesystem offline-capable: debootstrap (minbase) from a Debian mirror —
# deb.debian.org by default, an air-gapped site's own mirror otherwise — then strip caches and docs
# and write it as a tar that `docker import` loads. Needs root (debootstrap chroots).
# Usage: build-rootfs.sh OUT.tar PACKAGES_FILE [MIRROR] [SUITE]
set -eu
out=$1
packages=$(grep -v '^#' "$2" | tr -s '\n ' ',' | sed 's/^,//; s/,$//')
mirror=${3:-http://deb.debian.org/debian}
suite=${4:-bookworm}
root=$(mktemp -d /tmp/victor-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT

echo "debootstrap $suite (minbase + $packages) from $mirror"
debootstrap --variant=minbase --components=main --include="$packages" "$suite" "$root" "$mirror"

echo "cleaning apt caches, docs and locales"
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/* "$root"/var/log/* "$root"/tmp/* \
       "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
       "$root"/usr/share/locale/*
find "$root"/usr/lib/python3* -name __pycache__ -prune -exec rm -rf {} + 2>/dev/null || true

echo "writing $out"
tar --numeric-owner --xattrs -C "$root" -cf "$out" .
