#!/usr/bin/env bash
# scripts/bench.sh (make bench): nilsentry beside nilness and NilAway on a pinned
# real-world module set, all three run the same way: go vet -vettool=<tool>.
#
# Environment:
#   BENCH_MODULES  modules to measure, names or module@version
#                  (default: std x-tools prometheus go-ethereum; quick: BENCH_MODULES=x-tools)
#   BENCH_RUNS     timed runs per module and tool (default 3; the median is reported)
#   BENCH_TOOLS    tools to compare (default: nilsentry nilness nilaway)
#   BENCH_DIR      work directory (default .bench/)
#   NILAWAY_FLAGS  extra NilAway flags (default: -pretty-print=false -group-error-messages=false);
#                  -include-pkgs=<module path> is always added except for std
#   NILSENTRY_FLAGS extra nilsentry flags (default none)
#   BENCH_STANDALONE  1 (default) also measures the standalone command: a first
#                  run that analyzes everything (peak RSS of the largest process
#                  and of all processes at once) and a second, cached run
#
# Output: a markdown table on stdout and in $BENCH_DIR/results.md, per-run raw
# data in $BENCH_DIR/runs.tsv and $BENCH_DIR/runs/<module>/, and the findings of
# the first run in $BENCH_DIR/findings/<module>/<tool>.txt (one line per finding)
# and <tool>.full.txt (the tool's whole output, with NilAway's flow chains).
# See docs/bench.md for the methodology.

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

RUNS=${BENCH_RUNS:-3}
MODULES=${BENCH_MODULES:-$FULL_SET}
TOOLS=${BENCH_TOOLS:-nilsentry nilness nilaway}
NILAWAY_FLAGS=${NILAWAY_FLAGS--pretty-print=false -group-error-messages=false}
NILSENTRY_FLAGS=${NILSENTRY_FLAGS:-}
case $RUNS in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer" ;; esac

tool_flags() { # TOOL MODULE
	case $1 in
	nilaway)
		echo "$NILAWAY_FLAGS"
		local p; p=$(module_path "$2")
		[ -z "$p" ] || echo "-include-pkgs=$p"
		;;
	nilsentry) echo "$NILSENTRY_FLAGS" ;;
	esac
}

# run_vet TOOL MODULE OUTPREFIX NONCE: one go vet run; writes OUTPREFIX.{stdout,stderr,time,rss,rc}.
run_vet() {
	local tool=$1 m=$2 out=$3 nonce=$4 dir pat rc
	dir=$(module_dir "$m"); pat=$(module_pattern "$m")
	rm -f "$out".*
	# shellcheck disable=SC2046 # tool flags are words on purpose
	(cd "$dir" && BENCH_NONCE=$nonce BENCH_RSS_LOG=$out.rss \
		/usr/bin/time -q -o "$out.time" -f 'BENCHGO %e %M %U %S' \
		go vet -vettool="$BIN/vet-$tool" $(tool_flags "$tool" "$m") "$pat" \
		>"$out.stdout" 2>"$out.stderr") && rc=0 || rc=$?
	echo "$rc" >"$out.rc"
	return 0
}

# summarize_run OUTPREFIX: prints "wall cpu gorss_kib tool_rss_kib tool_cpu procs findings unexpected rc".
summarize_run() {
	local out=$1
	local go tool
	go=$(awk '$1=="BENCHGO" {printf "%s %.2f %s", $2, $4+$5, $3}' "$out.time")
	tool=$(awk '$1=="BENCHRSS" {n++; if ($3>m) m=$3; c+=$5+$6} END {printf "%d %.2f %d", m, c, n}' "$out.rss" 2>/dev/null || echo "0 0 0")
	[ -n "$go" ] || go="NaN NaN 0"
	echo "$go $tool $(findings "$out.stderr" | wc -l) $(unexpected_lines "$out.stderr" | wc -l) $(cat "$out.rc")"
}

machine() {
	local cpu mem
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
	mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo 2>/dev/null)
	echo "${cpu:-unknown CPU}, $(nproc) cores, ${mem:-? GiB} RAM, $(uname -sr)"
}

main() {
	need_time
	mkdir -p "$BENCH_DIR/runs" "$BENCH_DIR/findings"
	install_peers
	build_nilsentry
	local tsv=$BENCH_DIR/runs.tsv lines=$BENCH_DIR/lines.tsv
	printf 'module\ttool\trun\twall_s\tcpu_s\tgo_rss_kib\ttool_rss_kib\ttool_cpu_s\tprocs\tfindings\tunexpected\trc\n' >"$tsv"
	: >"$lines"
	local started=$SECONDS m name t i k out
	LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
	if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN {exit !(l+0 > n/2)}'; then
		log "warning: load average $LOAD_BEFORE on $(nproc) cores; timings will be noisy"
	fi
	local -a tools order
	read -r -a tools <<<"$TOOLS"

	for m in $MODULES; do
		name=$(module_name "$m")
		fetch_module "$m"
		mkdir -p "$BENCH_DIR/runs/$name" "$BENCH_DIR/findings/$name"
		read -r nlines nfiles nall < <(count_lines "$m")
		printf '%s\t%s\t%s\t%s\n' "$name" "$nlines" "$nfiles" "$nall" >>"$lines"
		log "$name: $nlines lines in $nfiles files ($nall with dependencies); warm-up (compiles export data, untimed)"
		local t0=$SECONDS
		run_vet nilness "$m" "$BENCH_DIR/runs/$name/warmup" "warmup-$$-$RANDOM"
		if [ "$(unexpected_lines "$BENCH_DIR/runs/$name/warmup.stderr" | grep -vc '^go: downloading')" != 0 ]; then
			log "$name: warm-up printed unexpected lines (see runs/$name/warmup.stderr):"
			unexpected_lines "$BENCH_DIR/runs/$name/warmup.stderr" | head -5 >&2
		fi
		log "$name: warm-up took $((SECONDS - t0))s"
		for ((i = 1; i <= RUNS; i++)); do
			# Rotate the order every run so that each tool takes each slot in turn.
			order=()
			for ((k = 0; k < ${#tools[@]}; k++)); do order+=("${tools[((k + i - 1) % ${#tools[@]})]}"); done
			for t in "${order[@]}"; do
				out=$BENCH_DIR/runs/$name/$t.$i
				run_vet "$t" "$m" "$out" "$t-$name-$i-$$-$(date +%s%N)"
				local s; s=$(summarize_run "$out")
				log "$name run $i/$RUNS $t: $(echo "$s" | awk '{printf "%ss wall, %.0f MiB peak tool RSS, %s findings, rc %s", $1, $4/1024, $7, $9}')"
				printf '%s\t%s\t%s\t%s\n' "$name" "$t" "$i" "$(echo "$s" | tr ' ' '\t')" >>"$tsv"
			done
		done
		for t in "${tools[@]}"; do
			findings "$BENCH_DIR/runs/$name/$t.1.stderr" >"$BENCH_DIR/findings/$name/$t.txt"
			cp "$BENCH_DIR/runs/$name/$t.1.stderr" "$BENCH_DIR/findings/$name/$t.full.txt"
		done
	done
	if [ "${BENCH_STANDALONE:-1}" = 1 ] && [[ " ${tools[*]} " == *" nilsentry "* ]]; then
		printf 'module\tfirst_wall_s\tfirst_cpu_s\tproc_rss_kib\ttotal_rss_kib\tsecond_wall_s\tfindings\tsame\n' >"$BENCH_DIR/standalone.tsv"
		for m in $MODULES; do run_standalone "$m"; done
	fi
	report "$tsv" "$lines" >"$BENCH_DIR/results.md"
	cat "$BENCH_DIR/results.md"
	log "bench done in $((SECONDS - started))s; raw data in $BENCH_DIR"
}

# sample_rss PATTERN OUT: until killed, writes to OUT the largest sum of the
# RSS (KiB) of the processes whose command line matches PATTERN, sampled
# every 0.2 s (the standalone command and its vet tool processes at once).
sample_rss() {
	local max=0 tot pid rss
	echo 0 >"$2"
	while :; do
		tot=0
		for pid in $(pgrep -f -- "$1"); do
			rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null) || true # it may have exited
			tot=$((tot + ${rss:-0}))
		done
		if [ "$tot" -gt "$max" ]; then max=$tot; echo "$max" >"$2"; fi
		sleep 0.2
	done
}

# run_standalone MODULE: nilsentry ./... twice with a binary of a build ID
# of its own (a copy with a nonce appended: go vet keys its cache on the vet
# tool's build ID), so the first run analyzes every package and the second
# replays go vet's cache; compiled export data is warm from the go vet runs.
run_standalone() {
	local m=$1 name dir pat bin out sampler rc
	name=$(module_name "$m"); dir=$(module_dir "$m"); pat=$(module_pattern "$m")
	out=$BENCH_DIR/runs/$name/standalone
	bin=$BIN/nilsentry-standalone-$$-$RANDOM
	cp "$BIN/nilsentry" "$bin"; echo "nonce $(date +%s%N)" >>"$bin"
	sample_rss "$bin" "$out.total" & sampler=$!
	(cd "$dir" && /usr/bin/time -q -o "$out.1.time" -f 'BENCHGO %e %M %U %S' \
		"$bin" $NILSENTRY_FLAGS "$pat" >"$out.1.stdout" 2>"$out.1.stderr") && rc=0 || rc=$?
	kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
	(cd "$dir" && /usr/bin/time -q -o "$out.2.time" -f 'BENCHGO %e %M %U %S' \
		"$bin" $NILSENTRY_FLAGS "$pat" >"$out.2.stdout" 2>"$out.2.stderr") || true
	rm -f "$bin"
	local same=yes; cmp -s "$out.1.stdout" "$out.2.stdout" || same=no
	local w1 c1 r1 w2 nf
	read -r w1 r1 c1 < <(awk '$1=="BENCHGO" {printf "%s %s %.1f\n", $2, $3, $4+$5}' "$out.1.time")
	w2=$(awk '$1=="BENCHGO" {print $2}' "$out.2.time")
	nf=$(grep -cE "$DIAG_RE" "$out.1.stdout" || true)
	log "$name standalone: exit $rc, first run ${w1}s (${c1}s CPU), largest process $((r1 / 1024)) MiB, all at once $(($(cat "$out.total") / 1024)) MiB; cached run ${w2}s; $nf findings, same output: $same"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$w1" "$c1" "$r1" "$(cat "$out.total")" "$w2" "$nf" "$same" >>"$BENCH_DIR/standalone.tsv"
}

# col TSV MODULE TOOL COLUMN: the values of one column over the runs.
col() { awk -F'\t' -v m="$2" -v t="$3" -v c="$4" 'NR>1 && $1==m && $2==t {print $c}' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b+0 > 0 && a != "NaN") printf "%.2f", a/b; else printf "n/a"}'; }

report() {
	local tsv=$1 lines=$2 name t
	local -a tools
	read -r -a tools <<<"$TOOLS"
	echo "## nilsentry benchmark"
	echo
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(machine)"
	echo "- $(go version | cut -d' ' -f3-); nilsentry ${NILSENTRY_COMMIT:-?};" \
		"nilness $NILNESS_VERSION; NilAway $NILAWAY_VERSION ($NILAWAY_FLAGS -include-pkgs=<module>)"
	echo "- driver: go vet -vettool, warm build cache, analysis re-run every time; median of $RUNS alternating runs"
	echo "- load average (1/5/15 min) before: ${LOAD_BEFORE:-?}; after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	echo
	echo "| module | kLOC | tool | wall s | CPU s | ms/kLOC | peak RSS MiB | findings | per 10k lines | notes |"
	echo "|---|--:|---|--:|--:|--:|--:|--:|--:|---|"
	while IFS=$'\t' read -r name nlines _; do
		local kloc; kloc=$(awk -v l="$nlines" 'BEGIN {printf "%.1f", l/1000}')
		for t in "${tools[@]}"; do
			local wall cpu rss nf notes=
			wall=$(col "$tsv" "$name" "$t" 4 | median)
			cpu=$(col "$tsv" "$name" "$t" 5 | median)
			rss=$(col "$tsv" "$name" "$t" 7 | median)
			nf=$(col "$tsv" "$name" "$t" 10 | median)
			[ "$(col "$tsv" "$name" "$t" 10 | sort -u | wc -l)" -le 1 ] || notes="findings vary across runs ($(col "$tsv" "$name" "$t" 10 | tr '\n' ' ' | sed 's/ $//'))"
			if [ "$(col "$tsv" "$name" "$t" 11 | median)" != 0 ]; then
				local ex; ex=$(unexpected_lines "$BENCH_DIR/runs/$name/$t.1.stderr" | head -1 | cut -c1-70 | tr '|`' '/ ')
				notes="${notes:+$notes; }$(col "$tsv" "$name" "$t" 11 | median) other stderr lines, e.g. \`$ex\`"
			fi
			[ -z "$(col "$tsv" "$name" "$t" 12 | grep -vx '[01]')" ] || notes="${notes:+$notes; }go vet exit $(col "$tsv" "$name" "$t" 12 | sort -u | tr '\n' ' ' | sed 's/ $//')"
			awk -v n="$name" -v k="$kloc" -v t="$t" -v w="$wall" -v c="$cpu" -v r="$rss" -v f="$nf" -v l="$nlines" -v no="$notes" 'BEGIN {
				printf "| %s | %s | %s | %.1f | %.1f | %.0f | %.0f | %d | %.2f | %s |\n", n, k, t, w, c, w*1000/k, r/1024, f, f*10000/l, no}'
		done
	done <"$lines"
	local have_ns=0 have_nn=0 have_na=0
	for t in "${tools[@]}"; do
		case $t in nilsentry) have_ns=1 ;; nilness) have_nn=1 ;; nilaway) have_na=1 ;; esac
	done
	if [ $have_ns = 1 ] && { [ $have_nn = 1 ] || [ $have_na = 1 ]; }; then
		echo
		echo "Ratios of medians (targets: time <= 1.3x nilness, peak RSS <= 1.2x nilness (issue 12)):"
		echo
		echo "| module | time nilsentry/nilness | RSS nilsentry/nilness | time nilsentry/NilAway | RSS nilsentry/NilAway | targets |"
		echo "|---|--:|--:|--:|--:|---|"
		while IFS=$'\t' read -r name _; do
			local ws rs wn=0 rn=0 wa=0 ra=0 tr rr ok
			ws=$(col "$tsv" "$name" nilsentry 4 | median); rs=$(col "$tsv" "$name" nilsentry 7 | median)
			if [ $have_nn = 1 ]; then wn=$(col "$tsv" "$name" nilness 4 | median); rn=$(col "$tsv" "$name" nilness 7 | median); fi
			if [ $have_na = 1 ]; then wa=$(col "$tsv" "$name" nilaway 4 | median); ra=$(col "$tsv" "$name" nilaway 7 | median); fi
			tr=$(ratio "$ws" "$wn"); rr=$(ratio "$rs" "$rn")
			ok=$(awk -v a="$tr" -v b="$rr" 'BEGIN {if (a=="n/a") {print "n/a"; exit}
				s=(a<=1.3 ? "time ok" : "TIME OVER"); s=s ", " (b<=1.2 ? "RSS ok" : "RSS OVER"); print s}')
			echo "| $name | $tr | $rr | $(ratio "$ws" "$wa") | $(ratio "$rs" "$ra") | $ok |"
		done <"$lines"
	fi
	echo
	echo "Linearity: CPU time of the analysis processes (median) per 1000 lines, of the module / of the module and all its dependencies:"
	echo
	local hdr="| module | kLOC | kLOC with deps |" sep="|---|--:|--:|"
	for t in "${tools[@]}"; do hdr="$hdr $t ms/kLOC |"; sep="$sep--:|"; done
	echo "$hdr"; echo "$sep"
	while IFS=$'\t' read -r name nlines _ nall; do
		local row
		row=$(awk -v n="$name" -v l="$nlines" -v a="${nall:-0}" 'BEGIN {printf "| %s | %.1f | %.1f |", n, l/1000, a/1000}')
		for t in "${tools[@]}"; do
			row="$row $(col "$tsv" "$name" "$t" 8 | median | awk -v l="$nlines" -v a="${nall:-0}" '{printf "%.0f / %s", $1*1e6/l, (a>0 ? sprintf("%.0f", $1*1e6/a) : "?")}') |"
		done
		echo "$row"
	done <"$lines"
	echo
	echo "Where the time goes (run 1; CPU = user+sys of the analysis processes; dep = a dependency analyzed only for facts):"
	echo
	echo "| module | tool | dep processes | dep CPU s | package processes | package CPU s | most CPU | most RSS |"
	echo "|---|---|--:|--:|--:|--:|---|---|"
	while IFS=$'\t' read -r name _; do
		for t in "${tools[@]}"; do
			[ -f "$BENCH_DIR/runs/$name/$t.1.rss" ] || continue
			awk -v n="$name" -v t="$t" '$1=="BENCHRSS" {
				c=$5+$6; k=(NF>=7 ? $7 : "pkg"); id=(NF>=8 ? $8 : "?"); for (i=9; i<=NF; i++) id=id " " $i
				cnt[k]++; cpu[k]+=c
				if (c>mc) {mc=c; mcid=id}; if ($3>mr) {mr=$3; mrid=id} }
				END {printf "| %s | %s | %d | %.1f | %d | %.1f | %s (%.1f s) | %s (%.0f MiB) |\n",
					n, t, cnt["dep"], cpu["dep"], cnt["pkg"], cpu["pkg"], mcid, mc, mrid, mr/1024}' "$BENCH_DIR/runs/$name/$t.1.rss"
		done
	done <"$lines"
	if [ -s "$BENCH_DIR/standalone.tsv" ]; then
		echo
		echo "The standalone command (\`nilsentry ./...\`, go vet underneath; targets: peak RSS <= 2 GiB, cached run < 20% of the first):"
		echo
		echo "| module | first run wall s | CPU s | largest process MiB | all processes at once MiB | cached run wall s | cached/first | findings | same output |"
		echo "|---|--:|--:|--:|--:|--:|--:|--:|---|"
		awk -F'\t' 'NR>1 {printf "| %s | %.1f | %.1f | %.0f | %.0f | %.1f | %.2f | %d | %s |\n", $1, $2, $3, $4/1024, $5/1024, $6, ($2>0 ? $6/$2 : 0), $7, $8}' "$BENCH_DIR/standalone.tsv"
	fi
	echo
	echo "wall: median wall time of \`go vet\`; CPU: user+sys of go vet and all its children;"
	echo "ms/kLOC: wall per 1000 analyzed lines (linearity); peak RSS: largest single analysis process;"
	echo "findings: \`file:line:col:\` diagnostics of run 1 (raw in findings/<module>/<tool>.txt)."
}

main "$@"; exit $?
