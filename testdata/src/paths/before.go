package paths

import "fmt"

// Deref-before-check on access paths (issue 13): a path dereferenced and
// only then checked for nil in the same function, whether its base is a
// struct value (a parameter passed by value, a range element, a map
// value) or a pointer. The check says the author expects nil there.

type VM struct {
	Name       string
	Properties *VMProperties // want Properties:"nilable\\(field Properties checked for nil at paths/before.go:\\d+\\)"
}

type VMProperties struct {
	Storage *StorageProfile // want Storage:"nilable\\(field Storage checked for nil at paths/before.go:\\d+\\)"
}

type StorageProfile struct {
	Kind *string
}

// diskKind is the cloud-inventory shape: vm is a struct value.
func diskKind(vm VM) string {
	kind := *vm.Properties.Storage.Kind // want `nil dereference: vm.Properties may be nil here \(checked for nil later at before.go:\d+\)`
	if vm.Properties != nil && vm.Properties.Storage != nil {
		return kind
	}
	return ""
}

func diskKindPtr(vm *VM) string {
	kind := *vm.Properties.Storage.Kind // want `nil dereference: vm.Properties.Storage may be nil here \(checked for nil later at before.go:\d+\)`
	if vm.Properties.Storage == nil {
		return ""
	}
	return kind
}

// inventory ranges over struct values: each element is its own path.
func inventory(vms []VM) []string {
	var out []string
	for _, vm := range vms {
		out = append(out, fmt.Sprint(len(*vm.Properties.Storage.Kind))) // want `nil dereference: vm.Properties may be nil here \(checked for nil later at before.go:\d+\)`
		if vm.Properties == nil {
			out = append(out, vm.Name+": no properties")
		}
	}
	return out
}

func lookupKind(byName map[string]VM, name string) string {
	vm := byName[name]
	kind := *vm.Properties.Storage.Kind // want `nil dereference: vm.Properties may be nil here \(checked for nil later at before.go:\d+\)`
	if vm.Properties == nil {
		return "unknown"
	}
	return kind
}

// Safe look-alikes.

// The check comes first.
func diskKindGuarded(vm VM) string {
	if vm.Properties == nil || vm.Properties.Storage == nil {
		return ""
	}
	return *vm.Properties.Storage.Kind
}

// The path is assigned between the dereference and the check: the check
// is about the new value.
func refresh(vm *VM, load func() *VMProperties) string {
	kind := *vm.Properties.Storage.Kind
	vm.Properties = load()
	if vm.Properties == nil {
		return kind
	}
	return kind + "!"
}

// A call between them may change the memory behind a pointer.
func reload(vm *VM, sync func(*VM)) string {
	kind := *vm.Properties.Storage.Kind
	sync(vm)
	if vm.Properties == nil {
		return kind
	}
	return kind + "!"
}

// The check is about another element's path.
func pairs(vms []VM, i, j int) string {
	kind := *vms[i].Properties.Storage.Kind
	if vms[j].Properties == nil {
		return kind
	}
	return kind + "!"
}
