package knowledge

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// ParseJSONNode parses a JSON knowledge file into the same node tree that YAML
// gives, with lines and columns, so that one checker serves both. It uses
// encoding/json, so the file must be strict JSON.
func ParseJSONNode(name string, data []byte) (*yaml.Node, *Problem) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		p := BadUTF8(name, data)
		return nil, &p
	}
	if len(bytes.TrimSpace(data)) == 0 {
		p := Problemf(name, 0, 0, "", `the file is empty; a knowledge file needs "version": 1 and "entries"`)
		return nil, &p
	}
	p := &jsonParser{name: name, data: data, dec: json.NewDecoder(bytes.NewReader(data)), line: 1, col: 1}
	p.dec.UseNumber()
	root, err := p.value(1) // depth 0 is the document, as in YAML
	if err == nil {
		if _, terr := p.dec.Token(); !errors.Is(terr, io.EOF) {
			off := p.start()
			line, col := position(data, off)
			prob := Problemf(name, line, col, "", "unexpected text after the end of the JSON value")
			return nil, &prob
		}
		return &yaml.Node{Kind: yaml.DocumentNode, Line: 1, Column: 1, Content: []*yaml.Node{root}}, nil
	}
	var perr *Problem
	if errors.As(err, &perr) {
		return nil, perr
	}
	off := len(data)
	var serr *json.SyntaxError
	if errors.As(err, &serr) {
		// The decoder's offset counts the bytes of the values it read
		// but not the brackets, colons and commas that Token read, or
		// it is that of the token; the file scanned whole gives the
		// offending byte's.
		var whole *json.SyntaxError
		if errors.As(json.Unmarshal(data, new(json.RawMessage)), &whole) {
			err, serr = whole, whole
		}
		off = int(serr.Offset)
		if off > 0 {
			off-- // Offset is just past the offending byte.
		}
	}
	line, col := position(data, off)
	if r, at := badChar(data[off:min(off+3, len(data))], false); at == 0 && serr != nil {
		// A control character, which JSON refuses in a string as the
		// loader does anywhere.
		prob := Problemf(name, line, col, "", "%s is not allowed in a knowledge file: %s", charName(r), charAdvice(r))
		return nil, &prob
	}
	msg := err.Error()
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		msg = "unexpected end of file: a bracket or quote is not closed"
	}
	prob := Problemf(name, line, col, "", "invalid JSON: %s", strings.TrimPrefix(msg, "json: "))
	return nil, &prob
}

type jsonParser struct {
	name string
	data []byte
	dec  *json.Decoder
	// at is the offset of the node made last, on line line at column
	// col: the nodes come in the order of their offsets, so each one's
	// position is counted on from the last's, and a file all on one line
	// is not counted from its start again for every node.
	at, line, col int
}

// start returns the offset where the decoder's next token begins.
func (p *jsonParser) start() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (p *jsonParser) node(kind yaml.Kind, tag string, off int) *yaml.Node {
	if off < p.at {
		p.at, p.line, p.col = 0, 1, 1 // counted from the start again
	}
	passed := p.data[p.at:off]
	if nl := bytes.LastIndexByte(passed, '\n'); nl >= 0 {
		p.line += bytes.Count(passed, []byte{'\n'})
		p.col = 1 + utf8.RuneCount(passed[nl+1:])
	} else {
		p.col += utf8.RuneCount(passed)
	}
	p.at = off
	return &yaml.Node{Kind: kind, Tag: tag, Line: p.line, Column: p.col}
}

// value reads one JSON value into a node.
func (p *jsonParser) value(depth int) (*yaml.Node, error) {
	off := p.start()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	if depth > MaxDepth {
		line, col := position(p.data, off)
		prob := Problemf(p.name, line, col, "", tooDeep, MaxDepth)
		return nil, &prob
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := p.node(yaml.MappingNode, "!!map", off)
			for p.dec.More() {
				koff := p.start()
				ktok, err := p.dec.Token()
				if err != nil {
					return nil, err
				}
				k := p.node(yaml.ScalarNode, "!!str", koff)
				k.Value, _ = ktok.(string)
				k.Style = yaml.DoubleQuotedStyle
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, k, v)
			}
			if _, err := p.dec.Token(); err != nil { // '}'
				return nil, err
			}
			return n, nil
		case '[':
			n := p.node(yaml.SequenceNode, "!!seq", off)
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, v)
			}
			if _, err := p.dec.Token(); err != nil { // ']'
				return nil, err
			}
			return n, nil
		}
		return nil, errors.New("unexpected " + t.String())
	case string:
		n := p.node(yaml.ScalarNode, "!!str", off)
		n.Value, n.Style = t, yaml.DoubleQuotedStyle
		return n, nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(string(t), ".eE") {
			tag = "!!float"
		}
		n := p.node(yaml.ScalarNode, tag, off)
		n.Value = string(t)
		return n, nil
	case bool:
		n := p.node(yaml.ScalarNode, "!!bool", off)
		n.Value = "false"
		if t {
			n.Value = "true"
		}
		return n, nil
	default: // nil
		n := p.node(yaml.ScalarNode, "!!null", off)
		n.Value = "null"
		return n, nil
	}
}
