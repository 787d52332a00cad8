#!/usr/bin/env bash
# End-to-end test of the golangci-lint module plugin (cmd/gclplugin).
#
# Builds a golangci-lint with nilsentry linked in, using only the Go module
# proxy (`golangci-lint custom` clones golangci-lint with git, which CI
# cannot reach): a generated main module requires golangci-lint at a pinned
# version, replaces nilsentry with this checkout, and holds a copy of
# golangci-lint's cmd/golangci-lint/main.go plus a file blank-importing the
# plugin. main.version is set from a hash of the plugin's sources, because
# golangci-lint salts its result cache with it: a changed nilsentry must
# not be served stale results.
#
# Then runs it on testdata/gcl/mod and checks:
#   - the findings are exactly testdata/gcl/expected.txt
#     (and //nolint:nilsentry at the start of a comment suppresses);
#   - an unknown plugin setting is a clear error;
#   - the settings reach the analyzer (exclude), a bad pattern is a clear error;
#   - --fast-only drops the plugin (it needs type information);
#   - golangci-lint accepts the example testdata/gcl/.custom-gcl.yml.
#
# The binary is cached under $(go env GOCACHE)/../nilsentry-gcl/<hash> (the
# three newest are kept), so a rerun without source changes skips the build:
# the first build downloads golangci-lint's dependencies and compiles them,
# several minutes on 2 cores; later ones reuse the Go build cache.
#
# Environment: GCL_VERSION (default v2.15.0), NILSENTRY_GCL_CACHE (cache
# directory), KEEP=1 keeps the temporary directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GO=${GO:-go}
GCL_VERSION=${GCL_VERSION:-v2.15.0}

say() { printf 'gcl-e2e: %s\n' "$*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

tmp=$(mktemp -d)
if [[ ${KEEP:-} == 1 ]]; then say "keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi

source "$root/scripts/lib/gcl.sh"
build_gcl

"$bin" version 2>&1 | grep -q -- "$version" || fail "$bin does not report version $version: $("$bin" version 2>&1)"

# --- run on testdata/gcl/mod
mod=$root/testdata/gcl/mod
export GOLANGCI_LINT_CACHE=$tmp/lint-cache # no stale results from an earlier run
lint() {
	(cd "$mod" && "$bin" run --output.text.path=stdout --output.text.print-issued-lines=false \
		--output.text.colors=false --show-stats=false "$@" ./...)
}

rc=0
lint --config="$root/testdata/gcl/golangci.yml" >"$tmp/out.txt" 2>"$tmp/err.txt" || rc=$?
grep -E '^[^ ].*\.go:[0-9]+' "$tmp/out.txt" | LC_ALL=C sort >"$tmp/got.txt" || true
LC_ALL=C sort "$root/testdata/gcl/expected.txt" >"$tmp/want.txt"
if ! diff -u "$tmp/want.txt" "$tmp/got.txt" >"$tmp/diff.txt"; then
	cat "$tmp/diff.txt" "$tmp/err.txt" >&2
	fail "findings differ from testdata/gcl/expected.txt (- expected, + got)"
fi
want_rc=0
[[ -s $tmp/want.txt ]] && want_rc=1
[[ $rc == "$want_rc" ]] || { cat "$tmp/err.txt" >&2; fail "golangci-lint exited $rc, want $want_rc"; }
say "ok: findings as expected ($(wc -l <"$tmp/got.txt") lines), //nolint:nilsentry honoured"

# An unknown setting is a clear error.
sed 's/settings: {strict: true}/settings: {no-such-setting: true}/' "$root/testdata/gcl/golangci.yml" >"$tmp/bad.yml"
rc=0
lint --config="$tmp/bad.yml" >"$tmp/out.txt" 2>&1 || rc=$?
if [[ $rc == 0 ]] || ! grep -q 'unknown field "no-such-setting"' "$tmp/out.txt"; then
	cat "$tmp/out.txt" >&2
	fail "an unknown setting was not rejected clearly (exit $rc)"
fi
say "ok: unknown setting rejected: $(grep -o 'nilsentry: bad settings[^"]*"no-such-setting"' "$tmp/out.txt" | head -1)"

# The plugin's settings reach the analyzer: exclude matching the module's
# package hides its findings. The cache is the first run's: a changed
# setting must not be served that run's results.
sed 's/settings: {strict: true}/settings: {strict: true, exclude: "^example.com\/gcl$", tests: false}/' "$root/testdata/gcl/golangci.yml" >"$tmp/exclude.yml"
grep -q 'exclude:' "$tmp/exclude.yml" || fail "could not add exclude to the config"
rc=0
lint --config="$tmp/exclude.yml" >"$tmp/out.txt" 2>&1 || rc=$?
if [[ $rc != 0 ]] || grep -q '(nilsentry)$' "$tmp/out.txt"; then
	cat "$tmp/out.txt" >&2
	fail "settings.exclude did not hide the module's findings (exit $rc)"
fi
say "ok: settings.exclude hides the excluded package's findings (not served from the cache)"

# A bad pattern is a clear error.
sed 's/settings: {strict: true}/settings: {strict: true, include: "(unclosed"}/' "$root/testdata/gcl/golangci.yml" >"$tmp/badre.yml"
rc=0
lint --config="$tmp/badre.yml" >"$tmp/out.txt" 2>&1 || rc=$?
if [[ $rc == 0 ]] || ! grep -q 'settings.include: "(unclosed" is not a valid regular expression' "$tmp/out.txt"; then
	cat "$tmp/out.txt" >&2
	fail "a bad include pattern was not rejected clearly (exit $rc)"
fi
say "ok: bad pattern rejected: $(grep -o 'nilsentry: bad setting[^`]*' "$tmp/out.txt" | head -1)"

# --fast-only silently drops plugins that need type information
# (documented): with a fast linter beside it, the run succeeds without
# nilsentry's findings.
sed 's/^    - nilsentry$/    - nilsentry\n    - misspell/' "$root/testdata/gcl/golangci.yml" >"$tmp/fast.yml"
grep -q misspell "$tmp/fast.yml" || fail "could not add misspell to the config"
rc=0
lint --config="$tmp/fast.yml" --fast-only >"$tmp/out.txt" 2>&1 || rc=$?
if grep -q '(nilsentry)$' "$tmp/out.txt"; then
	say "note: --fast-only now runs nilsentry; update docs/integrations.md"
elif [[ $rc != 0 ]]; then
	cat "$tmp/out.txt" >&2
	fail "--fast-only run failed (exit $rc)"
else
	say "ok: --fast-only silently runs no nilsentry, as documented"
fi

# The example .custom-gcl.yml passes golangci-lint's validation: with a
# git that fails at once, `custom` must get as far as cloning.
mkdir -p "$tmp/nogit" "$tmp/custom"
printf '#!/bin/sh\necho "git disabled by gcl-e2e" >&2\nexit 1\n' >"$tmp/nogit/git"
chmod +x "$tmp/nogit/git"
sed "s#path: \.\./\.\.#path: $root#" "$root/testdata/gcl/.custom-gcl.yml" >"$tmp/custom/.custom-gcl.yml"
rc=0
(cd "$tmp/custom" && PATH="$tmp/nogit:$PATH" "$bin" custom >"$tmp/out.txt" 2>&1) || rc=$?
grep -qi 'clone' "$tmp/out.txt" || { cat "$tmp/out.txt" >&2; fail ".custom-gcl.yml was rejected before cloning"; }
say "ok: golangci-lint custom accepts testdata/gcl/.custom-gcl.yml (stopped at git clone, as intended)"

say "PASS"
