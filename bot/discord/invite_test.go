package discord

import "testing"

func TestInviteURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, app, guild, want string
	}{
		{"any server", "900000000000000001", "", "https://discord.com/oauth2/authorize?client_id=900000000000000001&permissions=274877991936&scope=bot+applications.commands"},
		{"one server", "900000000000000001", "400000000000000001", "https://discord.com/oauth2/authorize?client_id=900000000000000001&disable_guild_select=true&guild_id=400000000000000001&permissions=274877991936&scope=bot+applications.commands"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := InviteURL(tc.app, tc.guild); got != tc.want {
				t.Errorf("InviteURL = %s\nwant          %s", got, tc.want)
			}
		})
	}
}
