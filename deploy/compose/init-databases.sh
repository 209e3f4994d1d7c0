#!/bin/sh
# Runs once, when the PostgreSQL volume is new: one database per service, owned by the platform's owner role
# ($POSTGRES_USER, which alone migrates), and each service's own login role <db>_svc with the password of
# ANTQ_PG_<SERVICE>_PASSWORD (docs/security.md). The role may connect to its database only; the service grants it
# the rows of its tables (and only INSERT on the audit) from the owner's connection when it starts.
set -eu
for service in identity plan reporting classification notification; do
  db="antq_$service"
  role="${db}_svc"
  password="$(printenv "ANTQ_PG_$(echo "$service" | tr '[:lower:]' '[:upper:]')_PASSWORD")"
  [ -n "$password" ] || { echo "ANTQ_PG_$(echo "$service" | tr '[:lower:]' '[:upper:]')_PASSWORD is not set" >&2; exit 1; }
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v role="$role" -v password="$password" <<SQL
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE $db OWNER "$POSTGRES_USER" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE $db FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE $db TO :"role";
SQL
done
