#!/bin/bash
# Makes the cluster on first start (the superuser's password from /run/secrets/pg-password), then runs the server.
# Local connections inside the container are trusted (deploy/antq cluster creates the databases through them);
# connections over the network need a password (scram-sha-256), and TLS when the certificate is mounted.
set -euo pipefail
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
data=/var/lib/postgresql/data/pgdata
if [ ! -s "$data/PG_VERSION" ]; then
  "$bin/initdb" -D "$data" -U "${POSTGRES_USER:-antq}" --pwfile=/run/secrets/pg-password --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$data/pg_hba.conf"
fi
# TLS with the cluster's certificate (mounted at /run/secrets/tls): the key copied to a file of the server's own, mode
# 0600, as PostgreSQL requires; the network's connections must use it (hostssl), none in plaintext.
tls=()
if [ -s /run/secrets/tls/server.key ]; then
  install -m 600 /run/secrets/tls/server.key "$data/server.key"
  install -m 644 /run/secrets/tls/server.crt "$data/server.crt"
  sed -i 's/^host all all 0.0.0.0\/0 scram-sha-256$/hostssl all all 0.0.0.0\/0 scram-sha-256/' "$data/pg_hba.conf"
  tls=(-c ssl=on -c ssl_cert_file="$data/server.crt" -c ssl_key_file="$data/server.key" -c ssl_min_protocol_version=TLSv1.2)
fi
exec "$bin/postgres" -D "$data" -c listen_addresses='*' -c unix_socket_directories=/tmp "${tls[@]}" \
  -c max_connections="${POSTGRES_MAX_CONNECTIONS:-400}" -c shared_buffers="${POSTGRES_SHARED_BUFFERS:-128MB}"
