# Evidence classes of nilsentry findings (scripts/holdout.sh; awk -f, not run alone).
#
# Input: go vet -vettool=nilsentry stderr. A finding is a line
#   file:L:C: <what>: <expr> (may be|is) nil here (<step>; <step>; ...)
# followed by its Related lines "file:L:C: \t<step>", one for each step whose
# position is in the reporting package (docs/messages.md has the grammar).
# Output: one line per distinct finding, "<finding>\t<kinds>\t<tags>", kinds and
# tags comma-separated and sorted ("-" when none).
#
# Kinds name the evidence that something may be nil (origins and field evidence):
#   declared, assigned-nil, nil, map-miss, assert-fail, chan-closed, checked
#   (a local nil check that does not stop), checked-later (deref-before-check),
#   returns-nil, returns-nil-err (nil with an error), returns-nil-false,
#   returns-nil-nil (nil with a nil error: the `return nil, nil` a caller's
#   error check lets through), returns-nil-zero (nil with a zero result),
#   field-checked, field-assigned,
#   field-not-set, field-json, condition (a decided nil condition of the
#   definite check: not a dereference, but a finding), and other (a step this script does not know:
#   the grammar grew, extend the patterns below).
# Hops (returned by, passed as parameter, captured, passed through) are no
# evidence of their own and are left out, and so are the steps that describe
# the sink (dereferences parameter p / its receiver, has a value receiver, a nil
# *T is a non-nil I). Ignore-directive findings have no chain (kinds "-");
# lines that are not nilsentry findings (type errors) are left out.
# Tags describe a finding besides its kinds:
#   imported      a "returns nil" step of a function in another package (the
#                 step has no Related line: its position is not in the package)
#   imported-only every evidence step is such an imported result
#   typed-nil     the typed-nil rule (a nil *T returned as an interface)
#   callee-deref  the sink is in a callee: "NAME dereferences parameter p" or
#                 "(*T).M dereferences its receiver"

function kind(s) {
	if (s ~ /^field [^ ]+ checked for nil$/) return "field-checked"
	if (s ~ /^field [^ ]+ assigned nil$/) return "field-assigned"
	if (s ~ /^field [^ ]+ not set$/) return "field-not-set"
	if (s ~ /^field [^ ]+ .*JSON/) return "field-json"
	if (s == "declared without a value") return "declared"
	if (s == "assigned nil") return "assigned-nil"
	if (s == "nil") return "nil"
	if (s == "map lookup may miss" || s == "deleted from the map") return "map-miss"
	if (s == "type assertion may fail") return "assert-fail"
	if (s == "receive from a closed channel") return "chan-closed"
	if (s == "checked for nil") return "checked"
	if (s == "checked for nil later") return "checked-later"
	if (s ~ / returns nil with an error$/) return "returns-nil-err"
	if (s ~ / returns nil with false$/) return "returns-nil-false"
	if (s ~ / returns nil with a nil error$/) return "returns-nil-nil"
	if (s ~ / returns nil with /) return "returns-nil-zero"
	if (s ~ / returns nil$/) return "returns-nil"
	if (s ~ /^(returned by|passed as parameter|passed through|captured by) / || s == "not set when errors.As does not match") return ""
	if (s ~ / dereferences (parameter [^ ]+|its receiver)$/ || s ~ / has a value receiver$/ || s ~ /^a nil .* is a non-nil /) return ""
	if (s ~ / returns a nil .* as a non-nil / || s ~ / returns it$/) return "" # typed nil at the use: hops
	return "other"
}

function join(set,    k, n, a, i, j, out) {
	n = 0
	for (k in set) a[++n] = k
	if (n == 0) return "-"
	# insertion sort: a handful of elements, and no gawk asort needed
	for (i = 2; i <= n; i++) { k = a[i]; for (j = i - 1; j >= 1 && a[j] > k; j--) a[j+1] = a[j]; a[j+1] = k }
	out = a[1]
	for (i = 2; i <= n; i++) out = out "," a[i]
	return out
}

function flush(    chain, at, steps, n, i, s, st, k, kinds, tags, nk, ni) {
	if (cur == "") return
	if (!(cur in done)) {
		done[cur] = 1
		at = index(cur, " nil here (")
		if (at == 0) {
			if (cur ~ /: nilsentry:ignore /) printf "%s\t-\t-\n", cur
			if (cur ~ /: (tautological|impossible) condition: /) printf "%s\tcondition\t-\n", cur
			cur = ""; split("", related); return
		}
		chain = substr(cur, at + 11, length(cur) - at - 11)
		n = split(chain, steps, "; ")
		split("", kinds); split("", tags); nk = ni = 0
		for (i = 1; i <= n; i++) {
			st = steps[i]
			s = st; sub(/ at [^ ]+\.go:[0-9]+$/, "", s)
			k = kind(s)
			if (k != "") { kinds[k] = 1; nk++ }
			if (k ~ /^returns-nil/ && !(st in related) && !(s in related)) { tags["imported"] = 1; ni++ }
			if (s ~ / dereferences (parameter [^ ]+|its receiver)$/) tags["callee-deref"] = 1
		}
		if (nk > 0 && ni == nk) tags["imported-only"] = 1
		if (cur ~ /: nil pointer in non-nil interface: /) tags["typed-nil"] = 1
		printf "%s\t%s\t%s\n", cur, join(kinds), join(tags)
	}
	cur = ""; split("", related)
}

/^[^ \t:]+\.go:[0-9]+:[0-9]+: \t/ {
	if (cur != "") { r = $0; sub(/^[^\t]*\t/, "", r); related[r] = 1 }
	next
}
/^[^ \t:]+\.go:[0-9]+:[0-9]+: [^ \t]/ { flush(); cur = $0; next }
{ flush() }
END { flush() }
