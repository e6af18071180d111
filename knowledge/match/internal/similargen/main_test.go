package main

import (
	"bytes"
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

// TestWriteVectors writes two words' vectors and reads the file back: a
// comment, the dimensions, then the words sorted, each with its vector a
// byte a dimension, the largest at 127.
func TestWriteVectors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v")
	words := []string{"car", "apple"}
	vecs := [][]float32{unit(0, 1, 0.6), unit(2, 3, 0.8)}
	if err := writeVectors(path, words, vecs); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	comment, rest, _ := bytes.Cut(data, []byte("\n"))
	d, rest, _ := bytes.Cut(rest, []byte("\n"))
	if !bytes.HasPrefix(comment, []byte("# ")) || string(d) != "100" {
		t.Fatalf("header %q, %q; want a comment and 100", comment, d)
	}
	// apple: 0.6 on axis 2, 0.8 on axis 3; car: 0.8 on axis 0, 0.6 on 1.
	want := map[string][4]int8{"apple": {0, 0, 95, 127}, "car": {127, 95, 0, 0}}
	for _, word := range []string{"apple", "car"} {
		if !bytes.HasPrefix(rest, []byte(word+" ")) || len(rest) < len(word)+1+dims {
			t.Fatalf("want a record for %q next, got %q", word, rest[:min(len(rest), 20)])
		}
		vec := rest[len(word)+1 : len(word)+1+dims]
		for k, w := range want[word] {
			if got := int8(vec[k]); got != w {
				t.Errorf("%s dimension %d = %d, want %d", word, k, got, w)
			}
		}
		rest = rest[len(word)+1+dims:]
	}
	if len(rest) != 0 {
		t.Errorf("%d bytes after the records", len(rest))
	}
}

// TestReadSynsets reads WordNet's data files: each set of two or more
// one-word synonyms, lowered, its markers cut off; the licence lines, a set
// of one word and words of two ("with_child") are left out.
func TestReadSynsets(t *testing.T) {
	got, err := readSynsets("testdata/wordnet")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"car", "auto"}, {"big", "large"}, {"big", "large"}} // nouns first
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("synsets = %q, want %q", got, want)
	}
	if _, err := readSynsets(t.TempDir()); err == nil {
		t.Error("readSynsets of a directory without WordNet: no error")
	}
}

// TestRetrofit draws synonyms together and leaves other words as they are:
// big and large, at right angles, come to share most of their direction;
// like, with no synonyms listed, keeps its vector; a set naming a word
// outside the vectors changes nothing.
func TestRetrofit(t *testing.T) {
	words := []string{"big", "large", "like"}
	vecs := [][]float32{unit(0, 1, 0), unit(1, 0, 0), unit(0, 2, 0.6)}
	sets := [][]string{{"big", "large", "huge"}, {"like", "enormous"}}
	got := retrofit(words, vecs, sets, 2)
	if s := dot(got[0], got[1]); s < 0.6 || s > 0.99 {
		t.Errorf("big·large = %.2f after retrofitting, want between 0.6 and 0.99 (0 before)", s)
	}
	for i, v := range got {
		if n := dot(v, v); math.Abs(float64(n)-1) > 1e-5 {
			t.Errorf("%s: length² %.6f, want 1", words[i], n)
		}
	}
	if !slices.Equal(got[2], vecs[2]) {
		t.Errorf("like = %v, want it unchanged", got[2][:3])
	}
	if s := dot(got[0], vecs[0]); s < 0.8 {
		t.Errorf("big·its own vector = %.2f, want 0.8 or more: its own counts twice its synonyms'", s)
	}
}
