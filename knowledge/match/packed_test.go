package match

import (
	"slices"
	"testing"
)

// unpacked returns the rows of r as postings.
func unpacked(r *packedRows) postings {
	p := postings{start: []int32{0}}
	for i := range r.rows() {
		p.ids = r.appendIDs(p.ids, i)
		p.appendRow()
	}
	return p
}

// shortOf returns the packed postings p, of ids 0..ids-1, as
// shortPostings.
func shortOf(p *packedPostings, ids int) shortPostings {
	s := newShortPostings(len(p.sizes), ids)
	for pass := range 2 {
		for t := range len(p.sizes) {
			for id := range p.row(t) {
				if pass == 0 {
					s.count(int32(t), id)
				} else {
					s.add(int32(t), id)
				}
			}
		}
		if pass == 0 {
			s.allocate()
		}
	}
	s.done()
	return s
}

// TestPackedRows checks that rows of ids, close together and far apart,
// read back as they were written, and that their postings built in two
// passes list each id under each row that holds it.
func TestPackedRows(t *testing.T) {
	tests := []struct {
		name string
		rows [][]int32
	}{
		{"empty", nil},
		{"empty rows", [][]int32{{}, {}, {}}},
		{"one id each", [][]int32{{0}, {5}, {1 << 30}}},
		{"consecutive", [][]int32{{0, 1, 2, 3}, {7, 8, 9}}},
		{"gaps across varint lengths", [][]int32{{0, 127, 128, 129, 256, 16_511, 16_512, 16_513, 2_113_664, 1<<31 - 1}}},
		{"mixed", [][]int32{{3, 9, 200}, {}, {0, 70_000, 70_001}, {1 << 20}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newPackedRows(len(tc.rows), 0)
			for _, row := range tc.rows {
				r.add(row)
			}
			r.done()
			if r.rows() != len(tc.rows) {
				t.Fatalf("%d rows, want %d", r.rows(), len(tc.rows))
			}
			terms := int32(0)
			for i, want := range tc.rows {
				if got := r.appendIDs(nil, i); !slices.Equal(got, want) && len(got)+len(want) > 0 {
					t.Errorf("row %d: %v, want %v", i, got, want)
				}
				if got := slices.Collect(r.row(i)); !slices.Equal(got, want) {
					t.Errorf("row %d read in turn: %v, want %v", i, got, want)
				}
				for _, id := range want {
					if !r.has(i, id) {
						t.Errorf("row %d lacks %d", i, id)
					}
					if !slices.Contains(want, id+1) && r.has(i, id+1) {
						t.Errorf("row %d has %d", i, id+1)
					}
					terms = max(terms, id%97+1)
				}
			}
			// The inverse: from each id mod 97 to the rows holding it.
			post := newPackedPostings(int(terms))
			want := make([][]int32, terms)
			for pass := range 2 {
				for i, row := range tc.rows {
					for k, id := range row {
						if slices.ContainsFunc(row[:k], func(u int32) bool { return u%97 == id%97 }) {
							continue // the row is listed once under each term
						}
						if pass == 0 {
							post.count(id%97, int32(i))
							want[id%97] = append(want[id%97], int32(i))
						} else {
							post.add(id%97, int32(i))
						}
					}
				}
				if pass == 0 {
					post.allocate()
				}
			}
			post.done()
			for term, rows := range want {
				if got := slices.Collect(post.row(term)); !slices.Equal(got, rows) {
					t.Errorf("term %d: rows %v, want %v", term, got, rows)
				}
				if post.size(int32(term)) != int32(len(rows)) {
					t.Errorf("term %d: size %d, want %d", term, post.size(int32(term)), len(rows))
				}
			}
			if post.size(terms) != 0 {
				t.Errorf("size of a term past the last: %d", post.size(terms))
			}
		})
	}
}

// TestPackedRowsPastTheirSize adds rows of far more bytes than the size
// reserved: they go to arrays of their own while they are added, and
// read back, once done, from one array of their size.
func TestPackedRowsPastTheirSize(t *testing.T) {
	var rows [][]int32
	for i := range 3000 {
		row := []int32{int32(i)}
		for k := range i % 9 {
			row = append(row, row[len(row)-1]+int32(1+k*k*1000))
		}
		rows = append(rows, row)
	}
	r := newPackedRows(len(rows), 100)
	for _, row := range rows {
		r.add(row)
	}
	if len(r.full) == 0 {
		t.Fatal("the rows went to no array of their own while they were added")
	}
	r.done()
	if r.full != nil || len(r.data) != cap(r.data) || int(r.start[len(rows)]) != len(r.data) {
		t.Fatalf("done left %d arrays, and %d bytes in an array of %d for rows of %d", len(r.full), len(r.data), cap(r.data), r.start[len(rows)])
	}
	for i, want := range rows {
		if got := r.appendIDs(nil, i); !slices.Equal(got, want) {
			t.Fatalf("row %d: %v, want %v", i, got, want)
		}
	}
}
