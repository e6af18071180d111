package match

import (
	"strings"
	"testing"
)

// TestWordVectors checks the English word vectors built into the binary:
// they read, every word is found, names are left out, and words alike in
// meaning point alike.
func TestWordVectors(t *testing.T) {
	v, err := readVectors(englishVectorTable)
	if err != nil {
		t.Fatalf("reading similar/en.vec: %v", err)
	}
	if len(v.recs) < 30_000 || v.dims != 100 {
		t.Fatalf("similar/en.vec holds %d words of %d dimensions; want 30,000 or more, of 100", len(v.recs), v.dims)
	}
	dst := make([]float32, v.dims)
	for i := range v.recs {
		if w := string(v.word(i)); !v.add(w, dst) {
			t.Fatalf("record %d: %q is not found: the records must be sorted", i, w)
		}
	}
	vec := func(word string) []float32 {
		t.Helper()
		out := make([]float32, v.dims)
		if !v.add(word, out) {
			t.Fatalf("no vector for %q", word)
		}
		return out
	}
	cos := func(a, b string) float32 {
		var s float32
		for k, x := range vec(a) {
			s += x * vec(b)[k]
		}
		return s
	}
	tests := []struct{ word, near, far string }{
		{"lost", "missing", "banana"},
		{"salary", "wages", "printer"},
		{"card", "cards", "weather"},
	}
	for _, tt := range tests {
		if near, far := cos(tt.word, tt.near), cos(tt.word, tt.far); near <= far {
			t.Errorf("%q is as near %q (%.2f) as %q (%.2f)", tt.word, tt.near, near, tt.far, far)
		}
	}
	if s := cos("card", "card"); s < 0.999 || s > 1.001 {
		t.Errorf("a vector is not of unit length: %v", s)
	}
	for _, word := range []string{"", "zzzz", "syria", "hamas", "Card"} {
		if v.add(word, dst) {
			t.Errorf("%q has a vector; want none", word)
		}
	}
}

func TestReadVectors(t *testing.T) {
	table := func(parts ...string) []byte { return []byte(strings.Join(parts, "")) }
	v, err := readVectors(table("# two words\n", "3\n", "apple \x03\x00\xfc", "car \x00\x05\x00"))
	if err != nil {
		t.Fatal(err)
	}
	got := make([]float32, 3)
	if !v.add("apple", got) || !v.add("car", got) {
		t.Fatalf("apple and car: not found in %d records", len(v.recs))
	}
	// apple (3, 0, -4) scaled to unit length, plus car (0, 1, 0).
	want := []float32{0.6, 1, -0.8}
	for k := range want {
		if d := got[k] - want[k]; d > 1e-6 || d < -1e-6 {
			t.Fatalf("apple + car = %v, want %v", got, want)
		}
	}
	bad := []struct {
		name string
		data []byte
		want string
	}{
		{"no header", []byte("# c"), "header cut short"},
		{"no comment", table("3\n", "apple \x01\x02\x03"), "not a comment"},
		{"no dimensions", table("# c\n", "three\n"), "not a number of dimensions"},
		{"a record cut short", table("# c\n", "3\n", "apple \x01\x02\x03", "car \x01"), "record 2, at byte 9, is cut short"},
		{"unsorted", table("# c\n", "3\n", "car \x01\x02\x03", "apple \x01\x02\x03"), "not sorted"},
	}
	for _, tt := range bad {
		if _, err := readVectors(tt.data); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
	}
}

func BenchmarkReadVectors(b *testing.B) {
	for b.Loop() {
		if _, err := readVectors(englishVectorTable); err != nil {
			b.Fatal(err)
		}
	}
}
