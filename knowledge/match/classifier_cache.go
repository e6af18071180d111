package match

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Cache keeps the classifiers that builds trained, so that a build of the
// same phrasings, at a reload or the next start, reads the weights instead
// of training them again (about half a second for 150 entries asked five
// ways each). A key is the hex SHA-256 digest of everything the training
// reads; a value that is not a whole classifier of its key, with the right
// checksum, is ignored, and the classifier trained anew and put again.
type Cache interface {
	// Get returns the value put under key, if there is one.
	Get(key string) ([]byte, bool)
	// Put keeps value under key. A value that cannot be kept is not: the
	// next build of the same phrasings trains again.
	Put(key string, value []byte)
}

// classifierTraining names the training in every key and value: change it
// when the training itself changes (classifierEpochs, classifierRate, the
// shuffle, the update, probabilities), so that weights trained the old way
// are not read as the new way's. The architecture and Go version are in
// the key too: float arithmetic may round differently on another.
const classifierTraining = "faqbot classifier 1"

// trainingKey returns the cache key of a classifier of n entries and
// nfeatures features trained on examples, in their order.
func trainingKey(n, nfeatures int, examples []example) string {
	h := sha256.New()
	buf := fmt.Appendf(nil, "%s\n%s %s\n%d entries, %d features, %d epochs at %v\n",
		classifierTraining, runtime.GOARCH, runtime.Version(), n, nfeatures, classifierEpochs, classifierRate)
	for _, ex := range examples {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(ex.entry))
		buf = binary.LittleEndian.AppendUint32(buf, uint32(len(ex.terms)))
		for i, t := range ex.terms {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(t))
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(ex.vals[i]))
		}
		h.Write(buf)
		buf = buf[:0]
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The value of a classifier in a Cache is classifierTraining and its key,
// each followed by a newline, then the number of entries and of features,
// then the weights w and the biases b, all little-endian (uint32, float32),
// then the CRC-32 (Castagnoli) of all that comes before it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// encode returns c's weights as a value of the cache under key.
func (c *classifier) encode(key string) []byte {
	buf := make([]byte, 0, len(classifierTraining)+len(key)+2+8+4*(len(c.w)+len(c.b))+4)
	buf = append(append(append(append(buf, classifierTraining...), '\n'), key...), '\n')
	buf = binary.LittleEndian.AppendUint32(buf, uint32(c.entries))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(c.w)/c.entries))
	for _, f := range [][]float32{c.w, c.b} {
		for _, v := range f {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
	}
	return binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, castagnoli))
}

// readCache sets c's weights and biases, sized already, from the value
// cache holds under key, and reports whether it held a whole one.
func (c *classifier) readCache(cache Cache, key string) bool {
	value, ok := cache.Get(key)
	if !ok {
		return false
	}
	head := classifierTraining + "\n" + key + "\n"
	if len(value) != len(head)+8+4*(len(c.w)+len(c.b))+4 || string(value[:len(head)]) != head {
		return false
	}
	body, sum := value[:len(value)-4], binary.LittleEndian.Uint32(value[len(value)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return false
	}
	rest := body[len(head):]
	if int(binary.LittleEndian.Uint32(rest)) != c.entries || int(binary.LittleEndian.Uint32(rest[4:]))*c.entries != len(c.w) {
		return false
	}
	rest = rest[8:]
	for _, f := range [][]float32{c.w, c.b} {
		for i := range f {
			f[i] = math.Float32frombits(binary.LittleEndian.Uint32(rest))
			rest = rest[4:]
		}
	}
	return true
}

// DirCache is a Cache of files in a folder, one a key, named by it: the
// classifiers/ folder next to the state database, so that a restart reads
// what the last run trained. It keeps the files of the keep keys most
// recently got or put, and removes the others.
type DirCache struct {
	dir  string
	keep int
	log  *slog.Logger
}

// NewDirCache returns the cache in folder dir, made at the first Put,
// keeping the files of the keep keys most recently used. It logs to log
// what it could not read or write.
func NewDirCache(dir string, keep int, log *slog.Logger) *DirCache {
	return &DirCache{dir: dir, keep: max(keep, 1), log: log.With("component", "classifier cache", "dir", dir)}
}

// isKey reports whether key is a hex SHA-256 digest, and so a plain file
// name.
func isKey(key string) bool {
	if len(key) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(key)
	return err == nil
}

// Get returns the content of key's file, and marks it used now.
func (d *DirCache) Get(key string) ([]byte, bool) {
	if !isKey(key) {
		return nil, false
	}
	path := filepath.Join(d.dir, key)
	value, err := os.ReadFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			d.log.Warn("reading a trained classifier; training it again", "error", err)
		}
		return nil, false
	}
	now := time.Now()
	if err := os.Chtimes(path, now, now); err != nil {
		d.log.Debug("marking a trained classifier used", "error", err)
	}
	return value, true
}

// Put writes value to key's file, whole or not at all (to a temporary
// file first, then renamed), then removes the files of the keys least
// recently used past the keep newest.
func (d *DirCache) Put(key string, value []byte) {
	if !isKey(key) {
		return
	}
	if err := d.write(key, value); err != nil {
		d.log.Warn("keeping a trained classifier; the next start trains it again", "error", err)
		return
	}
	d.prune()
}

func (d *DirCache) write(key string, value []byte) error {
	if err := os.MkdirAll(d.dir, 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(d.dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(value)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(d.dir, key))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// prune removes the files of the keys least recently used past the keep
// newest, and temporary files left by a write that did not finish (an
// hour old or more). Other files are left alone.
func (d *DirCache) prune() {
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		d.log.Debug("listing the trained classifiers", "error", err)
		return
	}
	type file struct {
		name string
		used time.Time
	}
	var keys []file
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		switch {
		case isKey(e.Name()):
			keys = append(keys, file{e.Name(), info.ModTime()})
		case strings.HasPrefix(e.Name(), ".tmp-") && time.Since(info.ModTime()) > time.Hour:
			os.Remove(filepath.Join(d.dir, e.Name()))
		}
	}
	slices.SortFunc(keys, func(a, b file) int { return b.used.Compare(a.used) })
	for _, f := range keys[min(d.keep, len(keys)):] {
		if err := os.Remove(filepath.Join(d.dir, f.name)); err != nil {
			d.log.Debug("removing a trained classifier", "error", err)
		}
	}
}
