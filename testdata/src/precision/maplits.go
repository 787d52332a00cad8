package precision

// A lookup of a constant key that a package-level map's literal holds,
// when nothing else writes the map, cannot miss (a generated table of
// errors: P-map-keys).

type APIError struct{ Code int }

const (
	errNotFound = iota
	errBusy
	errGone
)

var apiErrors = map[int]*APIError{
	errNotFound: {Code: 404},
	errBusy:     {Code: 503},
	errGone:     nil,
}

func notFoundCode() int { return apiErrors[errNotFound].Code }

func busyCode() int {
	e := apiErrors[errBusy]
	return e.Code
}

// Still reported: the literal maps this key to nil.
func goneCode() int {
	return apiErrors[errGone].Code // want `nil dereference: apiErrors\[errGone\] may be nil here \(map lookup may miss at maplits.go:\d+\)`
}

// Still reported: the key is not a constant.
func codeOf(k int) int {
	return apiErrors[k].Code // want `nil dereference: apiErrors\[k\] may be nil here \(map lookup may miss at maplits.go:\d+\)`
}

// A map that code changes after its literal is not a fixed table.
var handlers = map[string]*APIError{
	"a": {Code: 1},
}

func dropHandler(name string) { delete(handlers, name) }

func handlerA() int {
	return handlers["a"].Code // want `nil dereference: handlers\["a"\] may be nil here \(map lookup may miss at maplits.go:\d+\)`
}

var replaced = map[string]*APIError{
	"a": {Code: 1},
}

func reset() { replaced = map[string]*APIError{} }

func replacedA() int {
	return replaced["a"].Code // want `nil dereference: replaced\["a"\] may be nil here \(map lookup may miss at maplits.go:\d+\)`
}
