package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestClassifierKeptInStateFolder asks the shipped knowledge file a
// question three times: the first trains its classifier and keeps it in
// classifiers/ next to the state database; the second finds that file
// damaged, trains again and writes it whole; the third reads it. The
// answer is the same each time.
func TestClassifierKeptInStateFolder(t *testing.T) {
	cfg := shippedConfig(t)
	dir := filepath.Join(filepath.Dir(cfg), "data", "classifiers")
	ask := func() string {
		t.Helper()
		code, out, errOut := faqbot(t, "", "ask", "--json", "--config", cfg, "Does Russia endorse Hamas?")
		if code != 0 {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		return out
	}
	kept := func() (string, []byte) {
		t.Helper()
		files, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 1 {
			t.Fatalf("%d files in %s, want 1", len(files), dir)
		}
		path := filepath.Join(dir, files[0].Name())
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return path, data
	}
	first := ask()
	path, trained := kept()
	damaged := bytes.Clone(trained)
	damaged[len(damaged)/2] ^= 0xff
	if err := os.WriteFile(path, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := ask(); got != first {
		t.Errorf("with a damaged classifier file:\n%s\nwant\n%s", got, first)
	}
	if _, again := kept(); !bytes.Equal(again, trained) {
		t.Error("the damaged classifier file was not written again whole")
	}
	if got := ask(); got != first {
		t.Errorf("with the classifier read from its file:\n%s\nwant\n%s", got, first)
	}
}
