# shellcheck shell=bash
# build_gcl: builds a golangci-lint with the nilsentry plugin (cmd/gclplugin)
# linked in, from the Go module proxy alone, and sets bin (its path) and
# version. Sourced by scripts/gcl-e2e.sh and scripts/realworld.sh; needs
# root (this checkout), GO, GCL_VERSION, tmp (a scratch directory), say and
# fail. See scripts/gcl-e2e.sh for why it is built this way.
build_gcl() {
	local plugin_pkg=github.com/nilsentry/nilsentry/cmd/gclplugin sources hash cache gcl_dir build
	# The hash: every source file that goes into the plugin, the pinned
	# version, the Go toolchain and this script (it writes the main module).
	cd "$root"
	# shellcheck disable=SC2016 # a Go template, not shell
	sources=$(GOWORK=off GOFLAGS=-mod=mod "$GO" list -deps \
		-f '{{if .Module}}{{if eq .Module.Path "github.com/nilsentry/nilsentry"}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{end}}{{end}}' \
		"$plugin_pkg" | sed '/^$/d' | LC_ALL=C sort)
	[[ -n $sources ]] || fail "go list found no sources for $plugin_pkg"
	hash=$( {
		echo "$GCL_VERSION"
		"$GO" version
		cat "$root/go.mod" "$root/go.sum" "$root/scripts/lib/gcl.sh"
		while IFS= read -r f; do echo "${f#"$root"/}"; cat "$f"; done <<<"$sources"
	} | sha256sum | cut -c1-16)
	version="${GCL_VERSION#v}-custom-nilsentry-$hash"

	cache=${NILSENTRY_GCL_CACHE:-$(dirname "$("$GO" env GOCACHE)")/nilsentry-gcl}
	bin=$cache/$hash/golangci-lint

	# Build, unless cached.
	if [[ -x $bin ]]; then
		say "using cached $bin"
	else
		say "building golangci-lint $GCL_VERSION with nilsentry ($hash); this takes a few minutes"
		gcl_dir=$(GOFLAGS=-mod=mod "$GO" mod download -json "github.com/golangci/golangci-lint/v2@$GCL_VERSION" |
			sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
		[[ -f $gcl_dir/cmd/golangci-lint/main.go ]] || fail "golangci-lint $GCL_VERSION not in the module cache (go mod download failed?)"

		build=$tmp/build
		mkdir -p "$build"
		cat >"$build/go.mod" <<-EOF
			module nilsentry.test/custom-gcl

			go 1.26

			require (
				github.com/golangci/golangci-lint/v2 $GCL_VERSION
				github.com/nilsentry/nilsentry v0.0.0
			)

			replace github.com/nilsentry/nilsentry => $root
		EOF
		cp "$gcl_dir/cmd/golangci-lint/main.go" "$build/main.go"
		chmod u+w "$build/main.go"
		cat >"$build/plugins.go" <<-EOF
			package main

			import _ "$plugin_pkg"
		EOF
		(
			cd "$build"
			export GOWORK=off GOFLAGS=-mod=mod
			"$GO" mod tidy
			"$GO" build -trimpath -o golangci-lint \
				-ldflags "-s -w -X 'main.version=$version' -X 'main.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)' -X 'main.commit=nilsentry-$hash'" .
		) >"$tmp/build.log" 2>&1 || { tail -n 40 "$tmp/build.log" >&2; fail "build failed"; }
		mkdir -p "$(dirname "$bin")"
		mv "$build/golangci-lint" "$bin.tmp.$$" && mv "$bin.tmp.$$" "$bin"
		say "built $bin"
		# Keep the three newest builds; each is a full golangci-lint binary.
		# shellcheck disable=SC2012 # the names are hex hashes
		ls -1dt "$cache"/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
	fi
}
