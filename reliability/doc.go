// Package reliability holds faqbot's cross-cutting reliability and security
// tests: load through the fake Slack and the fake Discord with the real
// clients, faults (dropped connections, a slow platform API, an unwritable
// database, a broken knowledge file, a stop during a burst) and a catalogue
// of hostile input. It has no code of its own beyond this comment; the
// record of what was tried and what held is docs/reliability.md.
package reliability
