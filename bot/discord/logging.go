package discord

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxLibraryLine bounds a discordgo log line, in units: a few of them dump
// a whole gateway event.
const maxLibraryLine = 1000

// libraryLogs routes discordgo's own log lines, which would otherwise go to
// the standard library's log package, into the slog logger of a running
// adapter.
//
// It is package-level state because discordgo's logging is: discordgo
// calls the one package-level function discordgo.Logger, from every
// session's goroutines, without synchronisation and without saying which
// session a line is about. So discordgo.Logger is set exactly once per
// process, by the first New, before any session of the adapter's exists
// (setting it again while sessions run would be a data race), and the
// adapters come and go in libraryLogs instead. With several adapters in
// one process (tests, or shards), a line goes to the logger of the one
// that has been running longest.
var libraryLogs logRouter

// logRouter hands discordgo's log lines to the running adapters' loggers.
type logRouter struct {
	once sync.Once
	// mu is held for reading while a line is logged, so that once an
	// adapter's remove returns, nothing more goes to its logger.
	mu      sync.RWMutex
	loggers []*slog.Logger // of the running adapters, oldest first
}

// install sets discordgo.Logger to the router, once per process.
func (r *logRouter) install() {
	r.once.Do(func() { discordgo.Logger = r.log })
}

// add routes discordgo's log lines to logger, when it is the oldest one
// added, until the returned function is called; once that returns, no
// line goes to logger any more.
func (r *logRouter) add(logger *slog.Logger) (remove func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.loggers = append(r.loggers, logger)
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		for i, l := range r.loggers {
			if l == logger {
				r.loggers = append(r.loggers[:i], r.loggers[i+1:]...)
				return
			}
		}
	}
}

// log is discordgo.Logger: it logs one discordgo line, with the source of
// the discordgo function that wrote it, or drops it when no adapter runs.
// caller counts the frames from discordgo's own logging function to that
// function.
func (r *logRouter) log(msgL, caller int, format string, a ...any) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if len(r.loggers) == 0 {
		return
	}
	logger, level, ctx := r.loggers[0], slogLevel(msgL), context.Background()
	if !logger.Enabled(ctx, level) {
		return
	}
	// Skip runtime.Callers and this method (the runtime hides the method
	// value's wrapper), then caller frames as discordgo counts them from
	// its msglog.
	var pcs [1]uintptr
	runtime.Callers(caller+2, pcs[:])
	args := make([]any, len(a))
	for i, v := range a {
		if e, ok := v.(*discordgo.Event); ok && e != nil {
			v = eventSummary{e}
		}
		args[i] = v
	}
	msg := truncate(strings.TrimSpace(fmt.Sprintf(format, args...)), maxLibraryLine)
	rec := slog.NewRecord(time.Now(), level, msg, pcs[0])
	rec.AddAttrs(slog.String("library", "discordgo"))
	_ = logger.Handler().Handle(ctx, rec)
}

// eventSummary shows a gateway event in a discordgo log line by its kind
// only: discordgo dumps whole events, whose raw data may hold what people
// wrote, which faqbot logs only when log.question_text says so.
type eventSummary struct{ e *discordgo.Event }

// String describes the event.
func (s eventSummary) String() string {
	return fmt.Sprintf("op %d %s, sequence %d", s.e.Operation, s.e.Type, s.e.Sequence)
}

// GoString describes the event for %#v.
func (s eventSummary) GoString() string { return s.String() }

// slogLevel maps a discordgo log level to slog's. discordgo's
// informational lines narrate its every step, so they are debug lines
// here.
func slogLevel(msgL int) slog.Level {
	switch msgL {
	case discordgo.LogError:
		return slog.LevelError
	case discordgo.LogWarning:
		return slog.LevelWarn
	case discordgo.LogInformational:
		return slog.LevelDebug
	}
	return slog.LevelDebug - 4
}

// libraryLevel returns the session log level that lets through the
// discordgo lines logger takes. It is never discordgo's debug level, whose
// lines carry raw gateway frames, the IDENTIFY with the bot token among
// them.
func libraryLevel(logger *slog.Logger) int {
	ctx := context.Background()
	for _, l := range []int{discordgo.LogInformational, discordgo.LogWarning} {
		if logger.Enabled(ctx, slogLevel(l)) {
			return l
		}
	}
	return discordgo.LogError
}
