package slack

import (
	"context"
	"sync"
	"time"
)

// Admin group caching: members are listed again after groupTTL, and after
// a failed listing not before groupRetry.
const (
	groupTTL     = 5 * time.Minute
	groupRetry   = 30 * time.Second
	groupTimeout = 10 * time.Second
)

// admins decides who may run admin commands: the configured user ids, and
// the members of the configured user group, listed with
// usergroups.users.list and cached.
type admins struct {
	users map[string]bool
	group string
	a     *Adapter

	mu      sync.Mutex
	members map[string]bool
	next    time.Time
}

func newAdmins(users []string, group string, a *Adapter) *admins {
	ad := &admins{users: map[string]bool{}, group: group, a: a}
	for _, u := range users {
		ad.users[u] = true
	}
	return ad
}

// is reports whether user is an admin. When the group cannot be listed, the
// last known members count; before any listing succeeded, nobody in the
// group does.
func (ad *admins) is(ctx context.Context, user string) bool {
	if ad.users[user] {
		return true
	}
	if ad.group == "" || user == "" {
		return false
	}
	ad.mu.Lock()
	defer ad.mu.Unlock()
	if now := time.Now(); now.After(ad.next) {
		ctx, cancel := context.WithTimeout(ctx, groupTimeout)
		defer cancel()
		var list []string
		err := ad.a.call(ctx, "usergroups.users.list", func(ctx context.Context) error {
			var err error
			list, err = ad.a.api.GetUserGroupMembersContext(ctx, ad.group)
			return err
		})
		if err != nil {
			ad.a.log.Warn("cannot list the admin group; using the members last known", "group", ad.group, "error", ad.a.redact(err))
			ad.next = now.Add(groupRetry)
		} else {
			ad.members = make(map[string]bool, len(list))
			for _, u := range list {
				ad.members[u] = true
			}
			ad.next = now.Add(groupTTL)
		}
	}
	return ad.members[user]
}
