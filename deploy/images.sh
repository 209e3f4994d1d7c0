# shellcheck shell=bash
# deploy/antq images [NAME...] | images measure: container images of the platform's processes, built on this machine
# with podman and no registry. Sourced by deploy/antq (it uses its say, die, apt_install, SERVICES, pg and rabbit helpers).
#
#   images [NAME...]  installs podman, buildah, runc and debootstrap when missing; makes the base image once (a minimal
#                     Debian root file system from debootstrap, the libraries .NET needs, and the .NET and ASP.NET Core
#                     runtimes of this machine's SDK, imported with podman import); publishes each process (or only
#                     those named) and builds its image from deploy/docker/Dockerfile on that base; prints the sizes.
#   images measure    runs each image as production would (read-only, non-root, ANTQ_MODE=production) against the
#                     PostgreSQL and RabbitMQ of this checkout, on databases and a virtual host of its own that it drops
#                     afterwards, and prints each one's time from `podman run` to /health/ready answering 200.
# Settings: ANTQ_IMAGE_PREFIX (localhost/antq), ANTQ_IMAGE_TAG (the short git revision), ANTQ_DEBIAN_MIRROR and
# ANTQ_DEBIAN_SUITE (those of this machine's apt), ANTQ_IMAGES_PORT (5901: measure uses 7 ports from it),
# ANTQ_IMAGES_REBUILD_BASE=1 (make the base again).

IMAGES_DIR="$STATE/images"
IMAGE_PREFIX="${ANTQ_IMAGE_PREFIX:-localhost/antq}"
# runc, not Debian's default crun (which refuses some hosts' cgroup layout), and limits within the host's.
PODMAN_RUN=(podman --runtime runc run --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)

images_git() { git -C "$ROOT" "$@" 2>/dev/null; }
images_tag() { echo "${ANTQ_IMAGE_TAG:-$(images_git rev-parse --short=12 HEAD || echo dev)}"; }
# Read once per run, so that every image of a run has the same tag and labels even if a commit lands meanwhile.
images_stamp() {
  IMAGES_TAG="$(images_tag)"
  IMAGES_VERSION="$(images_git describe --tags --always --dirty || echo "$IMAGES_TAG")"
  IMAGES_REVISION="$(images_git rev-parse HEAD || echo unknown)"
}
image_name() { echo "$IMAGE_PREFIX/$1"; } # image_name PROCESS

# The Debian release and mirror this machine's apt uses (deb822 sources or the classic list).
debian_suite() { echo "${ANTQ_DEBIAN_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")}"; }
debian_mirror() { # debian_mirror [SUITE]: the mirror apt uses for the release (or for SUITE, e.g. bookworm-security)
  local suite="${1:-$(debian_suite)}" url
  if [ -z "${1:-}" ] && [ -n "${ANTQ_DEBIAN_MIRROR:-}" ]; then echo "$ANTQ_DEBIAN_MIRROR"; return; fi
  url="$(awk -v s="$suite" '/^URIs:/ {u=$2} /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) { print u; exit } }' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)"
  [ -n "$url" ] || url="$(awk -v s="$suite" '$1 == "deb" && $3 == s { print $2; exit }' /etc/apt/sources.list 2>/dev/null)"
  [ -n "$url" ] || case "$suite" in *-security) url=http://deb.debian.org/debian-security ;; *) url=http://deb.debian.org/debian ;; esac
  echo "$url"
}

# The newest runtime of this machine's SDK that has both Microsoft.NETCore.App and Microsoft.AspNetCore.App.
dotnet_root() { dirname "$(readlink -f "$(command -v dotnet)")"; }
dotnet_runtime_version() {
  local root v; root="$(dotnet_root)"
  for v in $(ls "$root/shared/Microsoft.NETCore.App" | sort -Vr); do
    [ -d "$root/shared/Microsoft.AspNetCore.App/$v" ] && [ -d "$root/host/fxr/$v" ] && { echo "$v"; return; }
  done
  die "no .NET runtime with a matching ASP.NET Core runtime under $root/shared"
}

# ---------------------------------------------------------------- the base image
# debootstrap's minbase (dpkg, apt, bash, coreutils) plus ICU (the platform is not invariant-globalised: Vietnamese
# sorting and casing), OpenSSL, the CA certificates and time zones, and GSSAPI (libgssapi-krb5-2); then the runtimes copied from the SDK. The root file
# system is kept under .antq/images/ so that a base for a newer runtime does not download Debian again.
# The recipe's revision is in the tag, so that a changed recipe makes a new base (r2: libgssapi-krb5-2, which Npgsql
# loads for Kerberos and warns of when it is missing).
BASE_RECIPE=r2
base_image() { echo "$IMAGE_PREFIX/base:$(debian_suite)-aspnet$(dotnet_runtime_version)-$BASE_RECIPE"; }

build_base() {
  local base; base="$(base_image)"
  if [ -z "${ANTQ_IMAGES_REBUILD_BASE:-}" ] && podman image exists "$base"; then say "base image $base (present)"; return; fi
  local suite mirror rootfs; suite="$(debian_suite)"; mirror="$(debian_mirror)"; rootfs="$IMAGES_DIR/rootfs-$suite"
  if [ ! -f "$rootfs/.antq-debootstrap" ]; then
    local icu ssl
    icu="$(apt-cache pkgnames libicu | grep -E '^libicu[0-9]+$' | sort -V | tail -1)"
    ssl="$(apt-cache pkgnames libssl | grep -E '^libssl[0-9.]+$' | sort -V | tail -1)"
    [ -n "$icu" ] && [ -n "$ssl" ] || die "apt knows no libicuNN or libsslN package: run apt-get update"
    say "making a $suite root file system with debootstrap from $mirror (a few minutes, once)"
    rm -rf "$rootfs"
    debootstrap --variant=minbase --include="$icu,$ssl,ca-certificates,tzdata" "$suite" "$rootfs" "$mirror" \
      >"$LOGS/debootstrap.log" 2>&1 || { tail -20 "$LOGS/debootstrap.log" >&2; die "debootstrap failed (log: $LOGS/debootstrap.log)"; }
    touch "$rootfs/.antq-debootstrap"
  fi
  # debootstrap reads the release alone: the security and point-release updates come from apt inside the root file
  # system (each time the base is made, so a new base has the day's fixes).
  say "applying $suite's updates and security updates to the base"
  printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s %s-security main\n' "$mirror" "$suite" "$mirror" "$suite" \
    "$(debian_mirror "$suite-security")" "$suite" > "$rootfs/etc/apt/sources.list"
  { chroot "$rootfs" apt-get update -qq && DEBIAN_FRONTEND=noninteractive chroot "$rootfs" apt-get upgrade -y -qq \
      && DEBIAN_FRONTEND=noninteractive chroot "$rootfs" apt-get install -y -qq --no-install-recommends libgssapi-krb5-2; } \
    >"$LOGS/base-upgrade.log" 2>&1 || { tail -20 "$LOGS/base-upgrade.log" >&2; die "updating the base failed (log: $LOGS/base-upgrade.log)"; }
  # What a running service never reads: package lists and caches, documentation, manuals, translations, logs.
  rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/tmp/*
  # The runtimes, from this machine's SDK: the muxer, its host resolver and the two shared frameworks, nothing else.
  local src v dst; src="$(dotnet_root)"; v="$(dotnet_runtime_version)"; dst="$rootfs/usr/share/dotnet"
  rm -rf "$dst"; mkdir -p "$dst/host/fxr" "$dst/shared/Microsoft.NETCore.App" "$dst/shared/Microsoft.AspNetCore.App"
  cp -a "$src/dotnet" "$src/LICENSE.txt" "$src/ThirdPartyNotices.txt" "$dst/"
  cp -a "$src/host/fxr/$v" "$dst/host/fxr/"
  cp -a "$src/shared/Microsoft.NETCore.App/$v" "$dst/shared/Microsoft.NETCore.App/"
  cp -a "$src/shared/Microsoft.AspNetCore.App/$v" "$dst/shared/Microsoft.AspNetCore.App/"
  ln -sfn ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
  # The non-root user the images run as: uid and gid 1654, like Microsoft's images ($APP_UID).
  grep -q '^app:' "$rootfs/etc/group" || echo 'app:x:1654:' >> "$rootfs/etc/group"
  grep -q '^app:' "$rootfs/etc/passwd" || echo 'app:x:1654:1654::/home/app:/usr/sbin/nologin' >> "$rootfs/etc/passwd"
  mkdir -p "$rootfs/home/app" && chown 1654:1654 "$rootfs/home/app"
  say "importing $base"
  tar --numeric-owner --exclude=./.antq-debootstrap -C "$rootfs" -c . | podman import \
    --change "ENV APP_UID=1654" --change "ENV DOTNET_ROOT=/usr/share/dotnet" --change "ENV LANG=C.UTF-8" \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "LABEL org.opencontainers.image.title=antq-base" \
    --change "LABEL org.opencontainers.image.description=Debian $suite minbase, ICU, OpenSSL, GSSAPI, CA certificates, tzdata, .NET and ASP.NET Core $v" \
    --change "CMD [\"bash\"]" - "$base" >/dev/null 2>"$LOGS/base-import.log" \
    || { cat "$LOGS/base-import.log" >&2; die "podman import failed"; }
}

# ---------------------------------------------------------------- one image per process
image_source() { # the repository's address when it has one that is a URL, else the project's name
  local url; url="${ANTQ_IMAGE_SOURCE:-$(images_git config --get remote.origin.url || true)}"
  case "$url" in http://*|https://*|git@*|ssh://*) echo "$url" ;; *) echo AntqPlatform ;; esac
}

# Framework-dependent: the runtimes are in the base, one layer that every process's image shares, and each image adds
# only its own assemblies. Published on the host with this machine's SDK (no SDK image can be pulled here), then taken
# into the image by the Dockerfile's "published" stage.
build_process_image() { # build_process_image NAME PROJECT
  local name="$1" project="$2" out="$IMAGES_DIR/publish/$1" tag="$IMAGES_TAG"
  say "publishing $name"
  rm -rf "$out"
  (cd "$ROOT" && dotnet publish "$project/$(basename "$project").csproj" -c "$CONFIGURATION" -o "$out" -nologo -v q \
      -clp:ErrorsOnly -p:UseAppHost=false) >"$LOGS/publish-$name.log" 2>&1 \
    || { grep -E 'error' "$LOGS/publish-$name.log" | sort -u | head -20 >&2; die "publishing $name failed (log: $LOGS/publish-$name.log)"; }
  echo "$(basename "$project").dll" > "$out/.entrypoint"
  say "building $(image_name "$name"):$tag"
  podman build --runtime runc --format docker -f "$ROOT/deploy/docker/Dockerfile" \
    --build-arg APP_FROM=published --build-arg BASE="$(base_image)" --build-arg PROJECT="$project" \
    --build-arg TITLE="antq-$name" --build-arg VERSION="$IMAGES_VERSION" \
    --build-arg REVISION="$IMAGES_REVISION" --build-arg SOURCE="$(image_source)" \
    -t "$(image_name "$name"):$tag" -t "$(image_name "$name"):latest" "$out" >"$LOGS/image-$name.log" 2>&1 \
    || { tail -20 "$LOGS/image-$name.log" >&2; die "building the $name image failed (log: $LOGS/image-$name.log)"; }
}

image_sizes() {
  local entry name base_size; base_size="$(podman image inspect --format '{{.Size}}' "$(base_image)")"
  printf '%-16s %10s %14s\n' image "size MB" "own layer MB"
  printf '%-16s %10s %14s\n' base "$((base_size / 1000000))" "-"
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r name _ _ _ <<<"$entry"
    podman image exists "$(image_name "$name"):latest" || continue
    local size; size="$(podman image inspect --format '{{.Size}}' "$(image_name "$name"):latest")"
    printf '%-16s %10s %14s\n' "$name" "$((size / 1000000))" "$(((size - base_size) / 1000000))"
  done
}

cmd_images() {
  [ "${1:-}" = measure ] && { shift; measure_images "$@"; return; }
  local known=" ${SERVICES[*]%%|*} " arg
  for arg in "$@"; do [[ "$known" == *" $arg "* ]] || die "no process named $arg (one of:$known)"; done
  mkdir -p "$IMAGES_DIR"
  command -v dotnet >/dev/null || die "the .NET SDK is needed (dotnet on PATH)"
  apt_install podman buildah runc debootstrap
  local started=$SECONDS entry name project
  images_stamp
  build_base
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r name project _ _ <<<"$entry"
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    build_process_image "$name" "$project"
  done
  podman image prune -f --filter label=antq.stage=published >/dev/null   # the Dockerfile's intermediate stage
  say "images built in $((SECONDS - started)) s"
  image_sizes
}

# ---------------------------------------------------------------- time to ready
MEASURE_PREFIX="img$$"
measure_cleanup_containers() {
  local entry name
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r name _ _ _ <<<"$entry"
    podman rm -f -t 5 "$MEASURE_PREFIX-$name" >/dev/null 2>>"$LOGS/images-measure-podman.log" || true
  done
}
measure_cleanup() {
  measure_cleanup_containers
  local pidfile entry db
  for pidfile in "$IMAGES_DIR/measure-$MEASURE_PREFIX"/*.pid; do
    [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null && sleep 1
  done
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r _ _ _ db <<<"$entry"
    [ -n "$db" ] && PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qc \
      "drop database if exists \"${MEASURE_PREFIX}_$db\" with (force)" >/dev/null 2>&1
  done
  rabbit_api "vhosts/$MEASURE_PREFIX" -X DELETE >/dev/null 2>&1 || true
  rm -rf "$IMAGES_DIR/measure-$MEASURE_PREFIX"
}

measure_port() { echo $(( ${ANTQ_IMAGES_PORT:-5901} + $1 )); } # measure_port INDEX (the SERVICES order)

# The container's settings: those of service_env, for containers on the host's network on ports of their own.
measure_env() { # measure_env NAME INDEX DB SECRETS
  local name="$1" port; port="$(measure_port "$2")"
  echo "Urls=http://127.0.0.1:$port"
  echo "ASPNETCORE_HTTP_PORTS=$port"   # the image's health check knocks on this port
  echo "ANTQ_MODE=production"
  echo "ASPNETCORE_ENVIRONMENT=Production"
  echo "ANTQ_ADMIN_PASSWORD=$(cat "$4/admin-password")"
  echo "OTEL_SERVICE_NAME=antq-$name"
  [ -n "$3" ] && echo "ConnectionStrings__$name=$(pg_url "${MEASURE_PREFIX}_$3")"
  echo "ConnectionStrings__rabbitmq=amqp://guest:guest@127.0.0.1:$AMQP_PORT/$MEASURE_PREFIX"
  echo "Auth__Issuer=http://127.0.0.1:$(measure_port 6)/"
  echo "Auth__JwksUri=http://127.0.0.1:$(measure_port 0)/.well-known/jwks"
  case "$name" in
    identity) echo "Identity__SigningKeyFile=/run/secrets/identity-signing.pem" ;;
    notification) echo "Notification__Smtp__Host=127.0.0.1"; echo "Notification__Smtp__Port=$SMTP_PORT" ;;
    portal) echo "Portal__Authority=http://127.0.0.1:$(measure_port 6)/" ;;
    gateway)
      local i=0 entry backend
      for entry in "${SERVICES[@]}"; do
        IFS='|' read -r backend _ _ _ <<<"$entry"
        [ "$backend" = gateway ] || echo "ReverseProxy__Clusters__${backend}__Destinations__d1__Address=http://127.0.0.1:$(measure_port $i)/"
        i=$((i + 1))
      done ;;
  esac
}

# Waits for /health/ready to answer 200 on PORT and prints the seconds since T0; ALIVE... says whether it still runs.
measure_wait() { # measure_wait NAME PORT T0 LOG ALIVE...
  local name="$1" port="$2" t0="$3" log="$4"; shift 4
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/ready" 2>/dev/null; do
    "$@" || { tail -30 "$log" >&2; die "$name stopped while starting (log: $log)"; }
    [ "$(echo "$(date +%s.%N) - $t0 > 300" | bc)" = 1 ] && { tail -30 "$log" >&2; die "$name not ready after 300 s (log: $log)"; }
    sleep 0.1
  done
  echo "$(date +%s.%N) - $t0" | bc | xargs printf '%.1f'
}

container_running() { [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

# Starts a new container of the image and prints the seconds from `podman run` to /health/ready answering 200.
measure_container() { # measure_container NAME INDEX DB SECRETS
  local name="$1" ctr="$MEASURE_PREFIX-$1" log="$LOGS/images-measure-$1.log"
  local envs=(); while IFS= read -r line; do envs+=(-e "$line"); done < <(measure_env "$@")
  local mounts=(); [ "$name" = identity ] && mounts=(-v "$4/identity-signing.pem:/run/secrets/identity-signing.pem:ro")
  podman rm -f -t 10 "$ctr" >/dev/null 2>&1 || true
  local t0; t0="$(date +%s.%N)"
  # (Without systemd podman cannot schedule the health check and says so on stderr: the log, not the terminal.)
  "${PODMAN_RUN[@]}" -d --name "$ctr" --read-only --network host "${envs[@]}" "${mounts[@]}" \
    "$(image_name "$name"):latest" >/dev/null 2>>"$LOGS/images-measure-podman.log" || die "podman run $name failed"
  local seconds; seconds="$(measure_wait "$name" "$(measure_port "$2")" "$t0" "$log" container_running "$ctr")" \
    || { podman logs "$ctr" >"$log" 2>&1; tail -30 "$log" >&2; return 1; }
  echo "$seconds"
}

# The same published build as a plain process on the host (dotnet ASSEMBLY), for comparison with the container.
measure_process() { # measure_process NAME INDEX DB SECRETS
  local name="$1" dir="$IMAGES_DIR/publish/$1" log="$LOGS/images-measure-$1.log"
  local envs=(); while IFS= read -r line; do envs+=("$line"); done < <(measure_env "$@" \
    | sed "s|^Identity__SigningKeyFile=.*|Identity__SigningKeyFile=$4/identity-signing.pem|")
  local t0; t0="$(date +%s.%N)"
  (cd "$dir" && exec env "${envs[@]}" setsid dotnet "$dir/$(cat "$dir/.entrypoint")" >"$log" 2>&1 < /dev/null) &
  echo $! > "$4/$name.pid"   # left running (the gateway is ready only when every backend is); measure_cleanup stops it
  measure_wait "$name" "$(measure_port "$2")" "$t0" "$log" kill -0 "$(cat "$4/$name.pid")"
}

measure_images() {
  local entry name db round
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r name _ _ _ <<<"$entry"
    podman image exists "$(image_name "$name"):latest" || die "no image $(image_name "$name"):latest: run deploy/antq images first"
  done
  pg_ready || die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT (deploy/antq infra)"
  rabbit_ready || die "RabbitMQ does not answer on 127.0.0.1:$AMQP_PORT (deploy/antq infra)"
  local secrets="$IMAGES_DIR/measure-$MEASURE_PREFIX"
  trap measure_cleanup EXIT
  mkdir -p "$secrets"
  openssl genrsa -out "$secrets/identity-signing.pem" 2048 2>/dev/null && chmod 644 "$secrets/identity-signing.pem"
  openssl rand -base64 24 > "$secrets/admin-password"
  create_vhost "$MEASURE_PREFIX"
  local i t failed=0
  declare -A first second process health
  # Identity first (the others read its keys), the gateway last (it is ready when every backend is); one at a time, so
  # that each start has the machine to itself. Round 1 on empty databases (the migrations run); round 2 in new
  # containers on the databases round 1 made; round 3 the same published build as a plain process, for comparison.
  for round in 1 2 3; do
    i=0
    for entry in "${SERVICES[@]}"; do
      IFS='|' read -r name _ _ db <<<"$entry"
      [ -n "$db" ] && create_database "${MEASURE_PREFIX}_$db"
      case $round in
        1) first[$name]="$(measure_container "$name" $i "$db" "$secrets")" ;;
        2) podman rm -f -t 10 "$MEASURE_PREFIX-$name" >/dev/null 2>>"$LOGS/images-measure-podman.log"
           second[$name]="$(measure_container "$name" $i "$db" "$secrets")"
           # The image's own HEALTHCHECK, run once by podman inside the container.
           if podman healthcheck run "$MEASURE_PREFIX-$name" >/dev/null 2>&1; then health[$name]=healthy; else health[$name]=unhealthy; failed=1; fi ;;
        3) [ "$i" = 0 ] && measure_cleanup_containers
           process[$name]="$(measure_process "$name" $i "$db" "$secrets")" ;;
      esac
      case $round in 1) t="${first[$name]}" ;; 2) t="${second[$name]}" ;; 3) t="${process[$name]}" ;; esac
      say "round $round: $name ready after $t s"
      i=$((i + 1))
    done
  done
  printf '%-16s %20s %20s %20s %12s\n' image "container, empty db" "container, schema" "process, schema" healthcheck
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r name _ _ _ <<<"$entry"
    printf '%-16s %20s %20s %20s %12s\n' "$name" "${first[$name]}" "${second[$name]}" "${process[$name]}" "${health[$name]}"
  done
  echo "(seconds to /health/ready; load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
  return $failed
}
