#!/usr/bin/env bash
# scripts/realrows.sh (make realrows): the real bugs nilsentry found in std
# and x/tools (docs/triage.md, "Real bugs") are still reported.
#
# Runs bin/nilsentry -test=false, by default, with -strict and with
# -strict -hints, on the packages of the sites in scripts/lib/real.tsv, and
# prints one line per site: the first of those that reports it, or lost.
# Exits 1 when a site is lost, or is reported only at a later level than
# the one it is marked with.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# rank LEVEL: how far a user must go to see a finding.
rank() {
	case $1 in
	default) echo 0 ;; strict) echo 1 ;; hints) echo 2 ;; *) echo 3 ;;
	esac
}

main() {
	local list=$ROOT/scripts/lib/real.tsv out=$BENCH_DIR/realrows m dir pkgs bad=0
	mkdir -p "$out"
	build_nilsentry
	for m in std x-tools; do
		[ "$m" = std ] || fetch_module "$m"
		dir=$(module_dir "$m")
		mapfile -t pkgs < <(awk -F'\t' -v m="$m" '$1 == m {print $2}' "$list" | LC_ALL=C sort -u)
		log "nilsentry on $m: ${pkgs[*]}"
		(cd "$dir" && "$BIN/nilsentry" -test=false "${pkgs[@]}" >"$out/$m.default.txt" 2>&1) || true
		(cd "$dir" && "$BIN/nilsentry" -test=false -strict "${pkgs[@]}" >"$out/$m.strict.txt" 2>&1) || true
		(cd "$dir" && "$BIN/nilsentry" -test=false -strict -hints "${pkgs[@]}" >"$out/$m.hints.txt" 2>&1) || true
	done
	while IFS=$'\t' read -r m pkg site want; do
		[[ $m == \#* || -z $m ]] && continue
		local got=lost at=${pkg#./}/$site: level
		for level in hints strict default; do
			if grep -qF "$at" "$out/$m.$level.txt"; then got=$level; fi
		done
		printf '%-8s %-8s %s/%s (want %s)\n' "$m" "$got" "$pkg" "$site" "$want"
		if [ "$(rank "$got")" -gt "$(rank "$want")" ]; then bad=1; fi
	done <"$list"
	[ $bad = 0 ] || { echo "realrows: a real bug is no longer reported as it should be" >&2; exit 1; }
}

main "$@"
