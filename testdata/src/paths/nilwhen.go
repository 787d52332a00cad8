package paths

import "errors"

// Conditional nil results (nilwhen.go): a callee's nil return depends on
// its arguments, and a call whose arguments exclude every such condition
// gets no nil from it.

type Plan interface{ Encode() string }

type textPlan struct{}

func (textPlan) Encode() string { return "" }

type Valuer interface{ Value() int }

type Bits struct{ n int }

func (b Bits) Value() int { return b.n }

type Other struct{}

const (
	binaryFormat int16 = 1
	textFormat   int16 = 0
)

// pgx's PlanEncode: nil for a value that is not a Valuer, or for an
// unknown format.
func planEncode(format int16, value any) Plan {
	if _, ok := value.(Valuer); !ok {
		return nil
	}
	switch format {
	case binaryFormat:
		return textPlan{}
	case textFormat:
		return textPlan{}
	}
	return nil
}

func encodeBits(b Bits) string {
	return planEncode(textFormat, b).Encode() // a Bits is a Valuer, and the format is known
}

// Still reported: a value that is no Valuer, a format no case takes, or
// an argument nothing is known of.
func encodeOther(o Other) string {
	return planEncode(textFormat, o).Encode() // want `nil interface method call: planEncode\(textFormat, o\) may be nil here \(planEncode returns nil at nilwhen.go:\d+\)`
}

func encodeFormat(b Bits) string {
	return planEncode(7, b).Encode() // want `nil interface method call: planEncode\(7, b\) may be nil here`
}

func encodeAny(format int16, v any) string {
	return planEncode(format, v).Encode() // want `nil interface method call: planEncode\(format, v\) may be nil here`
}

// The condition is on a concrete type too: a type switch.
func planConcrete(value any) *Item {
	switch value.(type) {
	case Bits, *Bits:
		return &Item{}
	}
	return nil
}

func concreteBits() int {
	return planConcrete(Bits{}).N
}

func concreteOther() int {
	return planConcrete(Other{}).N // want `nil dereference: planConcrete\(Other\{\}\) may be nil here`
}

// Nil only for a nil argument, or for a field of the struct an argument
// points to (sarama's send: no promise without a response to fill).
type request struct {
	resp    *Item
	version int
}

func send(req *request) (*Item, error) {
	if req.resp == nil {
		return nil, nil
	}
	if req.version > 3 {
		return nil, errors.New("unsupported")
	}
	return req.resp, nil
}

func sendWithResponse() int {
	r, err := send(&request{resp: &Item{}, version: 1})
	if err != nil {
		return 0
	}
	return r.N
}

func sendWithoutResponse() int {
	r, err := send(&request{version: 1})
	if err != nil {
		return 0
	}
	return r.N // want `nil dereference: r may be nil here \(send returns nil with a nil error at nilwhen.go:\d+\)`
}

// A string receiver switched on (clickhouse-go's Type.Column).
type kind string

func (k kind) column() (*Item, error) {
	switch k {
	case "UInt8", "String":
		return &Item{}, nil
	}
	return nil, errors.New("unknown type " + string(k))
}

func knownColumn() int {
	c, _ := kind("UInt8").column()
	return c.N
}

func unknownColumn() int {
	c, _ := kind("Decimal").column()
	return c.N // want `nil dereference: c may be nil here`
}
