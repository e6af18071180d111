package lazyregexp

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestMethods checks that each method gives what regexp.Regexp's does.
func TestMethods(t *testing.T) {
	const expr, s = `(\w+)@(\w+)\.org`, "ann@example.org, bob@test.org and carl"
	lazy, re := New(expr), regexp.MustCompile(expr)
	upper := func(m string) string { return strings.ToUpper(m) }
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"MatchString", lazy.MatchString(s), re.MatchString(s)},
		{"FindString", lazy.FindString(s), re.FindString(s)},
		{"FindStringIndex", lazy.FindStringIndex(s), re.FindStringIndex(s)},
		{"FindStringSubmatch", lazy.FindStringSubmatch(s), re.FindStringSubmatch(s)},
		{"FindStringSubmatchIndex", lazy.FindStringSubmatchIndex(s), re.FindStringSubmatchIndex(s)},
		{"FindAllStringIndex", lazy.FindAllStringIndex(s, -1), re.FindAllStringIndex(s, -1)},
		{"FindAllStringSubmatch", lazy.FindAllStringSubmatch(s, 1), re.FindAllStringSubmatch(s, 1)},
		{"FindAllStringSubmatchIndex", lazy.FindAllStringSubmatchIndex(s, -1), re.FindAllStringSubmatchIndex(s, -1)},
		{"ReplaceAllString", lazy.ReplaceAllString(s, "$2"), re.ReplaceAllString(s, "$2")},
		{"ReplaceAllStringFunc", lazy.ReplaceAllStringFunc(s, upper), re.ReplaceAllStringFunc(s, upper)},
		{"Split", lazy.Split(s, -1), re.Split(s, -1)},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

// TestInvalidInTests checks that a test binary compiles an expression at
// once, so that one that does not compile fails the tests of the package
// that declares it.
func TestInvalidInTests(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New of an invalid expression did not panic in a test binary")
		}
	}()
	New(`(unclosed`)
}
