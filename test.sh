#!/usr/bin/env bash
# Anchor's tests, the second quick-start command: unit tests, then black-box tests that run the
# installed `anchor` binary as root against private stores. Run install.sh first.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export ANCHOR_BIN=${ANCHOR_BIN:-$(command -v anchor)}
export ANCHOR_BUSYBOX_TAR=${ANCHOR_BUSYBOX_TAR:-$PWD/out/busybox-rootfs.tar}
[ -f "$ANCHOR_BUSYBOX_TAR" ] || scripts/busybox-rootfs.sh "$ANCHOR_BUSYBOX_TAR"
dotnet test Anchor.slnx -c Release --nologo "$@"
# Testcontainers for .NET against an `anchor serve` of its own, run after the rest and not beside
# them: the black-box suite's leftover checks look at every cgroup under anchor/ on the host, and a
# container of another test project running at the same time would be counted as a leak.
dotnet test tests/Anchor.TestcontainersTests -c Release --nologo "$@"
