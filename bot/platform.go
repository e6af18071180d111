package bot

import "context"

// Platform is a connection to one chat platform. Run serves until ctx is
// cancelled or the connection fails for good, handing every message to the
// bot it was built with.
type Platform interface {
	Name() string
	Run(ctx context.Context) error
}
