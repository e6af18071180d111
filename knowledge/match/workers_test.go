package match

import (
	"reflect"
	"testing"
)

// TestWorkersBuildTheSameIndex checks that an index built on fewer
// goroutines answers every phrasing of its file, and a misspelt one, as
// an index built on all cores does.
func TestWorkersBuildTheSameIndex(t *testing.T) {
	want := loadIndex(t)
	f := want.file
	var questions []string
	for _, e := range f.Entries {
		for _, q := range append([]string{e.Question}, e.Alternates...) {
			questions = append(questions, q, q[1:]+"x")
		}
	}
	for _, workers := range []int{1, 2, 3} {
		got, err := NewWith(f, Options{Workers: workers})
		if err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		for _, q := range questions {
			if g, w := got.Search(q), want.Search(q); !reflect.DeepEqual(g, w) {
				t.Errorf("%d workers: %q found %+v, want %+v", workers, q, g, w)
			}
		}
	}
}
