package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/faqbot/faqbot/knowledge/convert"
)

// cmdExport writes the knowledge file, loaded and checked as "faqbot run"
// loads it, in another FAQ format.
func cmdExport(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("export")
	var sf setupFlags
	sf.register(fs)
	format := fs.String("format", "", "the `format` to write: "+strings.Join(convert.ExportFormats, ", ")+" (default: by the -o file's extension)")
	out := fs.String("o", "", "write to `FILE` instead of standard output (-: standard output)")
	force := fs.Bool("force", false, "overwrite the -o file if it exists")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: faqbot export [--format F] [-o OUT] [KNOWLEDGE_FILE]")
		fmt.Fprintln(fs.Output(), "Writes the knowledge file (by default the config's) in another FAQ format.")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) > 1 {
		return usageError(fs, "export takes at most one knowledge file, got %d", len(files))
	}
	if len(files) == 1 {
		sf.knowledge = files[0]
	}
	f := *format
	if f == "" {
		f = convert.ExportFormatFor(*out)
	}
	if f == "" {
		return usageError(fs, "name a format with --format: %s", strings.Join(convert.ExportFormats, ", "))
	}
	_, kb, err := sf.loadAll()
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return &exitError{code: 1}
	}
	var buf bytes.Buffer
	if err := convert.Export(&buf, kb.File, f); err != nil {
		return err
	}
	if *out == "" || *out == "-" {
		_, err := c.stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(*out, buf.Bytes(), *force); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "wrote %s: %d entries as %s\n", *out, kb.Len(), f)
	return nil
}
