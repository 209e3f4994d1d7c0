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
  echo "log.console = true"
  echo "log.file = false"
} > "$conf"
export RABBITMQ_CONFIG_FILE="$conf" RABBITMQ_MNESIA_BASE="$home/mnesia" RABBITMQ_LOG_BASE=/tmp
exec rabbitmq-server
