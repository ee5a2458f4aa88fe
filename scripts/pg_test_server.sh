#!/usr/bin/env bash
# Source this file: starts a throwaway PostgreSQL cluster on 127.0.0.1 for the test suite,
# exports SANTELOC_TEST_PG_URL, and stops and removes the cluster when the calling shell exits.
# Works as root (runs the server as the 'postgres' user) or as an ordinary user.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL est introuvable : lancez scripts/setup.sh --test" >&2
  return 1 2>/dev/null || exit 1
fi
pg_port=${SANTELOC_TEST_PG_PORT:-54329}
pg_dir=$(mktemp -d /tmp/santeloc-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then
  chown postgres "$pg_dir"
  pg_as=(runuser -u postgres --)
  pg_user=postgres
else
  pg_as=()
  pg_user=$(id -un)
fi
"${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U "$pg_user" -A trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
  || { cat "$pg_dir/initdb.log" >&2; return 1 2>/dev/null || exit 1; }
"${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$pg_dir/server.log" >&2; return 1 2>/dev/null || exit 1; }
export SANTELOC_TEST_PG_URL="postgresql+psycopg2://$pg_user@127.0.0.1:$pg_port/postgres"
santeloc_pg_stop() {
  "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap santeloc_pg_stop EXIT
echo "PostgreSQL de test démarré sur 127.0.0.1:$pg_port"
