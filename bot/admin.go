package bot

import (
	"context"
	"time"
)

// Store is what the admin commands need of the state database: the
// questions that went unanswered, the statistics, and a record of every edit
// made to the knowledge file from chat. Package store implements it.
type Store interface {
	// Unanswered returns the distinct texts of the questions asked since
	// the given time that the bot did not answer, the most frequent first,
	// at most limit of them.
	Unanswered(ctx context.Context, since time.Time, limit int) ([]Unanswered, error)
	// Stats returns what happened since the given time.
	Stats(ctx context.Context, since time.Time) (Stats, error)
	// RecordEdit records an edit of the knowledge file.
	RecordEdit(ctx context.Context, e Edit) error
}

// Unanswered is one distinct question text that the bot could not answer
// confidently, with how often and when it was last asked.
type Unanswered struct {
	Text  string
	Count int
	Last  time.Time
	// BestID is the best candidate when the question was last asked, or "".
	BestID string
}

// Stats is what happened over a period.
type Stats struct {
	// Days has one element per UTC day with at least one question, oldest
	// first.
	Days []DayStats
	// Entries has one element per entry that was answered with or voted on,
	// sorted by id.
	Entries []EntryStats
}

// DayStats counts the questions of one UTC day.
type DayStats struct {
	// Day is midnight UTC.
	Day       time.Time
	Questions int
	Answered  int
}

// EntryStats counts the answers given with one entry and the votes on them.
type EntryStats struct {
	ID       string
	Answered int
	Up, Down int
}

// Edit is one change made to the knowledge file from chat.
type Edit struct {
	Time time.Time
	// By names who made it, as "platform:user".
	By      string
	EntryID string
	// Phrasing is the alternate added to the entry.
	Phrasing string
	// File is the knowledge file edited.
	File string
}
