package match

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// memCache is a Cache in memory that counts what is asked of it.
type memCache struct {
	values     map[string][]byte
	gets, puts int
}

func (m *memCache) Get(key string) ([]byte, bool) {
	m.gets++
	v, ok := m.values[key]
	return v, ok
}

func (m *memCache) Put(key string, value []byte) {
	m.puts++
	m.values[key] = slices.Clone(value)
}

// TestClassifierCache builds testdata/classify with a cache that misses,
// one that holds the classifier (with one weight changed, to tell it from
// a trained one) and ones that hold a damaged value: a hit is read and
// not trained or put, a miss or a damaged value is trained and put, and
// what is trained is the classifier a build without a cache trains.
func TestClassifierCache(t *testing.T) {
	f := loadBenchFile(t, "testdata/classify/kb.yaml")
	build := func(cache Cache) *classifier {
		t.Helper()
		x, err := buildIndex(f, defaultWeights(), Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		if x.classifier == nil {
			t.Fatal("no classifier trained")
		}
		return x.classifier
	}
	trained := build(nil)
	fill := &memCache{values: map[string][]byte{}}
	build(fill)
	if fill.puts != 1 || len(fill.values) != 1 {
		t.Fatalf("an empty cache: %d puts of %d keys, want 1 of 1", fill.puts, len(fill.values))
	}
	var key string
	var good []byte
	for key, good = range fill.values {
	}
	if !isKey(key) {
		t.Fatalf("key %q is not a hex SHA-256 digest", key)
	}
	// changed is the trained classifier with its first weight changed.
	changed := *trained
	changed.w = slices.Clone(trained.w)
	changed.w[0] += 1
	damage := func(edit func([]byte) []byte) []byte { return edit(slices.Clone(good)) }
	tests := []struct {
		name  string
		value []byte // under key; nil for none
		hit   bool
		w0    float32 // the first weight built
	}{
		{"miss", nil, false, trained.w[0]},
		{"hit", changed.encode(key), true, changed.w[0]},
		{"a weight changed", damage(func(b []byte) []byte { b[len(b)/2] ^= 1; return b }), false, trained.w[0]},
		{"cut short", damage(func(b []byte) []byte { return b[:len(b)-9] }), false, trained.w[0]},
		{"empty", []byte{}, false, trained.w[0]},
		{"another key's", changed.encode(strings.Repeat("0", len(key))), false, trained.w[0]},
		{"another training's", damage(func(b []byte) []byte {
			return append([]byte("faqbot classifier 0"), b[len(classifierTraining):]...)
		}), false, trained.w[0]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cache := &memCache{values: map[string][]byte{}}
			if tt.value != nil {
				cache.values[key] = tt.value
			}
			c := build(cache)
			if c.w[0] != tt.w0 {
				t.Errorf("first weight %v, want %v", c.w[0], tt.w0)
			}
			if !tt.hit && (!slices.Equal(c.w, trained.w) || !slices.Equal(c.b, trained.b)) {
				t.Error("the classifier differs from one trained without a cache")
			}
			wantPuts := 1
			if tt.hit {
				wantPuts = 0
			}
			if cache.gets != 1 || cache.puts != wantPuts {
				t.Errorf("%d gets and %d puts, want 1 and %d", cache.gets, cache.puts, wantPuts)
			}
			if !bytes.Equal(cache.values[key], good) && !tt.hit {
				t.Error("the value put is not the trained classifier's")
			}
		})
	}
}

// TestDirCache puts and gets values in a folder: a value is read back
// whole, a key that is not a digest is never a file name, the least
// recently used files past keep are removed, and a folder that cannot be
// written to is logged, not fatal.
func TestDirCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "classifiers")
	var logged bytes.Buffer
	d := NewDirCache(dir, 2, slog.New(slog.NewTextHandler(&logged, nil)))
	keys := []string{strings.Repeat("a", 64), strings.Repeat("b", 64), strings.Repeat("c", 64)}
	if _, ok := d.Get(keys[0]); ok {
		t.Fatal("a key never put: found")
	}
	d.Put(keys[0], []byte("zero"))
	d.Put(keys[1], []byte("one"))
	if v, ok := d.Get(keys[0]); !ok || string(v) != "zero" {
		t.Fatalf("Get = %q, %v; want zero", v, ok)
	}
	// keys[1] was used least recently: keys[0] was got since.
	past := time.Now().Add(-time.Minute)
	if err := os.Chtimes(filepath.Join(dir, keys[1]), past, past); err != nil {
		t.Fatal(err)
	}
	d.Put(keys[2], []byte("two"))
	for i, want := range []bool{true, false, true} {
		if _, ok := d.Get(keys[i]); ok != want {
			t.Errorf("key %d kept: %v, want %v", i, ok, want)
		}
	}
	for _, key := range []string{"../escape", "", strings.Repeat("g", 64), strings.Repeat("a", 63)} {
		d.Put(key, []byte("x"))
		if _, ok := d.Get(key); ok {
			t.Errorf("key %q: put and got", key)
		}
	}
	names, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 {
		t.Errorf("%d files in the folder, want 2", len(names))
	}

	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	NewDirCache(file, 2, slog.New(slog.NewTextHandler(&logged, nil))).Put(keys[0], []byte("x"))
	if !strings.Contains(logged.String(), "keeping a trained classifier") {
		t.Errorf("a folder that is a file: logged %q, want a warning", logged.String())
	}
}

// BenchmarkClassifierCached reads the classifier of each knowledge file
// of the public data asked several ways per entry from a cache that holds
// it: the time a build or a reload of a file loaded before adds, against
// BenchmarkClassifier's training.
func BenchmarkClassifierCached(b *testing.B) {
	dir := benchDir(b)
	for _, d := range benchDatasets[:3] {
		b.Run(d, func(b *testing.B) {
			f := loadBenchFile(b, filepath.Join(dir, d, "kb.yaml"))
			w := defaultWeights()
			w.classifier = 0 // the index alone; the classifier is read below
			x, err := newIndexWeights(f, w)
			if err != nil {
				b.Fatal(err)
			}
			cache := &memCache{values: map[string][]byte{}}
			newClassifier(x, defaultWeights(), cache)
			for b.Loop() {
				newClassifier(x, defaultWeights(), cache)
			}
			if cache.puts != 1 {
				b.Fatalf("%d classifiers trained, want 1", cache.puts)
			}
		})
	}
}
