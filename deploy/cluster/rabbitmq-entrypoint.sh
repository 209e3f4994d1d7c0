#!/bin/bash
# One node of the cluster: its Erlang cookie from /run/secrets/erlang-cookie (the same on every node), the others from
# RABBITMQ_CLUSTER_NODES (space-separated rabbit@host names: classic peer discovery, so a node joins those already
# running), the default user from RABBITMQ_DEFAULT_USER and /run/secrets/rabbitmq-password.
set -euo pipefail
home=/var/lib/rabbitmq
install -m 400 /run/secrets/erlang-cookie "$home/.erlang.cookie"
conf="$home/rabbitmq.conf"
{
  echo "cluster_formation.peer_discovery_backend = classic_config"
  i=1; for node in ${RABBITMQ_CLUSTER_NODES:-}; do echo "cluster_formation.classic_config.nodes.$i = $node"; i=$((i + 1)); done
  # A node cut off from the majority stops serving rather than diverging; it resumes when it sees the others again.
  echo "cluster_partition_handling = pause_minority"
  echo "default_user = ${RABBITMQ_DEFAULT_USER:-antq}"
  echo "default_pass = $(cat /run/secrets/rabbitmq-password)"
  echo "loopback_users = none"
  echo "vm_memory_high_watermark.absolute = ${RABBITMQ_MEMORY:-256MiB}"
  echo "disk_free_limit.absolute = 100MB"
  # TLS with the cluster's certificate (mounted at /run/secrets/tls): AMQP on 5671 and the management API on 15671,
  # no plaintext AMQP listener.
  if [ -s /run/secrets/tls/server.key ]; then
    echo "listeners.tcp = none"
    echo "listeners.ssl.default = 5671"
    for o in ssl_options management.ssl; do
      echo "$o.cacertfile = /run/secrets/tls/ca.crt"
      echo "$o.certfile = /run/secrets/tls/server.crt"
      echo "$o.keyfile = /run/secrets/tls/server.key"
    done
    echo "ssl_options.verify = verify_none"
    echo "ssl_options.fail_if_no_peer_cert = false"
    echo "ssl_options.versions.1 = tlsv1.3"
    echo "ssl_options.versions.2 = tlsv1.2"
    echo "management.ssl.port = 15671"
  fi
  echo "log.console = true"
  echo "log.file = false"
} > "$conf"
export RABBITMQ_CONFIG_FILE="$conf" RABBITMQ_MNESIA_BASE="$home/mnesia" RABBITMQ_LOG_BASE=/tmp
exec rabbitmq-server
