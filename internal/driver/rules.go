package driver

import (
	"net/url"
	"slices"
)

// A rule describes one diagnostic Category for SARIF consumers (GitHub
// code scanning shows Short as the alert title and Help on the alert
// page). The ids are the categories of docs/messages.md; they are stable:
// code scanning matches alerts across runs by rule id.
type rule struct {
	ID    string // = analysis.Diagnostic.Category
	Name  string // SARIF wants a name distinct from the id
	Short string
	Help  string // plain text that also reads as Markdown
}

// rules lists the categories the analyzer reports. A category missing
// here still gets a rule entry (see ruleFor); TestRulesCoverMessagesDoc
// keeps the table in step with docs/messages.md.
var rules = []rule{
	{
		ID: "nil-deref", Name: "NilDereference",
		Short: "Dereference of a value that may be nil",
		Help: "A field access through a pointer, a `*p` load or store, or indexing or slicing a pointer to array " +
			"can run with a nil pointer, and the code itself says where that nil comes from: the message names " +
			"the origin and each step from it.\n\n" +
			"    var u *User\n    if ok { u = &User{} }\n    _ = u.Name // u may be nil here\n\n" +
			"Check the value before use, or make every path assign it.",
	},
	{
		ID: "nil-receiver", Name: "NilReceiverDereference",
		Short: "Call of a method that dereferences a receiver that may be nil",
		Help: "A pointer-receiver method is called on a value that may be nil, and the method dereferences its " +
			"receiver without checking it, so the call panics.\n\n" +
			"Check the value before the call, or make the method handle a nil receiver.",
	},
	{
		ID: "nil-argument", Name: "NilArgumentDereference",
		Short: "Argument that may be nil, for a parameter the callee dereferences",
		Help: "A value that may be nil is passed to a function that dereferences that parameter without checking " +
			"it (nilsentry knows this from the callee's summary, also across packages), so the call panics inside " +
			"the callee. The message ends with the callee and the parameter: `NAME dereferences parameter p`.\n\n" +
			"    func Anonymize(u *User) { u.Profile = nil }\n\n" +
			"    var u *User\n    if s != nil { u = s.Lookup(id) }\n    Anonymize(u) // u may be nil here\n\n" +
			"Check the value before the call, or make the callee handle nil.",
	},
	{
		ID: "typed-nil", Name: "NilPointerInNonNilInterface",
		Short: "Pointer that may be nil returned as a non-nil interface",
		Help: "A function returns a pointer that may be nil as an interface result, typically `error`. An interface " +
			"that holds a nil *T is not itself nil, so the caller's `err != nil` is true: it takes the error path " +
			"with a nil pointer inside, and a method call on it may dereference nil.\n\n" +
			"    func validate(s string) error {\n        var e *MyErr\n        if s == \"\" { e = &MyErr{} }\n" +
			"        return e // a nil *MyErr is a non-nil error\n    }\n\n" +
			"Return a literal nil when there is nothing to return (`if e == nil { return nil }`), or declare the " +
			"variable with the interface type.",
	},
	{
		ID: "nil-call", Name: "NilFunctionCall",
		Short: "Call of a func value that may be nil",
		Help: "A func value (a variable, field or map entry) is called while it may be nil; calling a nil func panics.\n\n" +
			"Check it against nil before calling, or give it a default.",
	},
	{
		ID: "nil-interface-call", Name: "NilInterfaceMethodCall",
		Short: "Method call on an interface value that may be nil",
		Help: "A method is called on an interface value that may be nil (it holds no dynamic type), which panics.\n\n" +
			"Check the interface against nil before the call.",
	},
	{
		ID: "nil-map-write", Name: "NilMapWrite",
		Short: "Write to a map that may be nil",
		Help: "`m[k] = v` on a nil map panics; reading a nil map does not.\n\n" +
			"    var m map[string]int\n    m[\"a\"] = 1 // m is nil here\n\n" +
			"Create the map with make or a literal before writing.",
	},
	{
		ID: "nil-chan-close", Name: "NilChannelClose",
		Short: "Close of a channel that may be nil",
		Help:  "`close(ch)` panics when ch is nil.\n\nCreate the channel with make, or check it before closing.",
	},
	{
		ID: "deref-before-check", Name: "DereferenceBeforeNilCheck",
		Short: "Dereference of a value that a later check says may be nil",
		Help: "The value is dereferenced, and afterwards the code checks it for nil: either the check is dead or " +
			"the dereference can panic.\n\n" +
			"    name := p.Name\n    if p == nil { return }\n\n" +
			"Move the check before the dereference, or drop it if the value is never nil.",
	},
	{
		ID: "nil-condition", Name: "DecidedNilCondition",
		Short: "Nil comparison whose outcome is already known",
		Help: "A `x == nil` or `x != nil` (or a switch `case nil`) whose outcome the checks before it decide: " +
			"impossible (never true) or tautological (always true). Usually the wrong variable is checked.\n\n" +
			"    t, err2 := load(b)\n    if err != nil { // err is nil here: checked above\n\n" +
			"Check the variable meant (err2), or drop the dead check.",
	},
	{
		ID: "nil-panic", Name: "PanicWithNil",
		Short: "panic with a nil value",
		Help: "`panic(x)` with x nil on every path: since Go 1.21 it panics with a *runtime.PanicNilError, and a " +
			"recover that expected the error gets something else.\n\nPass the value meant.",
	},
	{
		ID: "nil-chan-send", Name: "SendToNilChannel",
		Short: "Send to a nil channel",
		Help:  "`ch <- v` on a nil channel blocks forever.\n\nCreate the channel with make before sending.",
	},
	{
		ID: "nil-chan-recv", Name: "ReceiveFromNilChannel",
		Short: "Receive from a nil channel",
		Help:  "`<-ch` or `for range ch` on a nil channel blocks forever.\n\nCreate the channel with make before receiving.",
	},
	{
		ID: "nil-index", Name: "IndexOfNilSlice",
		Short: "Index of a nil slice",
		Help:  "`s[i]` on a nil slice panics: index out of range.\n\nCheck the slice's length, or fill it first.",
	},
	{
		ID: "nil-range", Name: "RangeOverNil",
		Short: "Range over a nil slice or map",
		Help:  "A loop over a slice or map that is nil there never runs: a likely mistake.\n\nRange over the value meant.",
	},
	{
		ID: "nil-assert", Name: "TypeAssertionOnNilInterface",
		Short: "Type assertion on a nil interface",
		Help: "`x.(T)` (without comma-ok), or the method value `x.M`, on a nil interface panics.\n\n" +
			"Use `v, ok := x.(T)` or check x first.",
	},
	{
		ID: "nil-conversion", Name: "NilSliceToArrayConversion",
		Short: "Conversion of a nil slice to a non-empty array",
		Help:  "`(*[N]T)(s)` with N > 0 panics when s is nil (its length is 0).\n\nCheck the slice's length first.",
	},
	{
		ID: "ignore-directive", Name: "IgnoreDirectiveProblem",
		Short: "nilsentry:ignore directive without a reason, or that silences nothing",
		Help: "`//nilsentry:ignore <reason>` on the reported line or the line above silences a nilsentry finding. " +
			"The directive must say why the value cannot be nil there, and it must silence something: a directive " +
			"without a reason, or one that no longer matches a finding (the code changed or the finding was " +
			"fixed), is reported itself, so that suppressions do not rot.\n\n" +
			"    return u.Name //nilsentry:ignore u is set by the loader before any call\n\n" +
			"Add the reason, or remove the directive.",
	},
}

// ruleFor returns the rule of a category, making one up for a category
// the table does not know so that every SARIF result has a rule.
func ruleFor(category string) rule {
	if category == "" {
		category = "nilsentry"
	}
	if i := slices.IndexFunc(rules, func(r rule) bool { return r.ID == category }); i >= 0 {
		return rules[i]
	}
	return rule{ID: category, Short: "nilsentry finding: " + category, Help: "See the nilsentry documentation."}
}

// helpURI resolves the rule's anchor against the analyzer's URL, the way
// go/analysis drivers resolve a diagnostic's URL from its Category
// (base "https://github.com/nilsentry/nilsentry#rules" gives
// "https://github.com/nilsentry/nilsentry#nil-deref").
func helpURI(analyzerURL, id string) string {
	base, err := url.Parse(analyzerURL)
	if err != nil || analyzerURL == "" {
		return ""
	}
	return base.ResolveReference(&url.URL{Fragment: id}).String()
}
