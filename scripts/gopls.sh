#!/usr/bin/env bash
# Builds a gopls with nilsentry's analyzer compiled in, and checks that it
# reports nilsentry's findings.
#
# gopls's analyzer list is compiled in (internal/settings/analysis.go), so
# editor diagnostics from nilsentry through gopls need a gopls built with
# nilsentry added. This script uses only the Go module proxy:
#   1. copies the pinned gopls release (GOPLS_VERSION) out of the module cache;
#   2. patches its analyzer list: nilsentry's analyzer goes next to nilness,
#      enabled by default, severity warning, with -strict (the anchors must
#      match exactly once, or the script stops);
#   3. requires nilsentry and replaces it with this checkout;
#   4. keeps golang.org/x/tools at the version gopls pins. gopls uses
#      x/tools internals and does not build against a newer x/tools (v0.23.0
#      against v0.52.0: undefined astutil.UnparenEnclosingCursor and
#      packagepath.IsStdPackage), while nilsentry builds and passes its
#      tests against gopls's older x/tools. Without the replace, MVS would
#      raise x/tools to nilsentry's v0.52.0 and break gopls;
#   5. builds, with gopls's version set to <gopls version>-nilsentry-<hash>.
#
# Then, on a copy of testdata/gopls/mod, checks that
#   - `gopls check main.go fix.go` prints testdata/gopls/expected.txt:
#     nilsentry's findings with their ranges and related information, a
#     //nilsentry:ignore honoured, nilness's findings still there;
#   - `gopls codeaction -kind=quickfix -exec` applies nilsentry's suggested
#     fix (move a defer below the error check): testdata/gopls/fix.go.golden.
#
# The binary is cached under $(go env GOCACHE)/../nilsentry-gopls/<hash>,
# where the hash covers the Go files of every nilsentry package gopls links,
# go.mod, go.sum, the gopls version, the Go toolchain and the build part of
# this script (the three newest builds are kept), and copied to bin/gopls-nilsentry.
#
# Usage: scripts/gopls.sh [-no-check]
# Environment: GOPLS_VERSION (default v0.23.0), NILSENTRY_GOPLS_CACHE (cache
# directory), GOPLS_OUT (installed binary, default bin/gopls-nilsentry),
# KEEP=1 keeps the temporary directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GO=${GO:-go}
GOPLS_VERSION=${GOPLS_VERSION:-v0.23.0}
out=${GOPLS_OUT:-$root/bin/gopls-nilsentry}
analyzer_pkg=github.com/nilsentry/nilsentry/analyzer
check=1
case ${1:-} in
'') ;;
-no-check | --no-check) check=0 ;;
*) echo "usage: scripts/gopls.sh [-no-check]" >&2; exit 2 ;;
esac

sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
say() { printf 'gopls: %s\n' "$*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

export GOWORK=off GOFLAGS= # no workspace, none of the caller's go flags
export GOTOOLCHAIN=${GOTOOLCHAIN:-local}

tmp=$(mktemp -d)
if [[ ${KEEP:-} == 1 ]]; then say "keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
start=$SECONDS

# --- the hash: every nilsentry source file gopls links, the pinned gopls,
# the Go toolchain and the build part of this script (it writes the patch
# and the go.mod; the checks below the "# --- checks" line are left out).
cd "$root"
# shellcheck disable=SC2016 # a Go template, not shell
sources=$("$GO" list -deps \
	-f '{{if .Module}}{{if eq .Module.Path "github.com/nilsentry/nilsentry"}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{end}}{{end}}' \
	"$analyzer_pkg" | sed '/^$/d' | LC_ALL=C sort)
[[ -n $sources ]] || fail "go list found no sources for $analyzer_pkg"
hash=$( {
	echo "$GOPLS_VERSION"
	"$GO" version
	cat "$root/go.mod" "$root/go.sum"
	sed '/^# --- checks/,$d' "$root/scripts/gopls.sh"
	while IFS= read -r f; do echo "${f#"$root"/}"; cat "$f"; done <<<"$sources"
} | sha256 | cut -c1-16)
version="$GOPLS_VERSION-nilsentry-$hash"

cache=${NILSENTRY_GOPLS_CACHE:-$(dirname "$("$GO" env GOCACHE)")/nilsentry-gopls}
bin=$cache/$hash/gopls

# --- build, unless cached
if [[ -x $bin ]]; then
	say "using cached $bin"
else
	say "building gopls $GOPLS_VERSION with nilsentry ($hash); the first build takes a few minutes"
	gopls_dir=$("$GO" mod download -json "golang.org/x/tools/gopls@$GOPLS_VERSION" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[[ -f $gopls_dir/go.mod ]] || fail "gopls $GOPLS_VERSION not in the module cache (go mod download failed?)"

	src=$tmp/gopls
	cp -r "$gopls_dir" "$src"
	chmod -R u+w "$src"
	cd "$src"

	# The x/tools gopls pins (a pseudo-version of the x/tools repository).
	xtools=$("$GO" list -m -f '{{.Version}}' golang.org/x/tools)
	[[ $xtools == v* ]] || fail "cannot read the golang.org/x/tools version gopls $GOPLS_VERSION requires"

	# 2. The analyzer list: the one non-test file that lists nilness.
	nilness_entry='{analyzer: nilness.Analyzer},'
	nilness_import='"golang.org/x/tools/go/analysis/passes/nilness"'
	list=$(grep -rlF --include='*.go' --exclude='*_test.go' -- "$nilness_entry" internal || true)
	[[ -n $list && $list != *$'\n'* ]] ||
		fail "gopls $GOPLS_VERSION: expected one file listing '$nilness_entry' under internal/, found: ${list:-none}"
	for anchor in "$nilness_entry" "$nilness_import"; do
		n=$(grep -cF -- "$anchor" "$list" || true)
		[[ $n == 1 ]] || fail "gopls $GOPLS_VERSION: '$anchor' occurs $n times in $list, want 1; update the patch in scripts/gopls.sh"
	done
	# Same position, flags and defaults as nilness: enabled by default,
	# severity warning.
	awk -v entry="$nilness_entry" -v imp="$nilness_import" '
		{ print }
		index($0, imp) { print "\tnilsentryanalyzer \"github.com/nilsentry/nilsentry/analyzer\"" }
		index($0, entry) {
			match($0, /^[[:space:]]*/)
			print substr($0, 1, RLENGTH) "{analyzer: nilsentryanalyzer.Analyzer}, // added by nilsentry scripts/gopls.sh"
		}
		END {
			print ""
			print "// added by nilsentry scripts/gopls.sh: -strict, what may be nil on some path"
			print "// too (the editor shows the evidence in place); without it, the default."
			print "func init() { nilsentryanalyzer.Configure(nilsentryanalyzer.Settings{Tests: true, Strict: true}) }"
		}' "$list" >"$tmp/list.go"
	mv "$tmp/list.go" "$list"
	[[ $(grep -c 'nilsentryanalyzer' "$list") == 3 ]] || fail "patching $list failed"
	say "patched $list: nilsentry listed after nilness"

	# 3. and 4.
	"$GO" mod edit \
		-require=github.com/nilsentry/nilsentry@v0.0.0 \
		-replace=github.com/nilsentry/nilsentry="$root" \
		-replace=golang.org/x/tools=golang.org/x/tools@"$xtools"
	{
		"$GO" mod tidy
		# 5.
		"$GO" build -trimpath -o "$tmp/gopls.bin" \
			-ldflags "-s -w -X 'main.version=$version'" .
	} >"$tmp/build.log" 2>&1 || { tail -n 40 "$tmp/build.log" >&2; fail "build failed (gopls $GOPLS_VERSION, x/tools $xtools)"; }
	got_xtools=$("$GO" version -m "$tmp/gopls.bin" | awk '$1 == "dep" && $2 == "golang.org/x/tools" { v = $3 } $1 == "=>" && $2 == "golang.org/x/tools" { v = $3 } END { print v }')
	[[ $got_xtools == "$xtools" ]] || fail "the build linked golang.org/x/tools $got_xtools, want gopls's $xtools"
	cd "$root"
	mkdir -p "$(dirname "$bin")"
	mv "$tmp/gopls.bin" "$bin.tmp.$$" && mv "$bin.tmp.$$" "$bin"
	say "built $bin (x/tools $xtools) in $((SECONDS - start))s"
	# Keep the three newest builds.
	# shellcheck disable=SC2012 # the names are hex hashes
	ls -1dt "$cache"/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
fi

"$bin" version 2>&1 | grep -qF -- "$version" || fail "$bin does not report version $version: $("$bin" version 2>&1)"
if ! cmp -s "$bin" "$out"; then
	mkdir -p "$(dirname "$out")"
	cp "$bin" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
fi
say "installed $out ($version)"

[[ $check == 1 ]] || exit 0

# --- checks: gopls on a copy of testdata/gopls/mod (the quick fix writes
# to it). gopls's analysis cache is kept next to the binary: a new binary
# starts with an empty one, so its analysis really runs (gopls keys its cache
# by the executable's hash too); a rerun with the same binary reuses it.
cp -r "$root/testdata/gopls/mod" "$tmp/mod"
export GOPLSCACHE=$cache/$hash/goplscache
gopls() { (cd "$tmp/mod" && "$bin" "$@"); }

# 1. gopls check: nilsentry's findings with their ranges and related
# information ("- ..." lines under a finding), next to nilness's and
# staticcheck's. gopls prints files in no fixed order: each finding is
# kept with its related lines and the findings are sorted.
group_sort() {
	sed "s#^$tmp/mod/##" | awk '/^[^ ]+: - / { printf "\037%s", $0; next } NR > 1 { print "" } { printf "%s", $0 } END { if (NR) print "" }' |
		LC_ALL=C sort | tr '\037' '\n'
}
t0=$SECONDS
rc=0
gopls check main.go fix.go >"$tmp/out.txt" 2>"$tmp/err.txt" || rc=$?
[[ $rc == 0 ]] || { cat "$tmp/out.txt" "$tmp/err.txt" >&2; fail "gopls check exited $rc"; }
group_sort <"$tmp/out.txt" >"$tmp/got.txt"
group_sort <"$root/testdata/gopls/expected.txt" >"$tmp/want.txt"
if ! diff -u "$tmp/want.txt" "$tmp/got.txt" >"$tmp/diff.txt"; then
	cat "$tmp/diff.txt" "$tmp/err.txt" >&2
	fail "gopls check output differs from testdata/gopls/expected.txt (- expected, + got)"
fi
say "ok: gopls check: $(grep -c ' may be nil here \| is nil here ' "$tmp/got.txt") nilsentry findings with related information, //nilsentry:ignore honoured, nilness still runs ($((SECONDS - t0))s)"

# 2. The quick fix, as an editor applies it: the first code action of kind
# quickfix titled "Move the defer..." at the finding's start.
pos=$(grep -o '^fix\.go:[0-9]*:[0-9]*-[0-9]*: nil dereference: c may be nil here' "$tmp/got.txt" | cut -d- -f1) ||
	fail "no nilsentry finding in fix.go"
rc=0
gopls codeaction -kind=quickfix -title='^Move the defer below the error check$' -exec -write "$pos" >"$tmp/out.txt" 2>&1 || rc=$?
[[ $rc == 0 ]] || { cat "$tmp/out.txt" >&2; fail "gopls codeaction at $pos exited $rc"; }
diff -u "$root/testdata/gopls/fix.go.golden" "$tmp/mod/fix.go" >&2 ||
	fail "the quick fix did not give testdata/gopls/fix.go.golden (- expected, + got)"
say "ok: quick fix at $pos applied over LSP"

say "PASS ($((SECONDS - start))s)"
