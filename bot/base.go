package bot

import (
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// Base is a loaded and checked knowledge file together with its search
// index: what the bot serves. A Base is never modified after it is built, so
// any number of goroutines may use it at once; a reload builds a new Base and
// swaps it in.
type Base struct {
	// Path is the file the base was loaded from, or the name given to
	// NewBase.
	Path string
	// File is the checked knowledge file.
	File *knowledge.File
	// Index answers questions from File.
	*match.Index
}

// LoadBase reads the knowledge file (or folder of files) at path, checks
// all of it and builds its search index. A file that fails its checks gives
// the knowledge.Errors of knowledge.Load.
func LoadBase(path string) (*Base, error) {
	return Loading{}.Load(path)
}

// Loading says how knowledge bases are loaded: how much is read, and where
// the classifiers trained are kept.
type Loading struct {
	// MaxBytes is the most bytes a file or folder may have (see
	// knowledge.LoadLimit); 0 is knowledge.MaxFileSize.
	MaxBytes int64
	// Cache keeps trained classifiers from one load to the next, or is
	// nil (see match.NewCached).
	Cache match.Cache
	// Workers is the most goroutines a load builds its index on (see
	// match.Options); 0 is GOMAXPROCS.
	Workers int
}

// Reloading returns l for reloads, which build a new base while another
// serves: unless l sets Workers, on all cores but one, which is left to
// the answers. The build takes longer, and the answers meanwhile wait
// less for a core.
func (l Loading) Reloading() Loading {
	if l.Workers <= 0 {
		l.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	}
	return l
}

// Load is LoadBase as l says. The collector runs more often while it
// loads (see loadGCPercent), and what the load no longer needs (the file's
// text and syntax trees, the index's building lists) is handed back to the
// operating system before it returns: several times what the base keeps,
// for a large file, that the process would otherwise hold on to for
// minutes.
func (l Loading) Load(path string) (*Base, error) {
	return l.LoadReplacing(path, nil)
}

// LoadReplacing is Load for a base that replaces serving, the base being
// served (for a reload), or nil. When serving was loaded from path and
// the file (or folder) there is byte for byte the one it was loaded
// from, it returns serving itself, having built nothing (see
// knowledge.LoadReplacing): Bot.Reload then says the file is unchanged.
// Otherwise what the new base would hold the same as serving it shares
// with it instead: each block of the entries' text that is the same, and
// the search index when the text it reads is (see
// match.Options.Serving), as in a reload of a file that changed only
// entries' tags, owners or dates.
func (l Loading) LoadReplacing(path string, serving *Base) (*Base, error) {
	if l.MaxBytes <= 0 {
		l.MaxBytes = knowledge.MaxFileSize
	}
	o := match.Options{Cache: l.Cache, Workers: l.Workers}
	var servingFile *knowledge.File
	if serving != nil {
		servingFile, o.Serving = serving.File, serving.Index
	}
	// The collector's pace is set from when the file is found changed
	// (see paceLoad): a reload of a file unchanged, which allocates next
	// to nothing, would only start a collection with a lower GOGC, a full
	// mark of the heap that costs the answers meanwhile for nothing. Both
	// functions are deferred too, so that a load that panics leaves
	// neither GOGC off nor the memory limit low.
	restore, release := func() {}, func() {}
	defer func() { release(); restore() }()
	before := allocated()
	f, err := knowledge.LoadChanged(path, l.MaxBytes, servingFile, func(size int64) {
		restore, release = paceLoad(size, serving != nil)
	})
	release()
	release = func() {}
	if err != nil {
		return nil, err
	}
	if f == servingFile {
		return serving, nil
	}
	b, err := newBase(path, f, o)
	if serving == nil && allocated()-before > largeLoad {
		// A reload's garbage goes with the base it replaces, in the one
		// collection Bot.Reload forces after the swap.
		debug.FreeOSMemory()
	}
	return b, err
}

// paceLoad sets the collector's pace for the load of a knowledge file of
// size bytes, a reload when reload is set, and returns the functions that
// set it back: restore, at the end of the load, and release, once the file
// is checked. A file of collectOftenFrom bytes or more is built at
// loadGCPercent (see collectOften), and a reload checks it with the heap
// held to reloadBudget (see holdHeapGoal). A smaller one is loaded at the
// pace the process has: at loadGCPercent the collector's smallest goal is
// half a megabyte, and a small file's load would run it several times for
// nothing (`faqbot ask` on the shipped file, three times rather than once).
func paceLoad(size int64, reload bool) (restore, release func()) {
	restore, release = func() {}, func() {}
	if size < collectOftenFrom {
		return restore, release
	}
	restore, set := collectOften()
	if set && reload {
		release = holdHeapGoal(heapLive() * reloadBudget / 100)
	}
	return restore, release
}

// collectOftenFrom is the size of a knowledge file, in bytes, from which
// its load has the collector run more often (see paceLoad): some 6,500
// entries of five phrasings, whose base takes several megabytes.
const collectOftenFrom = 4 << 20

// loadGCPercent is the collector's GOGC while a knowledge base loads. A
// load allocates several times what it keeps, and by default the heap
// grows to twice what was live at the last collection before the next:
// during a reload, twice the old base and the new one together. At 12 it
// grows by an eighth. Each collection marks the whole heap, the serving
// base with it, on the core the answers have: lower runs more of them
// and costs the answers more than it saves (docs/benchmarks.md, "Memory
// of a running bot, and its reloads").
const loadGCPercent = 12

// collectOften sets GOGC to loadGCPercent, unless it is that or lower
// already, or off, and returns the function that sets it back and
// whether it set it. Of loads at once, the first to start sets it back as
// it found it when it ends.
func collectOften() (restore func(), set bool) {
	const pct = loadGCPercent
	prev := debug.SetGCPercent(pct)
	if prev <= pct { // off, too
		debug.SetGCPercent(prev)
		return func() {}, false
	}
	return func() { debug.SetGCPercent(prev) }, true
}

// reloadBudget is the heap a reload lets grow to while it checks the
// file, in percent of the heap live when it starts (the base serving,
// most of it): see holdHeapGoal.
const reloadBudget = 160

// holdHeapGoal has the collector let the heap grow to budget bytes
// before it collects, rather than by loadGCPercent of what is live, until
// release is called, and then sets GOGC to loadGCPercent: GOGC is off
// meanwhile, and a memory limit makes the heap's goal budget, or
// loadGCPercent over what the last collection found live when that is
// more, set again after each collection. A reload that checks a file
// against the base serving allocates some twice what it keeps, and at
// loadGCPercent the collector would mark the whole heap, the serving base
// with it, once every eighth of it allocated: each mark takes a share of
// the core the answers have, for tens of milliseconds, and the answers
// that wait for it are the slowest. GOGC off tells a load that starts
// meanwhile to leave it be (see collectOften). It must be called with
// GOGC at loadGCPercent, set by this load.
func holdHeapGoal(budget uint64) (release func()) {
	limit := debug.SetMemoryLimit(-1)
	setLimit := func(live uint64) {
		goal := max(budget, live+live*loadGCPercent/100)
		debug.SetMemoryLimit(min(limit, memoryLimitFor(goal)))
	}
	setLimit(heapLive())
	debug.SetGCPercent(-1)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(paceEvery)
		defer tick.Stop()
		cycles, _ := gcCycles()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
			}
			if n, live := gcCycles(); n != cycles {
				cycles = n
				setLimit(live)
			}
		}
	}()
	return func() {
		close(quit)
		<-done
		debug.SetGCPercent(loadGCPercent)
		debug.SetMemoryLimit(limit)
	}
}

// paceEvery is how often holdHeapGoal looks for a collection ended.
const paceEvery = 2 * time.Millisecond

// memoryLimitFor returns the memory limit (see debug.SetMemoryLimit)
// that makes the heap's goal goal bytes, as the runtime derives one from
// the other: the limit less the memory it holds other than the heap, and
// less 3% of that.
func memoryLimitFor(goal uint64) int64 {
	s := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
	}
	metrics.Read(s)
	held := s[0].Value.Uint64() - s[1].Value.Uint64()
	other := held - min(held, s[2].Value.Uint64()+s[3].Value.Uint64())
	return int64(min(goal*100/97+other, math.MaxInt64))
}

// gcCycles returns the collections the process has completed and the
// heap the last one found live, in bytes.
func gcCycles() (cycles, live uint64) {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

// heapLive returns the heap the last collection found live, in bytes.
func heapLive() uint64 {
	_, live := gcCycles()
	return live
}

// largeLoad is the bytes allocated by a load past which Load hands memory
// back at once: below it there is little to hand back, and the full
// collection that does it would add to a small file's load a few
// milliseconds of the twenty or so that "faqbot ask" takes.
const largeLoad = 64 << 20

// allocated returns the bytes the process allocated on the heap so far.
func allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// NewBase builds the search index of the checked file f; name says where f
// came from, in messages.
func NewBase(name string, f *knowledge.File) (*Base, error) {
	return newBase(name, f, match.Options{})
}

func newBase(name string, f *knowledge.File, o match.Options) (*Base, error) {
	x, err := match.NewWith(f, o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &Base{Path: name, File: f, Index: x}, nil
}

// Title returns the knowledge file's title, or "" when it has none.
func (b *Base) Title() string { return b.File.Title }

// Language returns the language the base is stemmed in, such as "en".
func (b *Base) Language() string { return b.File.Language }

// Fallback returns the reply for questions that nothing fits, or "" when the
// file sets none.
func (b *Base) Fallback() string { return b.File.Fallback }

// ParseBase checks a knowledge file's content and builds its search index,
// as LoadBase does; name is the file's name, used in messages and to tell
// JSON (".json") from YAML.
func ParseBase(name string, data []byte) (*Base, error) {
	f, err := knowledge.Parse(name, data)
	if err != nil {
		return nil, err
	}
	return NewBase(name, f)
}
