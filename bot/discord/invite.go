package discord

import (
	"net/url"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// InvitePermissions are the permissions the bot needs in a server, and no
// more: see channels, read the history it replies to, send messages (in
// threads too) and embeds for long answers.
const InvitePermissions = discordgo.PermissionViewChannel |
	discordgo.PermissionSendMessages |
	discordgo.PermissionSendMessagesInThreads |
	discordgo.PermissionEmbedLinks |
	discordgo.PermissionReadMessageHistory

// InviteScopes are the OAuth2 scopes of the invite: the bot user, and the
// right to register /faq.
const InviteScopes = "bot applications.commands"

// InviteURL returns the OAuth2 URL that adds the application's bot to a
// server with InvitePermissions. With a guild id, Discord preselects that
// server.
func InviteURL(appID, guildID string) string {
	v := url.Values{}
	v.Set("client_id", appID)
	v.Set("scope", InviteScopes)
	v.Set("permissions", strconv.FormatInt(InvitePermissions, 10))
	if guildID != "" {
		v.Set("guild_id", guildID)
		v.Set("disable_guild_select", "true")
	}
	return "https://discord.com/oauth2/authorize?" + v.Encode()
}
