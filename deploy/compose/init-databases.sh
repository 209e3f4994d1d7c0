#!/bin/sh
# Runs once, when the PostgreSQL volume is new: one database per service, all owned by the platform's role.
set -eu
for db in antq_identity antq_plan antq_reporting antq_classification antq_notification; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -c "CREATE DATABASE $db OWNER \"$POSTGRES_USER\" ENCODING 'UTF8' TEMPLATE template0"
done
