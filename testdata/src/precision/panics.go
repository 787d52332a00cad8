package precision

// A helper that panics under a condition on its arguments returns only
// when they exclude it (summary.ReturnsWhen): the code after a call that
// passes the panicking constant does not run (goja's
// r.typeErrorResult(true, ...) before `return nil`, P-noreturn).

type runtime struct{ strict bool }

func (r *runtime) typeError(throw bool, msg string) {
	if throw {
		panic(msg)
	}
}

func (r *runtime) toCallable(v any) func() int {
	if f, ok := v.(func() int); ok {
		return f
	}
	r.typeError(true, "not callable")
	return nil
}

func callIt(r *runtime, v any) int {
	return r.toCallable(v)()
}

// Still reported: the flag may be false, and then typeError returns.
func (r *runtime) toCallableIf(v any, throw bool) func() int {
	if f, ok := v.(func() int); ok {
		return f
	}
	r.typeError(throw, "not callable")
	return nil
}

func callSoft(r *runtime, v any) int {
	return r.toCallableIf(v, false)() // want `nil function call: r.toCallableIf\(v, false\) may be nil here \(\(\*runtime\).toCallableIf returns nil at panics.go:\d+\)`
}

// Still reported: a helper that panics on a condition of something
// else than its arguments gives the caller no condition.
func (r *runtime) check(msg string) {
	if r.strict {
		panic(msg)
	}
}

func (r *runtime) lookup(v any) func() int {
	if f, ok := v.(func() int); ok {
		return f
	}
	r.check("not callable")
	return nil
}

func callChecked(r *runtime, v any) int {
	return r.lookup(v)() // want `nil function call: r.lookup\(v\) may be nil here \(\(\*runtime\).lookup returns nil at panics.go:\d+\)`
}
