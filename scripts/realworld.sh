#!/usr/bin/env bash
# scripts/realworld.sh (make realworld): the zero-crash and determinism gate.
#
# Builds nilsentry and runs it over real code in several modes, twice each,
# with -strict (what may be nil on some path too; the default's findings are a subset):
#   standalone  nilsentry -cache=false <pattern>
#   notests     nilsentry -cache=false -test=false <pattern> (test files not loaded)
#   vet         go vet -vettool=nilsentry <pattern>
#   gcl         golangci-lint run with the nilsentry plugin (built by
#               scripts/lib/gcl.sh), only nilsentry enabled, no issue limits
# Fails if any run
#   - prints a panic, a goroutine stack, "fatal error:" or "internal error";
#   - exits other than 0/3 (standalone) or 0/1 with nothing but findings (go vet);
#   - prints anything besides findings and their Related/continuation lines;
#   - gives findings that differ between its two runs (non-determinism);
# and if the modes' findings outside _test.go files differ as sets (file:line:col
# and message): every driver must report the same, with or without test files
# loaded. The differing lines are printed.
#
# Environment:
#   REALWORLD_SET    ci (default: std and x/tools v0.52.0), full (the bench set:
#                    std x-tools prometheus go-ethereum), or an explicit list of
#                    names / module@version
#   REALWORLD_MODES  any of standalone notests vet gcl (default: standalone notests vet gcl)
#   REALWORLD_RUNS   runs per mode (default 2; determinism is checked across them)
#   REALWORLD_FLAGS  extra nilsentry flags (for example a debug flag)
#   REALWORLD_NILSENTRY  use this nilsentry binary instead of building one
#   BENCH_DIR        work directory (default .bench/); outputs in $BENCH_DIR/realworld/
#
# Each go vet run salts the vet tool's build ID (see scripts/lib/common.sh), so
# both runs really analyze every package instead of replaying go vet's cache.

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

case ${REALWORLD_SET:-ci} in
ci) SET=$CI_SET ;;
full) SET=$FULL_SET ;;
*) SET=$REALWORLD_SET ;;
esac
MODES=${REALWORLD_MODES:-standalone notests vet gcl}
RUNS=${REALWORLD_RUNS:-2}
FLAGS="-nilsentry.strict ${REALWORLD_FLAGS:-}" # the whole analysis: what the default shows is a subset
NILSENTRY=$BIN/nilsentry
OUT=$BENCH_DIR/realworld
CRASH_RE="$CRASH_RE|^fatal error:"

# Benign stderr noise: module downloads on a cold module cache.
not_noise() { grep -v '^go: downloading ' || true; }

FAILURES=()
fail() { FAILURES+=("$1"); log "FAIL: $1"; }

# run_one MODULE MODE RUN: one run; writes $OUT/<module>/<mode>.<run>.{stdout,stderr,time,rc,findings}.
run_one() {
	local m=$1 mode=$2 i=$3 name dir pat out rc
	name=$(module_name "$m"); dir=$(module_dir "$m"); pat=$(module_pattern "$m")
	out=$OUT/$name/$mode.$i
	mkdir -p "$OUT/$name"; rm -f "$out".*
	# shellcheck disable=SC2086 # FLAGS are words on purpose
	case $mode in
	standalone | notests)
		local extra=-cache=false # every run analyzes again (determinism)
		[ "$mode" = notests ] && extra="$extra -test=false"
		(cd "$dir" && /usr/bin/time -q -o "$out.time" -f 'BENCHGO %e %M %U %S' \
			"$NILSENTRY" $extra $FLAGS "$pat" >"$out.stdout" 2>"$out.stderr") && rc=0 || rc=$?
		;;
	gcl)
		# golangci-lint takes directories: std is ./... in $GOROOT/src.
		[ "$pat" = std ] && pat=./...
		(cd "$dir" && /usr/bin/time -q -o "$out.time" -f 'BENCHGO %e %M %U %S' \
			"$GCL" run --config="$OUT/golangci.yml" --output.text.path=stdout --output.text.print-issued-lines=false \
			--output.text.colors=false --show-stats=false "$pat" >"$out.stdout" 2>"$out.stderr") && rc=0 || rc=$?
		# "file:line:col: message (nilsentry)" as the other drivers print it
		sed -i 's/ (nilsentry)$//' "$out.stdout"
		;;
	vet)
		(cd "$dir" && BENCH_NONCE="realworld-$i-$$-$(date +%s%N)" BENCH_RSS_LOG=$out.rss \
			/usr/bin/time -q -o "$out.time" -f 'BENCHGO %e %M %U %S' \
			go vet -vettool="$BIN/vet-nilsentry" $FLAGS "$pat" >"$out.stdout" 2>"$out.stderr") && rc=0 || rc=$?
		;;
	*) die "unknown mode $mode" ;;
	esac
	echo "$rc" >"$out.rc"
	# go vet prints findings on stderr, the standalone checker on stdout: check both.
	cat "$out.stderr" "$out.stdout" >"$out.all"
	grep -E "$LOC_RE" "$out.all" | LC_ALL=C sort >"$out.findings" || true

	local what="$name $mode run $i" nf other wall cpu rss
	nf=$(grep -cE "$DIAG_RE" "$out.all" || true)
	other=$(unexpected_lines "$out.all" | not_noise | wc -l)
	wall=$(awk '$1=="BENCHGO" {print $2}' "$out.time")
	cpu=$(awk '$1=="BENCHGO" {printf "%.1f", $4+$5}' "$out.time")
	# GNU time reports the largest process of the tree: the largest vet tool
	# process for go vet and the standalone command (one package each).
	if [ -s "$out.rss" ]; then # go vet: the largest nilsentry process
		rss=$(awk '$1=="BENCHRSS" && $3>m {m=$3} END {printf "%.0f", m/1024}' "$out.rss")
	else
		rss=$(awk '$1=="BENCHGO" {printf "%.0f", $3/1024}' "$out.time")
	fi
	log "$what: exit $rc, $nf findings, ${wall:-?}s wall, ${cpu:-?}s CPU, peak nilsentry RSS ${rss}MiB"
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$mode" "$i" "$rc" "$nf" "${wall:-?}" "${cpu:-?}" "$rss" >>"$OUT/summary.md"

	if grep -qE "$CRASH_RE" "$out.all"; then
		fail "$what: crash output: $(grep -hE "$CRASH_RE" "$out.all" | head -1)"
	fi
	case $mode:$rc in
	standalone:0 | standalone:3 | notests:0 | notests:3 | vet:0 | gcl:0) ;;
	vet:1 | gcl:1) [ "$nf" -gt 0 ] || fail "$what: exit 1 without findings" ;;
	*) fail "$what: exit status $rc" ;;
	esac
	if [ "$other" != 0 ]; then
		fail "$what: $other unexpected output lines, first: $(unexpected_lines "$out.all" | not_noise | head -1)"
	fi
	if [ -s "$out.rss" ] && awk '$1=="BENCHRSS" && $4!=0 && $4!=1 {bad=1} END {exit !bad}' "$out.rss"; then
		fail "$what: a vet tool process exited with $(awk '$1=="BENCHRSS" && $4!=0 && $4!=1 {print $4; exit}' "$out.rss")"
	fi
}

# gcl_binary: builds golangci-lint with the nilsentry plugin (or finds it
# cached, see scripts/lib/gcl.sh) and prints its path.
gcl_binary() (
	root=$ROOT GO=go GCL_VERSION=${GCL_VERSION:-v2.15.0}
	# The binary scripts/gcl-e2e.sh built, if it is there (it keys on the
	# user's GOCACHE, not the bench's).
	NILSENTRY_GCL_CACHE=${NILSENTRY_GCL_CACHE:-$(dirname "$(GOCACHE='' go env GOCACHE)")/nilsentry-gcl}
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	say() { log "gcl: $*"; }
	fail() { die "gcl: $*"; }
	# shellcheck source=lib/gcl.sh
	source "$ROOT/scripts/lib/gcl.sh"
	build_gcl
	echo "$bin"
)

# compare_modes NAME: the modes' first runs must give the same findings
# outside _test.go files (finding lines only: go vet prints Related lines
# that the others do not).
compare_modes() {
	local name=$1 mode first=
	for mode in $MODES; do
		# golangci-lint runs std as ./..., which leaves out std's vendor/
		# packages (go vet std includes them): with gcl, compare without them.
		local novendor=cat
		[[ $name == std && " $MODES " == *" gcl "* ]] && novendor="grep -v ^vendor/"
		grep -E "$DIAG_RE" "$OUT/$name/$mode.1.findings" | grep -vE '^[^:]*_test\.go:' | $novendor >"$OUT/$name/$mode.code" || true
		if [ -z "$first" ]; then first=$mode; continue; fi
		if ! diff -q "$OUT/$name/$first.code" "$OUT/$name/$mode.code" >/dev/null; then
			fail "$name: $first and $mode report different findings outside test files ($(wc -l <"$OUT/$name/$first.code") vs $(wc -l <"$OUT/$name/$mode.code")):"
			diff "$OUT/$name/$first.code" "$OUT/$name/$mode.code" | head -20 >&2 || true
		fi
	done
	[ -z "$first" ] || log "$name: $(wc -l <"$OUT/$name/$first.code") findings outside test files, the same in every mode ($MODES)"
}

main() {
	need_time
	local started=$SECONDS m name mode i
	rm -rf "$OUT"; mkdir -p "$OUT"
	if [ -n "${REALWORLD_NILSENTRY:-}" ]; then
		NILSENTRY=$(cd "$(dirname "$REALWORLD_NILSENTRY")" && pwd)/$(basename "$REALWORLD_NILSENTRY")
		[ -x "$NILSENTRY" ] || die "REALWORLD_NILSENTRY=$REALWORLD_NILSENTRY is not executable"
		make_wrapper nilsentry "$NILSENTRY"
	else
		build_nilsentry
	fi
	if [[ " $MODES " == *" gcl "* ]]; then
		GCL=$(gcl_binary) || die "building golangci-lint with the plugin failed"
		export GOLANGCI_LINT_CACHE=$OUT/gcl-cache # no results of earlier runs
		cat >"$OUT/golangci.yml" <<-EOF
			version: "2"
			run:
			  tests: true
			  relative-path-mode: wd
			linters:
			  default: none
			  enable:
			    - nilsentry
			  exclusions:
			    generated: disable
			  settings:
			    custom:
			      nilsentry:
			        type: module
			        description: nil dereferences the code gives evidence for
			        settings: {strict: true}
			issues:
			  max-issues-per-linter: 0
			  max-same-issues: 0
			  uniq-by-line: false
		EOF
	fi
	{
		echo "| module | mode | run | exit | findings | wall s | CPU s | peak RSS MiB |"
		echo "|---|---|--:|--:|--:|--:|--:|--:|"
	} >"$OUT/summary.md"
	for m in $SET; do
		fetch_module "$m"
		name=$(module_name "$m")
		for mode in $MODES; do
			for ((i = 1; i <= RUNS; i++)); do run_one "$m" "$mode" "$i"; done
			for ((i = 2; i <= RUNS; i++)); do
				if ! diff -q "$OUT/$name/$mode.1.findings" "$OUT/$name/$mode.$i.findings" >/dev/null; then
					fail "$name $mode: findings of run 1 and run $i differ (non-deterministic):"
					diff "$OUT/$name/$mode.1.findings" "$OUT/$name/$mode.$i.findings" | head -10 >&2 || true
				fi
			done
		done
		compare_modes "$name"
	done
	cat "$OUT/summary.md"
	echo
	if [ ${#FAILURES[@]} -ne 0 ]; then
		printf 'realworld: FAIL (%d problems) in %ds:\n' "${#FAILURES[@]}" $((SECONDS - started))
		printf '  - %s\n' "${FAILURES[@]}"
		exit 1
	fi
	echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	printf 'realworld: ok (%s; modes: %s; %d runs each) in %ds\n' "$SET" "$MODES" "$RUNS" $((SECONDS - started))
}

main "$@"; exit $?
