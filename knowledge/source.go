package knowledge

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"io"
)

// source names what a File was loaded from: the path given to
// LoadReplacing, the digest of the bytes read there (see sourceDigest)
// and how many there were. It is zero for a File made any other way,
// which no load matches.
type source struct {
	path string
	sum  [sha256.Size]byte
	size int64
}

// sameSource reports whether serving was loaded from path and the bytes
// there are still those it was loaded from: the files names, of size
// bytes together as their sizes say, read through a small buffer unless
// that size is not serving's, none past maxBytes together. A file that
// cannot be read is not the same: the load that follows says why.
func sameSource(serving *File, path string, names []string, size, maxBytes int64) bool {
	if serving == nil || serving.source.path == "" || serving.source.path != path || serving.source.size != size {
		return false
	}
	d := newSourceDigest()
	left := maxBytes
	for _, name := range names {
		f, _, err := openRegular(name, "")
		if err != nil {
			return false
		}
		n, err := d.add(name, io.LimitReader(f, left+1))
		f.Close()
		if left -= n; err != nil || left < 0 {
			return false
		}
	}
	return d.sum() == serving.source.sum
}

// sourceDigest hashes the files of a knowledge file or folder: each
// file's name, its bytes and their count, in the order they are read.
// Between begin and end it is the io.Writer of a file's bytes. n counts
// the bytes of the file being hashed, total those of every file.
type sourceDigest struct {
	h        hash.Hash
	n, total int64
}

// newSourceDigest returns a digest of no files yet.
func newSourceDigest() *sourceDigest { return &sourceDigest{h: sha256.New()} }

// begin starts the bytes of the file name.
func (d *sourceDigest) begin(name string) {
	io.WriteString(d.h, name)
	d.h.Write([]byte{0})
	d.n = 0
}

// Write hashes p, bytes of the file begun last.
func (d *sourceDigest) Write(p []byte) (int, error) {
	d.n += int64(len(p))
	d.total += int64(len(p))
	return d.h.Write(p)
}

// end ends the bytes of a file.
func (d *sourceDigest) end() {
	d.h.Write(binary.LittleEndian.AppendUint64(nil, uint64(d.n)))
}

// add hashes the file name with the bytes r reads, and returns how many
// it read.
func (d *sourceDigest) add(name string, r io.Reader) (int64, error) {
	d.begin(name)
	n, err := io.Copy(d, r)
	d.end()
	return n, err
}

// sum returns the digest of the files hashed so far.
func (d *sourceDigest) sum() (s [sha256.Size]byte) {
	d.h.Sum(s[:0])
	return s
}

// source returns the source of a File loaded from path, whose files d
// hashed.
func (d *sourceDigest) source(path string) source {
	return source{path, d.sum(), d.total}
}
