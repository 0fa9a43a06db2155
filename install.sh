#!/usr/bin/env bash
# Anchor's setup, the first quick-start command: installs what Anchor needs from Debian's apt,
# publishes the NativeAOT `anchor` binary onto the PATH, creates the default busybox image from
# the host's busybox-static package, and ends with the main job.
# Run as root on Debian 12. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" != 0 ]; then
    echo "install.sh: run as root (Anchor creates namespaces, mounts and cgroups)" >&2
    exit 1
fi

PREFIX=${PREFIX:-/usr/local}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Packages: busybox-static for the default image; gcc/zlib for the NativeAOT link step;
# util-linux (unshare, for the benchmark's baseline); iproute2 and procps for tests that look around;
# nftables (`nft`) for container networking: NAT, published ports and network isolation;
# The docker client the API server's tests drive (`anchor serve`) comes from docker.io below.
packages=(busybox-static gcc libc6-dev zlib1g-dev util-linux iproute2 procps docker-registry skopeo apache2-utils nftables)
# The API server's other real clients in the tests: python3-docker (the Docker SDK for Python) and
# docker-compose (1.29, Python), without their recommended docker.io (no daemon is installed).
# containerd (with ctr, its runc v2 shim and runc) for the OCI runtime's tests, which start their
# own containerd on a private socket: Debian ships it with a systemd unit only, so nothing starts;
# libdevmapper, the one library the extracted dockerd (below) needs beyond these.
# podman (with conmon; its runtime is anchor-runc or the runc above) for the OCI runtime's tests,
# which give it a private root and runroot: no service of it is enabled or started.
clients=(python3-docker docker-compose containerd libdevmapper1.02.1 podman)
missing=() missing_clients=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
for p in "${clients[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing_clients+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || [ ${#missing_clients[@]} -gt 0 ]; then
    apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ${#missing_clients[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_clients[@]}" >/dev/null
fi

# Debian's docker client and daemon (docker.io 20.10) for the tests (the API server's client; the
# OCI runtime's dockerd --add-runtime test, which starts its dockerd on a private socket with
# --iptables=false): only the two programs are taken out of the package, to PREFIX/lib/anchor/, so
# that installing Anchor never installs a docker service that starts (whose iptables FORWARD
# policy would drop Anchor's bridged traffic).
if { [ ! -x /usr/bin/docker ] && [ ! -x "$PREFIX/lib/anchor/docker" ]; } || { [ ! -x /usr/sbin/dockerd ] && [ ! -x "$PREFIX/lib/anchor/dockerd" ]; }; then
    cli_tmp=$(mktemp -d)
    (cd "$cli_tmp" && { apt-get download -qq docker.io 2>/dev/null || { apt-get update -qq && apt-get download -qq docker.io; }; } && dpkg-deb -x docker.io_*.deb x)
    install -D -m 0755 "$cli_tmp/x/usr/bin/docker" "$PREFIX/lib/anchor/docker"
    install -D -m 0755 "$cli_tmp/x/usr/sbin/dockerd" "$PREFIX/lib/anchor/dockerd"
    rm -rf "$cli_tmp"
fi

if ! command -v dotnet >/dev/null; then
    echo "install.sh: the .NET 10 SDK (dotnet) is required to build Anchor; install it and run again" >&2
    exit 1
fi

echo "Building anchor (NativeAOT)..."
dotnet publish src/Anchor.Cli/Anchor.Cli.csproj -c Release -r linux-x64 -o out/anchor -nologo -v quiet
install -m 0755 out/anchor/anchor "$PREFIX/bin/anchor"
# The runc-compatible OCI runtime is the same binary under another name (docs/oci-runtime.md).
ln -sf anchor "$PREFIX/bin/anchor-runc"
# The Docker Engine API server, a NativeAOT program of its own that `anchor serve` execs from
# beside `anchor` (docs/architecture.md, "The API server").
echo "Building anchor-serve (NativeAOT)..."
dotnet publish src/Anchor.Api/Anchor.Api.csproj -c Release -r linux-x64 -o out/anchor -nologo -v quiet
install -m 0755 out/anchor/anchor-serve "$PREFIX/bin/anchor-serve"

echo "Creating the default busybox image..."
scripts/busybox-rootfs.sh out/busybox-rootfs.tar
anchor import --change 'CMD ["sh"]' out/busybox-rootfs.tar busybox:latest >/dev/null

anchor run --rm busybox echo "Welcome to Anchor"
