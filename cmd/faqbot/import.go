package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/convert"
)

// cmdImport turns an FAQ document into a knowledge file, checked with the
// loader that "faqbot run" uses before it is written.
func cmdImport(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("import")
	var sf setupFlags
	sf.register(fs)
	format := fs.String("format", convert.FormatAuto, "the document's `format`: "+strings.Join(convert.ImportFormats, ", "))
	out := fs.String("o", "", "write the knowledge file to `FILE` instead of standard output (-: standard output)")
	force := fs.Bool("force", false, "overwrite the file written to if it exists")
	baseURL := fs.String("base-url", "", "make the document's relative links absolute under `URL` (where the document is published)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: faqbot import [--format F] [--base-url URL] FILE [-o OUT | --knowledge OUT | --config FILE] [--force]")
		fmt.Fprintln(fs.Output(), "Turns an FAQ document (- for standard input) into a knowledge file, written to")
		fmt.Fprintln(fs.Output(), "standard output, or to -o OUT, --knowledge OUT, or the knowledge file that --config names.")
		fmt.Fprintln(fs.Output(), "It reads "+convert.ReadableFormats+";")
		fmt.Fprintln(fs.Output(), "the format is found by the file's extension, then by its content.")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError(fs, "import takes one document, got %d", len(files))
	}
	target, err := importTarget(fs, &sf, *out)
	if err != nil {
		return err
	}
	name := files[0]
	data, err := readInput(c.stdin, name)
	if err != nil {
		return err
	}
	if name == "-" {
		name = "stdin"
	}
	if *baseURL != "" {
		if u, err := url.Parse(*baseURL); err != nil || u.Scheme == "" || u.Host == "" {
			return usageError(fs, "--base-url %q is not an absolute URL such as https://example.com/help/", *baseURL)
		}
	}
	f, rep, err := convert.ImportWith(name, data, convert.ImportOptions{Format: *format, BaseURL: *baseURL})
	warnings := rep.Warnings
	for _, w := range warnings {
		fmt.Fprintf(c.stderr, "warning: %v\n", w)
	}
	if err != nil {
		var errs knowledge.Errors
		if errors.As(err, &errs) {
			fmt.Fprintln(c.stderr, err)
			return &exitError{code: 1}
		}
		return err
	}
	var buf bytes.Buffer
	if err := knowledge.WriteYAML(&buf, f, convert.ImportHeader(name, warnings)); err != nil {
		return err
	}
	outName := target
	if outName == "" {
		outName = "output.yaml"
	}
	// What is written must load: check it with the same loader as run.
	if _, err := bot.ParseBase(outName, buf.Bytes()); err != nil {
		fmt.Fprintf(c.stderr, "the imported file does not pass its checks (a bug in faqbot import):\n%v\n", err)
		return &exitError{code: 1}
	}
	if target == "" {
		if _, err := c.stdout.Write(buf.Bytes()); err != nil {
			return err
		}
		fmt.Fprintln(c.stderr, rep.Summary(len(f.Entries)))
		return nil
	}
	if err := writeFileAtomic(target, buf.Bytes(), *force); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "wrote %s: %s\n", target, rep.Summary(len(f.Entries)))
	return nil
}

// importTarget returns the file import writes to: -o OUT, or --knowledge
// OUT, or the knowledge file of a config given with --config; "" means
// standard output, as -o - does. The config is read only when --config is given, so that
// a missing or incomplete ./config.yaml never stops an import.
func importTarget(fs *flag.FlagSet, sf *setupFlags, out string) (string, error) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case set["o"] && set["knowledge"] && out != sf.knowledge:
		return "", usageError(fs, "-o %s and --knowledge %s name two different files to write: give one of them", out, sf.knowledge)
	case set["o"] && out == "-":
		return "", nil
	case set["o"]:
		return out, nil
	case set["config"]:
		cfg, err := sf.loadConfig()
		if err != nil {
			return "", err
		}
		return cfg.Knowledge, nil
	}
	return sf.knowledge, nil
}

// readInput reads the named document, or standard input for "-", refusing
// anything larger than a document to import may be.
func readInput(stdin io.Reader, name string) ([]byte, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, convert.MaxDocumentSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > convert.MaxDocumentSize {
		return nil, fmt.Errorf("%s: larger than %d MiB, the most a document to import may have: split it and import the parts one by one (faqbot import PART -o part.yaml), keeping them in one folder of knowledge files", name, convert.MaxDocumentSize>>20)
	}
	return data, nil
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it over path, so that a reader (or a running bot's file watch) never sees
// half a file. It refuses to replace an existing file unless force is set;
// a symbolic link stays one, the file it names replaced. What is neither a
// file nor a folder (a device such as /dev/null or /dev/stdout, a named
// pipe) is written to, not replaced, force or not.
func writeFileAtomic(path string, data []byte, force bool) error {
	if st, err := os.Stat(path); err == nil {
		switch {
		case st.IsDir():
			return &exitError{code: 2, err: fmt.Errorf("%s is a folder: name a file to write", path)}
		case !st.Mode().IsRegular():
			return writeInPlace(path, data)
		case !force:
			return &exitError{code: 2, err: fmt.Errorf("%s exists; use --force to overwrite it", path)}
		}
		if real, err := filepath.EvalSymlinks(path); err == nil {
			path = real
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writeInPlace writes data to what path names, as it is: for a device or
// a named pipe, which renaming a file over would replace.
func writeInPlace(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
