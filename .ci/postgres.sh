#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the aml-store-jdbc tests and benchmarks.
#
#   eval "$(.ci/postgres.sh start)"   # prints export lines: AML_TEST_JDBC_URL, _USER, _PASSWORD, AML_PG_DIR
#   .ci/postgres.sh stop               # stops the cluster named by $AML_PG_DIR and deletes its directory
#   .ci/postgres.sh exec CMD [ARG...]  # start, run CMD with the variables exported, always stop; CMD's exit code
#
# The cluster lives in a fresh temp directory, belongs to a non-root user (initdb refuses root: as root the
# script uses the 'postgres' account, creating an 'amlpg' account if that one is missing), listens on a free
# port of 127.0.0.1 only, and requires a password (scram-sha-256) generated per run. If initdb is not
# installed the script installs PostgreSQL with apt-get first. Log lines go to stderr; only the export
# lines go to stdout.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"; return 0
    fi
    return 1
}

ensure_installed() {
    if find_bin >/dev/null; then return 0; fi
    if [[ $(id -u) -ne 0 ]]; then
        log "initdb not found and not root: install PostgreSQL 15+ (apt-get install postgresql) and retry"
        exit 3
    fi
    log "initdb not found: installing postgresql with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y postgresql >&2 || { apt-get update >&2 && apt-get install -y postgresql >&2; }
    find_bin >/dev/null || { log "postgresql installed but initdb still not found under /usr/lib/postgresql/*/bin"; exit 3; }
}

run_as() { # run_as USER CMD... (as root: switch to USER; otherwise run directly)
    local user=$1; shift
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

pg_user() {
    if [[ $(id -u) -ne 0 ]]; then id -un; return; fi
    if id postgres >/dev/null 2>&1; then echo postgres; return; fi
    id amlpg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin amlpg >&2
    echo amlpg
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
    ensure_installed
    local bin os_user dir pass port
    bin=$(find_bin)
    os_user=$(pg_user)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/aml-pg.XXXXXX")
    chmod 700 "$dir"
    pass=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    printf '%s\n' "$pass" > "$dir/pwfile"
    [[ $(id -u) -eq 0 ]] && chown -R "$os_user" "$dir"
    log "initdb in $dir as OS user '$os_user' ($bin)"
    run_as "$os_user" "$bin/initdb" -D "$dir/data" -U aml --pwfile="$dir/pwfile" --auth=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 4; }
    rm -f "$dir/pwfile"
    local tries=0
    while :; do
        port=$(( 20000 + RANDOM % 20000 ))
        if port_free "$port"; then
            if run_as "$os_user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
                -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c max_connections=200" \
                >&2; then
                break
            fi
        fi
        tries=$((tries + 1))
        if (( tries >= 10 )); then log "could not start the server; last log:"; tail -20 "$dir/server.log" >&2; exit 5; fi
    done
    PGPASSWORD=$pass "$bin/psql" -h 127.0.0.1 -p "$port" -U aml -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE DATABASE aml_test" >&2
    cat > "$dir/env" <<ENV
export AML_PG_DIR='$dir'
export AML_TEST_JDBC_URL='jdbc:postgresql://127.0.0.1:$port/aml_test'
export AML_TEST_JDBC_USER='aml'
export AML_TEST_JDBC_PASSWORD='$pass'
ENV
    chmod 600 "$dir/env"
    log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port, database aml_test"
    cat "$dir/env"
}

stop() {
    local dir=${1:-${AML_PG_DIR:-}}
    if [[ -z "$dir" || ! -d "$dir" ]]; then log "nothing to stop (AML_PG_DIR is unset or gone)"; return 0; fi
    case "$dir" in "${TMPDIR:-/tmp}"/aml-pg.*) ;; *) log "refusing to remove '$dir': not a directory this script made"; return 1;; esac
    local bin owner
    bin=$(find_bin)
    owner=$(stat -c %U "$dir")
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        run_as "$owner" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || log "pg_ctl stop failed; removing anyway"
    fi
    rm -rf "$dir"
    log "stopped and removed $dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    exec)
        shift
        [[ $# -gt 0 ]] || { log "usage: $0 exec CMD [ARG...]"; exit 2; }
        eval "$(start)"
        trap 'stop "$AML_PG_DIR"' EXIT
        set +e
        "$@"
        status=$?
        exit $status
        ;;
    *) echo "usage: $0 start | stop [DIR] | exec CMD [ARG...]" >&2; exit 2 ;;
esac
