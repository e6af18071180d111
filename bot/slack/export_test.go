package slack

// SetAfterJob makes a call f after every event it works on, with the kind
// of event and the outcome. Call it before Run.
func SetAfterJob(a *Adapter, f func(kind, outcome string)) { a.afterJob = f }

// Serving returns a channel closed once Run is serving.
func Serving(a *Adapter) <-chan struct{} { return a.serving }

// Workers and PerChannel are the pool's sizes.
const (
	Workers    = workers
	PerChannel = perChannel
)
