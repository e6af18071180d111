package main

import (
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// unit returns a vector of dims dimensions pointing mostly along axis a,
// with share s of axis b.
func unit(a, b int, s float64) []float32 {
	v := make([]float32, dims)
	v[a] = float32(math.Sqrt(1 - s*s))
	v[b] = float32(s)
	return v
}

func TestTable(t *testing.T) {
	words := []string{"car", "cars", "vehicle", "truck", "banana", "hub"}
	vecs := [][]float32{
		unit(0, 1, 0.1),  // car
		unit(0, 1, 0.12), // cars: the same stem as car, never listed
		unit(0, 1, 0.3),  // vehicle
		unit(0, 2, 0.5),  // truck
		unit(5, 6, 0.1),  // banana: near nothing
		unit(0, 3, 0.6),  // hub: near all three, but none has it among its two nearest
	}
	// Each word's nearest of other stems, at least 0.55 similar, and each
	// with the word among its own two nearest: vehicle is not among
	// truck's (car and cars are nearer), so truck lists car only, once
	// for both spellings, and banana and hub have no line.
	got := table(words, vecs, 2, 0.55, 2)
	want := []string{
		"car vehicl:98 truck:86",
		"cars vehicl:98 truck:86",
		"truck car:86",
		"vehicle car:98",
	}
	if !slices.Equal(got, want) {
		t.Errorf("table:\ngot  %q\nwant %q", got, want)
	}
}

// TestReadNames reads a word list: a word it spells only with a capital is
// a name; one it also spells in lower case ("china", "China") is not.
func TestReadNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "words")
	if err := os.WriteFile(path, []byte("Syria\nIsrael\nchina\nChina\napple\nHamas\nMcDonald\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readNames(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"syria": true, "israel": true, "hamas": true, "mcdonald": true}
	if !maps.Equal(got, want) {
		t.Errorf("names = %v, want %v", got, want)
	}
	if _, err := readNames(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("readNames of a missing file: no error")
	}
}
