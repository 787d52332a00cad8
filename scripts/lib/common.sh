# shellcheck shell=bash
# Shared helpers for scripts/bench.sh and scripts/realworld.sh (sourced, not run).
#
# Everything lives under $BENCH_DIR (default .bench/, gitignored):
#   bin/        nilsentry, peer tools, and the vet-<tool> wrappers
#   src/<name>  writable copies of the benchmark modules (fetched through the Go module proxy)
#   gocache/    a private GOCACHE, kept warm for compilation (analysis is never served from it)
#   runs/, findings/, results.md, realworld/   outputs

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_DIR=${BENCH_DIR:-$ROOT/.bench}
case $BENCH_DIR in /*) ;; *) BENCH_DIR=$ROOT/$BENCH_DIR ;; esac
BIN=$BENCH_DIR/bin
SRC=$BENCH_DIR/src

# Pinned peer tools (benchmark tools only, never dependencies of nilsentry).
NILNESS_PKG=golang.org/x/tools/go/analysis/passes/nilness/cmd/nilness
NILNESS_VERSION=v0.52.0
NILAWAY_PKG=go.uber.org/nilaway/cmd/nilaway
NILAWAY_VERSION=v0.0.0-20260918162853-acb8859b9031

# The pinned module set. A name maps to module@version; "std" is the standard
# library of the Go toolchain in use. Any module@version can also be given directly.
FULL_SET="std x-tools prometheus go-ethereum"
CI_SET="std x-tools"
# scripts/holdout.sh: two more tuning modules, and the held-out modules, whose
# findings are only counted to check a finished change, never read to design one.
# READ_SET was held out until its samples were triaged (2026-12-07): its
# findings have been read since, so it checks nothing new (docs/triage.md).
# HELD_OUT_SET was checked at 8cd866c and FRESH2_SET at cd1d723 (2026-12-07);
# both have been read since. A next check needs modules none of these names.
TUNE_SET="badger minio-go"
READ_SET="caddy nats-server ebpf containerd"
HELD_OUT_SET="grpc pgx go-redis pebble"
# FRESH2_SET: a second held-out set, added 2026-12-07, triaged at cd1d723.
# (nats.go v1.56.0 was tried first and dropped: its encoders/protobuf imports
# google.golang.org/protobuf, which its go.mod does not require, so go vet
# fails to load the module and analyzes nothing.)
FRESH2_SET="sarama raft echo clickhouse"
# FRESH3_SET: a third held-out set, added 2026-12-07, checked at 7a355a2 and
# read since (docs/triage.md). A next check needs modules none of these sets name. (Dropped when it was chosen: mongo-driver v1.17.10, whose zip
# keeps vendor/modules.txt, so go vet loads with -mod=vendor and fails; gin
# v1.12.0, go-sql-driver/mysql v1.10.2 and zap v1.28.0 as too small; miekg/dns
# v1.1.73 as 28% generated code.)
FRESH3_SET="fasthttp consul-api kafka-go gocql"
# FRESH4_SET: a fourth held-out set, added 2026-12-07, never read: chosen and
# loaded without a nilsentry run. (Dropped when it was chosen: etcd's
# client/v3 v3.7.3, vault/api v1.23.0, memberlist v0.7.0, goccy/go-yaml v1.19.2
# and tcell/v2 v2.13.10 as too small; expr v1.17.8 as 33% generated code;
# hcl/v2 v2.25.0 as 20% generated code (its ragel scanner); nomad/api as one
# more HashiCorp API client beside consul-api. Left out untried: quic-go and
# bbolt, parts of which were read in triaging READ_SET.)
FRESH4_SET="go-git goja libp2p bleve"
# FRESH5_SET: a fifth held-out set, added 2026-12-07, never read: chosen and
# loaded without a nilsentry run; six modules, so the check has more code.
# (Dropped when it was chosen: hugo v0.166.0 and later, whose go.mod needs Go
# 1.27, for v0.165.0. Passed over on their line counts: syncthing v1.30.0 as
# 14% generated code (protobuf); go-jsonnet v0.22.0 as 92% generated code (its
# stdlib AST); goldmark v1.8.7, gojq v0.12.20 and casbin/v2 v2.135.0 as too
# small; gorm v1.31.2 and bun v1.3.0 as barely 15k lines. hugo keeps a copy of
# the standard library's text/template and html/template
# (tpl/internal/go_templates, 12k of its 126k lines), and its go vet took about
# an hour on this machine beside another run.)
FRESH5_SET="esbuild wazero pdfcpu webrtc hugo k9s"
# FRESH6_SET: a sixth held-out set, added 2026-12-07 (eighth session), chosen
# and loaded without a nilsentry run, never read: to check the seventh and
# eighth sessions' mechanisms on code nobody tuned on. (Dropped when it was
# chosen: go-mysql-server v0.20.0, 5.1M lines of which 4.9M are collation
# tables and engine test scripts outside _test.go files.)
FRESH6_SET="yq natscli fiber asynq"

# A reproducible Go environment: no toolchain switching, no workspace, no user
# GOFLAGS, a private build cache. GOPROXY/GOSUMDB/GOMODCACHE are left as they are.
export GOTOOLCHAIN=local GOWORK=off GOFLAGS=
export GOCACHE=$BENCH_DIR/gocache

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

module_spec() {
	case $1 in
	std) echo std ;;
	x-tools) echo golang.org/x/tools@v0.52.0 ;;
	prometheus) echo github.com/prometheus/prometheus@v0.316.0 ;;
	go-ethereum) echo github.com/ethereum/go-ethereum@v1.17.10 ;;
	badger) echo github.com/dgraph-io/badger/v4@v4.9.6 ;;
	minio-go) echo github.com/minio/minio-go/v7@v7.4.1 ;;
	caddy) echo github.com/caddyserver/caddy/v2@v2.11.9 ;;
	nats-server) echo github.com/nats-io/nats-server/v2@v2.15.3 ;;
	ebpf) echo github.com/cilium/ebpf@v0.22.0 ;;
	containerd) echo github.com/containerd/containerd/v2@v2.4.2 ;;
	grpc) echo google.golang.org/grpc@v1.85.0 ;;
	pgx) echo github.com/jackc/pgx/v5@v5.13.0 ;;
	go-redis) echo github.com/redis/go-redis/v9@v9.23.0 ;;
	pebble) echo github.com/cockroachdb/pebble@v1.1.5 ;;
	sarama) echo github.com/IBM/sarama@v1.61.1 ;;
	raft) echo github.com/hashicorp/raft@v1.7.2 ;;
	echo) echo github.com/labstack/echo/v4@v4.16.5 ;;
	clickhouse) echo github.com/ClickHouse/clickhouse-go/v2@v2.51.0 ;;
	fasthttp) echo github.com/valyala/fasthttp@v1.79.0 ;;
	consul-api) echo github.com/hashicorp/consul/api@v1.34.5 ;;
	kafka-go) echo github.com/segmentio/kafka-go@v0.4.51 ;;
	gocql) echo github.com/gocql/gocql@v1.7.0 ;;
	go-git) echo github.com/go-git/go-git/v5@v5.19.3 ;;
	goja) echo github.com/dop251/goja@v0.0.0-20260311135729-065cd970411c ;;
	libp2p) echo github.com/libp2p/go-libp2p@v0.52.0 ;;
	bleve) echo github.com/blevesearch/bleve/v2@v2.6.3 ;;
	esbuild) echo github.com/evanw/esbuild@v0.28.2 ;;
	wazero) echo github.com/tetratelabs/wazero@v1.12.0 ;;
	pdfcpu) echo github.com/pdfcpu/pdfcpu@v0.15.0 ;;
	webrtc) echo github.com/pion/webrtc/v4@v4.2.26 ;;
	hugo) echo github.com/gohugoio/hugo@v0.165.0 ;;
	k9s) echo github.com/derailed/k9s@v0.50.16 ;;
	yq) echo github.com/mikefarah/yq/v4@v4.54.3 ;;
	natscli) echo github.com/nats-io/natscli@v0.5.0 ;;
	fiber) echo github.com/gofiber/fiber/v3@v3.1.0 ;;
	asynq) echo github.com/hibiken/asynq@v0.26.0 ;;
	*@*) echo "$1" ;;
	*) die "unknown module '$1' (known: $FULL_SET $TUNE_SET $READ_SET $HELD_OUT_SET $FRESH2_SET $FRESH3_SET $FRESH4_SET $FRESH5_SET $FRESH6_SET, or give module@version)" ;;
	esac
}

# module_name SPEC-OR-NAME: a file-system friendly name (github.com/a/b@v1.2 -> b@v1.2).
module_name() {
	case $1 in
	*@*) local p=${1%@*}; echo "${p##*/}@${1#*@}" ;;
	*) echo "$1" ;;
	esac
}

# module_path NAME: the import path prefix of the module ("" for std).
module_path() {
	local spec; spec=$(module_spec "$1")
	[ "$spec" = std ] && return 0
	echo "${spec%@*}"
}

# module_dir NAME: where to run go vet; module_pattern NAME: what to run it on.
module_dir() {
	if [ "$(module_spec "$1")" = std ]; then go env GOROOT | sed 's,$,/src,'; else echo "$SRC/$(module_name "$1")"; fi
}
module_pattern() {
	if [ "$(module_spec "$1")" = std ]; then echo std; else echo ./...; fi
}

need_time() {
	if [ -x /usr/bin/time ] && /usr/bin/time -f '%M' true >/dev/null 2>&1; then return 0; fi
	log "installing GNU time (Debian package 'time') for peak RSS"
	local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get install -y time >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y time >/dev/null; } ||
		die "need GNU time at /usr/bin/time (apt-get install time)"
}

# make_wrapper TOOL REAL: writes $BIN/vet-TOOL, the -vettool handed to go vet.
#  - "-V=full" appends $BENCH_NONCE to the tool's build ID. go vet keys its result
#    cache on that ID, so a fresh nonce forces every package (and every dependency
#    that needs facts) to be analyzed again while compiled export data stays cached.
#  - every analysis process runs under GNU time; with $BENCH_RSS_LOG set, one line
#    "BENCHRSS <wall s> <max RSS KiB> <exit> <user s> <sys s> <pkg|dep> <package ID>"
#    per process is appended to it ("dep": a dependency analyzed only for its facts).
make_wrapper() {
	local tool=$1 real=$2
	mkdir -p "$BIN"
	cat >"$BIN/vet-$tool" <<WRAP
#!/bin/sh
# generated by scripts/lib/common.sh: go vet -vettool wrapper for $tool
real='$real'
case "\$1" in
-V=full) out=\$("\$real" -V=full) || exit \$?; echo "\$out-\${BENCH_NONCE:-0}"; exit 0 ;;
-flags) exec "\$real" "\$@" ;;
esac
if [ -n "\${BENCH_RSS_LOG:-}" ]; then
	for cfg; do :; done # go vet passes the package's vet.cfg last
	id=\$(sed -n 's/^[[:space:]]*"ID": "\(.*\)",\$/\1/p' "\$cfg" 2>/dev/null | head -1)
	if grep -q '"VetxOnly": true' "\$cfg" 2>/dev/null; then kind=dep; else kind=pkg; fi
	exec /usr/bin/time -q -a -o "\$BENCH_RSS_LOG" -f "BENCHRSS %e %M %x %U %S \$kind \${id:-?}" "\$real" "\$@"
fi
exec "\$real" "\$@"
WRAP
	chmod +x "$BIN/vet-$tool"
}

build_nilsentry() {
	log "building nilsentry from $ROOT"
	# The commit is recorded now: the tree may move on while a bench runs.
	NILSENTRY_COMMIT=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')
	(cd "$ROOT" && go build -o "$BIN/nilsentry" ./cmd/nilsentry)
	make_wrapper nilsentry "$BIN/nilsentry"
}

install_peers() {
	local stamp=$BIN/.peers
	local want="nilness@$NILNESS_VERSION nilaway@$NILAWAY_VERSION $(go env GOVERSION)"
	if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x "$BIN/nilness" ] || [ ! -x "$BIN/nilaway" ]; then
		log "installing nilness@$NILNESS_VERSION and nilaway@$NILAWAY_VERSION into $BIN"
		GOBIN=$BIN go install "$NILNESS_PKG@$NILNESS_VERSION"
		GOBIN=$BIN go install "$NILAWAY_PKG@$NILAWAY_VERSION"
		echo "$want" >"$stamp"
	fi
	make_wrapper nilness "$BIN/nilness"
	make_wrapper nilaway "$BIN/nilaway"
}

# fetch_module NAME: a writable copy of module@version in $SRC/<name>, with all
# its dependencies downloaded (the module is the main module, so its go.sum and
# test dependencies are used exactly as its authors pinned them).
fetch_module() {
	local spec name dir stamp moddir
	spec=$(module_spec "$1"); [ "$spec" = std ] && return 0
	name=$(module_name "$1"); dir=$SRC/$name; stamp=$SRC/$name.spec
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$spec" ] && [ -f "$dir/go.mod" ]; then return 0; fi
	log "fetching $spec through $(go env GOPROXY | cut -d, -f1)"
	moddir=$(go mod download -json "$spec" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
	[ -n "$moddir" ] && [ -d "$moddir" ] || die "go mod download $spec gave no Dir"
	rm -rf "$dir"; mkdir -p "$SRC"
	cp -r "$moddir" "$dir"; chmod -R u+w "$dir"
	(cd "$dir" && go mod download)
	echo "$spec" >"$stamp"
}

# count_lines NAME: prints "<analyzed lines> <files> <lines with dependencies>".
# Analyzed: all lines of the .go files go vet analyzes for the pattern
# (GoFiles, CgoFiles, TestGoFiles, XTestGoFiles under this GOOS/GOARCH;
# generated files included, testdata excluded). With dependencies: plus the
# GoFiles and CgoFiles of every dependency (test dependencies included), which a
# tool with facts analyzes too. (Generated test mains, listed with absolute
# paths in the build cache, are left out.)
count_lines() {
	local dir pat tmp
	dir=$(module_dir "$1"); pat=$(module_pattern "$1"); tmp=$BENCH_DIR/.files.$$
	(cd "$dir" && go list -e -f '{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}
{{end}}{{range .CgoFiles}}{{$d}}/{{.}}
{{end}}{{range .TestGoFiles}}{{$d}}/{{.}}
{{end}}{{range .XTestGoFiles}}{{$d}}/{{.}}
{{end}}' "$pat") | awk 'NF' | LC_ALL=C sort -u >"$tmp.own"
	(cd "$dir" && go list -e -deps -test -f '{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}
{{end}}{{range .CgoFiles}}{{$d}}/{{.}}
{{end}}' "$pat") | awk 'NF && !/\/\//' | LC_ALL=C sort -u | LC_ALL=C sort -u -m - "$tmp.own" >"$tmp.all"
	local files lines all
	files=$(wc -l <"$tmp.own")
	lines=$(tr '\n' '\0' <"$tmp.own" | xargs -0 cat | wc -l)
	all=$(tr '\n' '\0' <"$tmp.all" | xargs -0 cat | wc -l)
	rm -f "$tmp.own" "$tmp.all"
	echo "$lines $files $all"
}

# Line classes in go vet / singlechecker stderr. A finding is a line
# "file:line:col: message"; lines "file:line:col: \tmessage" are its Related
# information, and indented lines continue it (NilAway's flow chains).
LOC_RE='^[^[:space:]:]+\.go:[0-9]+:[0-9]+: '
DIAG_RE='^[^[:space:]:]+\.go:[0-9]+:[0-9]+: [^[:space:]]'
CRASH_RE='panic:|goroutine [0-9]+ \[|internal error'

# findings FILE: the sorted finding lines of a stderr file. Not de-duplicated:
# NilAway reports distinct flows into one position as separate findings.
findings() { grep -E "$DIAG_RE" "$1" | LC_ALL=C sort || true; }

# unexpected_lines FILE: stderr lines that are neither a "# pkg" header, a
# finding or its Related lines, nor an indented continuation line.
unexpected_lines() {
	grep -vE "$LOC_RE"'|^# |^[[:space:]]|^$' "$1" || true
}

# median: the median of the numbers on stdin (mean of the middle two for even counts).
median() {
	LC_ALL=C sort -g | awk '{v[NR]=$1} END {if (NR==0) {print "NaN"; exit}
		if (NR%2) print v[(NR+1)/2]; else printf "%.6g\n", (v[NR/2]+v[NR/2+1])/2}'
}
