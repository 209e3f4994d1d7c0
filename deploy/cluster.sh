# shellcheck shell=bash
# deploy/antq cluster up | down [--wipe] | status | test: the platform as containers on one machine, run as production
# would run it. Sourced by deploy/antq after images.sh (it uses PODMAN_RUN, image_name, build_base, base_image and the
# images' helpers); see docs/cluster.md.
#
#   up      PostgreSQL (one role and database per service, and one for the portal's keys and sessions), a three-node
#           RabbitMQ cluster (quorum queues), two replicas of each service and of the portal, and the gateway in front,
#           the only container with a port on the host (127.0.0.1:ANTQ_CLUSTER_PORT, 58080). Plain `podman run`s on a
#           network of their own with fixed addresses (Debian's podman 4.3 with CNI has no name resolution between
#           containers, and `podman kube play` runs one replica of a Deployment and nothing of a Service or a
#           NetworkPolicy: docs/cluster.md). The secrets are generated into the state folder on the first `up`.
#           Images: those of `deploy/antq images` (built when missing), and PostgreSQL's and RabbitMQ's, built here
#           from Debian's packages on the same base (deploy/cluster/).
#   down    stops and removes the containers (and the network); --wipe also the volumes and the secrets.
#   status  each container's state and readiness, the RabbitMQ cluster's members, the queues and their type, memory.
#   restart PROCESS...  its containers again from the current images, one replica at a time (a rolling restart).
#   test    the fault run against the cluster (deploy/cluster/faults.sh).
# Settings: ANTQ_CLUSTER_PORT (58080), ANTQ_CLUSTER_SUBNET (10.89.58: a /24 of its own), ANTQ_CLUSTER_REPLICAS (2),
# ANTQ_CLUSTER_SMTP_PORT (58025: the mail catcher on the network's host side), ANTQ_CLUSTER_CPUS (0.5 per container),
# ANTQ_CLUSTER_MEMORY (384m per .NET container), ANTQ_CLUSTER_DIGEST_WINDOW (00:01:00: Notification's e-mail digests),
# ANTQ_CLUSTER_CRL_PORT (58026: the CA's revocation list, served on the network's host side).

CLUSTER_DIR="$STATE/cluster"
CLUSTER_SECRETS="$CLUSTER_DIR/secrets"
CLUSTER_NET=antq-cluster
CLUSTER_PREFIX=antqc
CLUSTER_PORT="${ANTQ_CLUSTER_PORT:-58080}"
CLUSTER_SUBNET="${ANTQ_CLUSTER_SUBNET:-10.89.58}"
CLUSTER_REPLICAS="${ANTQ_CLUSTER_REPLICAS:-2}"
CLUSTER_SMTP_PORT="${ANTQ_CLUSTER_SMTP_PORT:-58025}"
CLUSTER_CPUS="${ANTQ_CLUSTER_CPUS:-0.5}"
CLUSTER_MEMORY="${ANTQ_CLUSTER_MEMORY:-384m}"
CLUSTER_DIGEST_WINDOW="${ANTQ_CLUSTER_DIGEST_WINDOW:-00:01:00}"
CLUSTER_CRL_PORT="${ANTQ_CLUSTER_CRL_PORT:-58026}"
CLUSTER_RABBIT_NODES=3
CLUSTER_LABEL=antq.cluster=1

# The fixed addresses: .1 is the host's side of the bridge (the mail catcher), .10 PostgreSQL, .11-.13 RabbitMQ,
# from .20 the replicas (ten per process), .90 the gateway.
cluster_hosts() { # prints "NAME IP" for every container of the cluster
  echo "$CLUSTER_PREFIX-pg $CLUSTER_SUBNET.10"
  local n i=0 entry name
  for n in $(seq 1 "$CLUSTER_RABBIT_NODES"); do echo "$CLUSTER_PREFIX-rabbit-$n $CLUSTER_SUBNET.$((10 + n))"; done
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r name _ _ _ <<<"$entry"
    [ "$name" = gateway ] && continue
    for n in $(seq 1 "$CLUSTER_REPLICAS"); do echo "$CLUSTER_PREFIX-$name-$n $CLUSTER_SUBNET.$((20 + i * 10 + n))"; done
    i=$((i + 1))
  done
  echo "$CLUSTER_PREFIX-gateway $CLUSTER_SUBNET.90"
}
cluster_gateway_url() { echo "http://$(cluster_ip "$CLUSTER_PREFIX-gateway"):8080/"; }
cluster_ip() { cluster_hosts | awk -v n="$1" '$1 == n { print $2 }'; }
cluster_add_hosts() { cluster_hosts | while read -r n ip; do echo "--add-host=$n:$ip"; done; }
cluster_secret() { cat "$CLUSTER_SECRETS/$1"; }
cluster_backends() { local entry name; for entry in "${SERVICES[@]}"; do IFS='|' read -r name _ _ _ <<<"$entry"; [ "$name" = gateway ] || echo "$name"; done; }
cluster_db() { local entry name db; for entry in "${SERVICES[@]}"; do IFS='|' read -r name _ _ db <<<"$entry"; [ "$name" = "$1" ] && { echo "${db:-antq_$name}"; return; }; done; }

# ---------------------------------------------------------------- secrets, once
cluster_secrets() {
  mkdir -p "$CLUSTER_SECRETS"; chmod 700 "$CLUSTER_SECRETS"
  local f name
  gen() { [ -s "$CLUSTER_SECRETS/$1" ] || { openssl rand -hex 24 > "$CLUSTER_SECRETS/$1"; chmod 644 "$CLUSTER_SECRETS/$1"; }; }
  for f in pg-password rabbitmq-password erlang-cookie admin-password; do gen "$f"; done
  for name in $(cluster_backends); do gen "db-$name"; done
  cluster_certificates
  if [ ! -s "$CLUSTER_SECRETS/identity-signing.pem" ]; then
    openssl genrsa -out "$CLUSTER_SECRETS/identity-signing.pem" 3072 2>/dev/null
    chmod 644 "$CLUSTER_SECRETS/identity-signing.pem"   # read by the container's app user; the folder is the host's lock
  fi
}

# A private certificate authority made for this cluster (never leaves the state folder), and a server certificate for
# PostgreSQL, one for the RabbitMQ nodes (all three names: a client that moves to another node keeps the first node's
# name as the TLS server name) and one for the mail catcher on the network's host side. The services trust the CA alone.
cluster_certificates() {
  local tls="$CLUSTER_SECRETS/tls"
  mkdir -p "$tls"
  if [ ! -s "$tls/ca.crt" ]; then
    openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=AntqPlatform cluster CA" -keyout "$tls/ca.key" -out "$tls/ca.crt" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    chmod 600 "$tls/ca.key"; chmod 644 "$tls/ca.crt"
  fi
  cluster_crl
  local n rabbit_names=""
  for n in $(seq 1 "$CLUSTER_RABBIT_NODES"); do rabbit_names+="DNS:$CLUSTER_PREFIX-rabbit-$n,IP:$(cluster_ip "$CLUSTER_PREFIX-rabbit-$n"),"; done
  cluster_server_certificate postgres "DNS:$CLUSTER_PREFIX-pg,IP:$(cluster_ip "$CLUSTER_PREFIX-pg")"
  cluster_server_certificate rabbitmq "${rabbit_names%,}"
  cluster_server_certificate smtp "IP:$CLUSTER_SUBNET.1"
}
# The CA's certificate revocation list (empty: nothing revoked), made again at each `up` (valid 30 days) and served over
# http on the network's host side, where each server certificate says it is: the mail client (MailKit) checks it.
cluster_crl() {
  local tls="$CLUSTER_SECRETS/tls" db="$CLUSTER_SECRETS/tls/crl-db"
  mkdir -p "$db" "$CLUSTER_DIR/crl"
  [ -f "$db/index.txt" ] || : > "$db/index.txt"
  [ -f "$db/crlnumber" ] || echo 01 > "$db/crlnumber"
  printf '[ca]\ndefault_ca = antq\n[antq]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\ndefault_crl_days = 30\n' \
    "$db/index.txt" "$db/crlnumber" > "$db/openssl.cnf"
  openssl ca -gencrl -config "$db/openssl.cnf" -keyfile "$tls/ca.key" -cert "$tls/ca.crt" -out "$db/ca.crl.pem" 2>/dev/null \
    && openssl crl -in "$db/ca.crl.pem" -outform DER -out "$CLUSTER_DIR/crl/ca.crl" || die "making the CA's revocation list failed"
}
cluster_crl_url() { echo "http://$CLUSTER_SUBNET.1:$CLUSTER_CRL_PORT/ca.crl"; }
cluster_crl_server() {
  local pidfile="$CLUSTER_DIR/crl-server.pid"
  pid_alive "$pidfile" 2>/dev/null && return
  (exec setsid /usr/bin/python3 -m http.server "$CLUSTER_CRL_PORT" --bind "$CLUSTER_SUBNET.1" --directory "$CLUSTER_DIR/crl" \
    >"$LOGS/cluster-crl-server.log" 2>&1 < /dev/null) &
  echo $! > "$pidfile"
  local i; for i in $(seq 1 50); do curl -fsS -o /dev/null --max-time 2 "$(cluster_crl_url)" 2>/dev/null && return; sleep 0.2; done
  cat "$LOGS/cluster-crl-server.log" >&2; die "the cluster's revocation list is not served on $(cluster_crl_url)"
}
cluster_server_certificate() { # cluster_server_certificate NAME SUBJECT_ALT_NAMES
  local tls="$CLUSTER_SECRETS/tls" name="$1" sans="$2"
  [ -s "$tls/$name.crt" ] && [ "$(cat "$tls/$name.names" 2>/dev/null)" = "$sans $(cluster_crl_url)" ] && return   # made, for these names
  local cn="${sans%%,*}"; cn="${cn#*:}"   # the first name
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$cn" -keyout "$tls/$name.key" -out "$tls/$name.csr" 2>/dev/null \
    || die "making the $name key failed"
  openssl x509 -req -in "$tls/$name.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 825 -out "$tls/$name.crt" \
    -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\ncrlDistributionPoints=URI:%s\n' \
      "$sans" "$(cluster_crl_url)") 2>/dev/null \
    || die "making the $name certificate failed"
  rm -f "$tls/$name.csr"; echo "$sans $(cluster_crl_url)" > "$tls/$name.names"
  # Read by the containers' own users (postgres copies its key to a 0600 file of its own); the folder is the host's lock.
  chmod 644 "$tls/$name.crt" "$tls/$name.key"
}

# ---------------------------------------------------------------- images
cluster_images() {
  apt_install podman buildah runc debootstrap
  local entry name missing=()
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r name _ _ _ <<<"$entry"
    podman image exists "$(image_name "$name"):latest" || missing+=("$name")
  done
  if [ ${#missing[@]} -gt 0 ]; then say "building the missing images: ${missing[*]}"; cmd_images "${missing[@]}"; fi
  local infra recipe
  for infra in postgres rabbitmq; do
    # Tagged with its recipe's digest: a changed Dockerfile or entry script makes a new image.
    recipe="$(cat "$ROOT/deploy/cluster/Dockerfile.$infra" "$ROOT/deploy/cluster/$infra-entrypoint.sh" | sha256sum | cut -c1-12)"
    podman image exists "$(image_name "$infra"):$recipe" && continue
    images_stamp; build_base
    say "building $(image_name "$infra") from Debian's packages on the base"
    podman build --runtime runc --format docker -f "$ROOT/deploy/cluster/Dockerfile.$infra" --build-arg BASE="$(base_image)" \
      -t "$(image_name "$infra"):$recipe" -t "$(image_name "$infra"):latest" "$ROOT/deploy/cluster" >"$LOGS/image-$infra.log" 2>&1 \
      || { tail -20 "$LOGS/image-$infra.log" >&2; die "building the $infra image failed (log: $LOGS/image-$infra.log)"; }
  done
}

# ---------------------------------------------------------------- containers
# cluster_start NAME IMAGE [podman run options...] [-- command...]: a container of the cluster, detached, restarted by
# podman when it stops on its own (not when `cluster test` kills it: that is a stop podman was asked for).
cluster_start() {
  local name="$1" image="$2"; shift 2
  local ip; ip="$(cluster_ip "$name")"
  [ -n "$ip" ] || die "no address for $name"
  podman rm -f -t 5 "$name" >/dev/null 2>&1 || true
  local hosts=(); mapfile -t hosts < <(cluster_add_hosts)
  # (Without systemd podman cannot schedule the health checks and says so on stderr: the log, not the terminal.)
  "${PODMAN_RUN[@]}" -d --name "$name" --hostname "$name" --network "$CLUSTER_NET" --ip "$ip" "${hosts[@]}" \
    --label "$CLUSTER_LABEL" --cpus "$CLUSTER_CPUS" --log-opt max-size=20m "$@" "$image" >/dev/null 2>>"$LOGS/cluster-podman.log" \
    || { tail -5 "$LOGS/cluster-podman.log" >&2; die "podman run $name failed"; }
}

# The settings of one replica of a .NET process, as production has them (ANTQ_MODE=production, no demo data).
cluster_env() { # cluster_env NAME REPLICA
  local name="$1" replica="$2" ctr="$CLUSTER_PREFIX-$1-$2" nodes="" n
  for n in $(seq 1 "$CLUSTER_RABBIT_NODES"); do nodes+="$CLUSTER_PREFIX-rabbit-$n "; done
  echo "ANTQ_MODE=production"
  echo "ASPNETCORE_ENVIRONMENT=Production"
  echo "OTEL_SERVICE_NAME=antq-$name"
  echo "OTEL_RESOURCE_ATTRIBUTES=service.instance.id=$ctr"
  # Workstation GC: a dozen .NET processes share two cores here; production's pods keep the server GC.
  echo "DOTNET_gcServer=0"
  echo "Auth__Issuer=http://127.0.0.1:$CLUSTER_PORT/"
  echo "Auth__JwksUri=http://$CLUSTER_PREFIX-gateway:8080/.well-known/jwks"
  # TLS to PostgreSQL (VerifyFull), RabbitMQ (amqps, and its management API over https) and the mail server, each
  # server's certificate from the cluster's own CA, the only one trusted (SSL_CERT_FILE: .NET's root store on Linux).
  echo "SSL_CERT_FILE=/run/secrets/tls/ca.crt"
  echo "ForwardedHeaders__KnownNetworks__0=$CLUSTER_SUBNET.0/24"
  echo "Metrics__AllowedNetworks__0=$CLUSTER_SUBNET.0/24"
  echo "ConnectionStrings__rabbitmq=amqps://antq:$(cluster_secret rabbitmq-password)@$CLUSTER_PREFIX-rabbit-$(( (replica - 1) % CLUSTER_RABBIT_NODES + 1 )):5671/antq"
  echo "Bus__ManagementUrl=https://$CLUSTER_PREFIX-rabbit-$(( (replica - 1) % CLUSTER_RABBIT_NODES + 1 )):15671/"
  local i=0; for n in $nodes; do echo "Bus__ClusterNodes__$i=$n:5671"; i=$((i + 1)); done
  [ "$name" = gateway ] || echo "ConnectionStrings__$name=$(cluster_pg_connection "$name" "$CLUSTER_PREFIX-pg" /run/secrets/tls/ca.crt);Maximum Pool Size=10"
  case "$name" in
    identity)
      echo "ANTQ_ADMIN_PASSWORD=$(cluster_secret admin-password)"
      # The portal's addresses a browser is sent back to: the gateway's port on the host, and its address on the network.
      echo "Identity__PortalRedirectUris=http://127.0.0.1:$CLUSTER_PORT/signin-oidc;$(cluster_gateway_url)signin-oidc"
      echo "Identity__PortalPostLogoutRedirectUris=http://127.0.0.1:$CLUSTER_PORT/;$(cluster_gateway_url)"
      echo "Identity__SigningKeyFile=/run/secrets/identity-signing.pem" ;;
    notification)
      echo "Notification__Smtp__Host=$CLUSTER_SUBNET.1"; echo "Notification__Smtp__Port=$CLUSTER_SMTP_PORT"
      echo "Notification__Smtp__Security=StartTls"
      # Submissions reach the province as e-mail digests; a one-minute window (production: the default) lets the fault
      # run see every digest sent within its wait.
      echo "Notification__Digest__Window=$CLUSTER_DIGEST_WINDOW" ;;
    portal)
      # Identity's sign-in page is where a browser goes: its address in Identity's discovery document follows the
      # address the portal reads it at, so an address both the portal and a browser on this machine reach (the
      # gateway's on the network; a container name would not resolve in the browser, 127.0.0.1 not in the portal).
      echo "Portal__Authority=$(cluster_gateway_url)"; echo "Portal__ApiBaseAddress=http://$CLUSTER_PREFIX-gateway:8080/" ;;
    gateway)
      local backend
      for backend in $(cluster_backends); do
        for n in $(seq 1 "$CLUSTER_REPLICAS"); do
          echo "ReverseProxy__Clusters__${backend}__Destinations__d${n}__Address=http://$CLUSTER_PREFIX-$backend-$n:8080/"
        done
      done ;;
  esac
}

# The connection string of a service's own database, over TLS that checks the server's name against the cluster's CA.
cluster_pg_connection() { # cluster_pg_connection NAME HOST CA_FILE
  echo "Host=$2;Port=5432;Username=$(cluster_db "$1");Password=$(cluster_secret "db-$1");Database=$(cluster_db "$1");SSL Mode=VerifyFull;Root Certificate=$3"
}

cluster_start_process() { # cluster_start_process NAME REPLICA
  local name="$1" replica="$2" ctr="$CLUSTER_PREFIX-$1-$2"
  [ "$name" = gateway ] && ctr="$CLUSTER_PREFIX-gateway"
  local envs=(); while IFS= read -r line; do envs+=(-e "$line"); done < <(cluster_env "$name" "$replica")
  local extra=(-v "$CLUSTER_SECRETS/tls/ca.crt:/run/secrets/tls/ca.crt:ro")
  [ "$name" = identity ] && extra+=(-v "$CLUSTER_SECRETS/identity-signing.pem:/run/secrets/identity-signing.pem:ro")
  [ "$name" = gateway ] && extra+=(-p "127.0.0.1:$CLUSTER_PORT:8080")
  cluster_start "$ctr" "$(image_name "$name"):latest" --read-only --memory "$CLUSTER_MEMORY" --restart on-failure \
    "${envs[@]}" "${extra[@]}"
}

# Readiness from inside the container (the images have bash, not curl): /health/ready answering 200.
cluster_ready() { # cluster_ready CONTAINER
  podman exec "$1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -1 <&3' \
    2>/dev/null | grep -q ' 200 '
}
cluster_wait() { # cluster_wait SECONDS CHECK CONTAINER...: waits until CHECK succeeds for every container
  local limit="$1" check="$2"; shift 2
  local deadline=$((SECONDS + limit)) c pending
  while :; do
    pending=()
    for c in "$@"; do "$check" "$c" || pending+=("$c"); done
    [ ${#pending[@]} -eq 0 ] && return 0
    for c in "${pending[@]}"; do
      [ "$(podman inspect --format '{{.State.Status}}' "$c" 2>/dev/null)" = exited ] && [ "$(podman inspect --format '{{.State.ExitCode}}' "$c")" != 0 ] \
        && [ "$(podman inspect --format '{{.RestartCount}}' "$c" 2>/dev/null || echo 0)" -gt 3 ] \
        && { podman logs --tail 30 "$c" >&2; die "$c keeps stopping (podman logs $c)"; }
    done
    [ $SECONDS -ge $deadline ] && { for c in "${pending[@]}"; do podman logs --tail 15 "$c" >&2 2>&1; done; die "not ready after $limit s: ${pending[*]}"; }
    sleep 2
  done
}

pg_in_cluster() { podman exec "$CLUSTER_PREFIX-pg" psql -h /tmp -U antq -d postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }
cluster_pg_ready() { podman exec "$1" bash -c '$(ls -d /usr/lib/postgresql/*/bin | tail -1)/pg_isready -h /tmp -q' 2>/dev/null; }
rabbitmqctl_in() { podman exec "$1" rabbitmqctl -q "${@:2}"; }
cluster_rabbit_ready() { podman exec "$1" rabbitmq-diagnostics -q check_running >/dev/null 2>&1; }
cluster_rabbit_members() { # the running nodes as node 1 (or the first answering) sees them
  local n
  local n out
  for n in $(seq 1 "$CLUSTER_RABBIT_NODES"); do
    out="$(podman exec "$CLUSTER_PREFIX-rabbit-$n" rabbitmqctl -q eval \
      'io:format("~s~n", [string:join(lists:sort([atom_to_list(N) || N <- rabbit_nodes:all_running()]), " ")]).' 2>/dev/null)" || continue
    [ -n "$out" ] && { echo "${out%%$'\n'*}"; return 0; }
  done
  return 1
}
cluster_rabbit_joined() { [ "$(cluster_rabbit_members | wc -w)" -ge "$CLUSTER_RABBIT_NODES" ]; }

cluster_postgres() {
  podman volume exists "$CLUSTER_PREFIX-pg" || podman volume create --label "$CLUSTER_LABEL" "$CLUSTER_PREFIX-pg" >/dev/null
  cluster_start "$CLUSTER_PREFIX-pg" "$(image_name postgres):latest" --memory 512m --restart on-failure --shm-size 128m \
    -v "$CLUSTER_PREFIX-pg:/var/lib/postgresql/data:U" -v "$CLUSTER_SECRETS/pg-password:/run/secrets/pg-password:ro" \
    -v "$CLUSTER_SECRETS/tls/postgres.crt:/run/secrets/tls/server.crt:ro" -v "$CLUSTER_SECRETS/tls/postgres.key:/run/secrets/tls/server.key:ro"
  cluster_wait 120 cluster_pg_ready "$CLUSTER_PREFIX-pg"
  # One role per service, owning its database and able to reach no other (CONNECT is revoked from PUBLIC).
  local name db
  for name in $(cluster_backends); do
    db="$(cluster_db "$name")"
    pg_in_cluster -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$db') THEN CREATE ROLE \"$db\" LOGIN; END IF; END \$\$" \
      -c "ALTER ROLE \"$db\" PASSWORD '$(cluster_secret "db-$name")'"
    [ "$(pg_in_cluster -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" = 1 ] || pg_in_cluster -c "CREATE DATABASE \"$db\" OWNER \"$db\""
    pg_in_cluster -c "REVOKE CONNECT ON DATABASE \"$db\" FROM PUBLIC"
  done
}

cluster_rabbitmq() {
  local n names=() nodes="" fresh=""
  for n in $(seq 1 "$CLUSTER_RABBIT_NODES"); do nodes+="rabbit@$CLUSTER_PREFIX-rabbit-$n "; done
  podman volume exists "$CLUSTER_PREFIX-rabbit-1" || fresh=1
  for n in $(seq 1 "$CLUSTER_RABBIT_NODES"); do
    local ctr="$CLUSTER_PREFIX-rabbit-$n"; names+=("$ctr")
    podman volume exists "$ctr" || podman volume create --label "$CLUSTER_LABEL" "$ctr" >/dev/null
    cluster_start "$ctr" "$(image_name rabbitmq):latest" --memory 512m --restart on-failure \
      -e "RABBITMQ_NODENAME=rabbit@$ctr" -e "RABBITMQ_CLUSTER_NODES=$nodes" -e RABBITMQ_DEFAULT_USER=antq \
      -e "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none" \
      -v "$ctr:/var/lib/rabbitmq:U" -v "$CLUSTER_SECRETS/erlang-cookie:/run/secrets/erlang-cookie:ro" \
      -v "$CLUSTER_SECRETS/rabbitmq-password:/run/secrets/rabbitmq-password:ro" \
      -v "$CLUSTER_SECRETS/tls/ca.crt:/run/secrets/tls/ca.crt:ro" -v "$CLUSTER_SECRETS/tls/rabbitmq.crt:/run/secrets/tls/server.crt:ro" \
      -v "$CLUSTER_SECRETS/tls/rabbitmq.key:/run/secrets/tls/server.key:ro"
    # A new cluster: the first node alone, so that it forms the cluster the others then join (classic peer discovery,
    # no race). An existing one: all at once, since a node that was not the last to stop waits for its peers to boot.
    [ "$n" = 1 ] && [ -n "$fresh" ] && cluster_wait 180 cluster_rabbit_ready "$ctr"
  done
  cluster_wait 240 cluster_rabbit_ready "${names[@]}"
  local deadline=$((SECONDS + 120))
  until cluster_rabbit_joined; do
    [ $SECONDS -ge $deadline ] && die "RabbitMQ nodes did not form one cluster: $(cluster_rabbit_members || echo none answers)"
    sleep 2
  done
  rabbitmqctl_in "$CLUSTER_PREFIX-rabbit-1" add_vhost antq >/dev/null 2>&1 || true
  rabbitmqctl_in "$CLUSTER_PREFIX-rabbit-1" set_permissions -p antq antq '.*' '.*' '.*' >/dev/null
}

cluster_mail_catcher() {
  local pidfile="$CLUSTER_DIR/smtp-catcher.pid"
  pid_alive "$pidfile" 2>/dev/null && return
  python3 -c 'import aiosmtpd' 2>/dev/null || apt_install python3-aiosmtpd
  mkdir -p "$CLUSTER_DIR/mail"
  (exec setsid /usr/bin/python3 "$ROOT/deploy/smtp-catcher.py" --host "$CLUSTER_SUBNET.1" --port "$CLUSTER_SMTP_PORT" \
    --dir "$CLUSTER_DIR/mail" --tls-cert "$CLUSTER_SECRETS/tls/smtp.crt" --tls-key "$CLUSTER_SECRETS/tls/smtp.key" \
    >"$LOGS/cluster-smtp-catcher.log" 2>&1 < /dev/null) &
  echo $! > "$pidfile"
  local i; for i in $(seq 1 50); do grep -q listening "$LOGS/cluster-smtp-catcher.log" 2>/dev/null && return; sleep 0.2; done
  cat "$LOGS/cluster-smtp-catcher.log" >&2; die "the cluster's SMTP catcher did not start"
}

cluster_up() {
  command -v openssl >/dev/null || apt_install openssl
  mkdir -p "$CLUSTER_DIR"
  cluster_images
  cluster_secrets
  local t0=$SECONDS
  podman network exists "$CLUSTER_NET" || podman network create --subnet "$CLUSTER_SUBNET.0/24" --gateway "$CLUSTER_SUBNET.1" \
    --label "$CLUSTER_LABEL" "$CLUSTER_NET" >/dev/null
  say "PostgreSQL"; cluster_postgres
  cluster_mail_catcher
  cluster_crl_server
  say "RabbitMQ: $CLUSTER_RABBIT_NODES nodes"; cluster_rabbitmq
  say "RabbitMQ cluster: $(cluster_rabbit_members) ($((SECONDS - t0)) s)"
  # Identity first (the others read its keys through the gateway when a token comes), then the rest two by two: the
  # machine is small, and a dozen .NET starts at once would each take the time of all.
  local name n ctrs=()
  for name in $(cluster_backends); do
    local batch=()
    for n in $(seq 1 "$CLUSTER_REPLICAS"); do
      cluster_start_process "$name" "$n"; batch+=("$CLUSTER_PREFIX-$name-$n")
      # Identity's first replica alone until ready: two first starts at once both migrate and seed the antq-cli client
      # (a duplicate column, then OpenIddict's duplicate application), and one of them failed and was restarted.
      [ "$name" = identity ] && [ "$n" = 1 ] && cluster_wait 600 cluster_ready "$CLUSTER_PREFIX-$name-1"
    done
    say "$name: ${batch[*]}"
    cluster_wait 600 cluster_ready "${batch[@]}"
    ctrs+=("${batch[@]}")
    say "$name ready ($((SECONDS - t0)) s)"
  done
  cluster_start_process gateway 1
  cluster_wait 300 cluster_ready "$CLUSTER_PREFIX-gateway"
  curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$CLUSTER_PORT/health/ready" || die "the gateway does not answer on 127.0.0.1:$CLUSTER_PORT"
  say "cluster ready in $((SECONDS - t0)) s: http://127.0.0.1:$CLUSTER_PORT/ (admin's password: $CLUSTER_SECRETS/admin-password)"
}

# The named processes' containers made again from their current images (after `deploy/antq images NAME`), one replica
# at a time, each waited for: a rolling restart.
cluster_restart() {
  [ $# -gt 0 ] || die "usage: deploy/antq cluster restart PROCESS..."
  local name n ctr
  for name in "$@"; do
    for n in $(seq 1 "$CLUSTER_REPLICAS"); do
      ctr="$CLUSTER_PREFIX-$name-$n"; [ "$name" = gateway ] && ctr="$CLUSTER_PREFIX-gateway"
      cluster_start_process "$name" "$n"
      cluster_wait 600 cluster_ready "$ctr"
      say "$ctr restarted"
      [ "$name" = gateway ] && break
    done
  done
}

cluster_containers() { podman ps -a --filter "label=$CLUSTER_LABEL" --format '{{.Names}}' | sort -V; }

cluster_down() {
  local c
  for c in $(cluster_containers); do podman rm -f -t 10 "$c" >/dev/null 2>&1 || true; done
  local pidfile
  for pidfile in "$CLUSTER_DIR/smtp-catcher.pid" "$CLUSTER_DIR/crl-server.pid"; do
    [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null; rm -f "$pidfile"
  done
  podman network exists "$CLUSTER_NET" && podman network rm "$CLUSTER_NET" >/dev/null
  if [ "${1:-}" = --wipe ]; then
    podman volume ls -q --filter "label=$CLUSTER_LABEL" | xargs -r podman volume rm -f >/dev/null
    rm -rf "$CLUSTER_DIR"
    say "cluster removed, with its volumes and secrets"
  else
    say "cluster stopped (volumes and secrets kept: cluster down --wipe removes them)"
  fi
}

cluster_status() {
  local c ready
  printf '%-26s %-10s %-8s %s\n' container state ready restarts
  for c in $(cluster_containers); do
    case "$c" in
      *-pg) cluster_pg_ready "$c" && ready=yes || ready=no ;;
      *-rabbit-*) cluster_rabbit_ready "$c" && ready=yes || ready=no ;;
      *) cluster_ready "$c" && ready=yes || ready=no ;;
    esac
    printf '%-26s %-10s %-8s %s\n' "$c" "$(podman inspect --format '{{.State.Status}}' "$c")" "$ready" "$(podman inspect --format '{{.RestartCount}}' "$c")"
  done
  echo
  echo "RabbitMQ cluster, running nodes: $(cluster_rabbit_members || echo 'none answers')"
  local n
  for n in $(seq 1 "$CLUSTER_RABBIT_NODES"); do
    if podman exec "$CLUSTER_PREFIX-rabbit-$n" true 2>/dev/null; then
      echo "queues of the antq virtual host (as node $n sees them):"
      { echo "name type messages consumers leader members"
        podman exec "$CLUSTER_PREFIX-rabbit-$n" rabbitmqctl -q list_queues --no-table-headers -p antq name type messages consumers leader members 2>/dev/null \
          | sed 's/\[\(.*\)\]/\1/; s/, /,/g' | sort; } | column -t
      break
    fi
  done
  echo
  podman stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.CPUPerc}}' $(cluster_containers) 2>/dev/null \
    | sort -V | column -t
  cluster_memory_total
  echo "gateway: http://127.0.0.1:$CLUSTER_PORT/health/ready answers $(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$CLUSTER_PORT/health/ready" 2>/dev/null || true)"
}

cluster_memory_total() { # the sum of the containers' memory, in MiB
  podman stats --no-stream --format '{{.MemUsage}}' $(cluster_containers) 2>/dev/null | awk '
    { v = $1; u = v; gsub(/[0-9.]/, "", u); sub(/[a-zA-Z]+$/, "", v)
      f = (u == "GB" || u == "GiB") ? 1024 : (u == "kB" || u == "KiB") ? 1 / 1024 : (u == "B") ? 1 / 1048576 : 1
      total += v * f }
    END { printf "memory of the cluster: %.0f MiB\n", total }'
}

cmd_cluster() {
  case "${1:-}" in
    up) cluster_up ;;
    down) shift; cluster_down "$@" ;;
    status) cluster_status ;;
    restart) shift; cluster_restart "$@" ;;
    test) shift; . "$ROOT/deploy/cluster/faults.sh"; cluster_faults "$@" ;;
    *) die "usage: deploy/antq cluster up | down [--wipe] | status | restart PROCESS... | test" ;;
  esac
}
