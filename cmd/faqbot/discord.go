package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/faqbot/faqbot/bot/discord"
)

var discordID = regexp.MustCompile(`^[0-9]{15,21}$`)

// cmdDiscord runs the Discord subcommands; "invite" prints the OAuth2 URL
// that adds the bot to a server with exactly the permissions and scopes it
// needs.
func cmdDiscord(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 || args[0] != "invite" {
		return &exitError{code: 2, err: errors.New("usage: faqbot discord invite [--config FILE] [--application-id ID] [--guild ID]")}
	}
	fs := c.newFlagSet("discord invite")
	var setup setupFlags
	setup.register(fs)
	appID := fs.String("application-id", "", "the application id (default: discord.application_id from the config)")
	guild := fs.String("guild", "", "preselect this server (its id) in the invite")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "discord invite takes no arguments")
	}
	if *appID == "" {
		cfg, err := setup.loadConfig()
		if err != nil {
			return err
		}
		*appID = cfg.Discord.ApplicationID
	}
	switch {
	case *appID == "":
		return &exitError{code: 2, err: errors.New("the application id is unknown: set discord.application_id in the config or pass --application-id (Developer Portal > your application > General Information > Application ID)")}
	case !discordID.MatchString(*appID):
		return &exitError{code: 2, err: fmt.Errorf("%q is not an application id: it is a number of 15 to 21 digits, from the Developer Portal, General Information > Application ID", *appID)}
	case *guild != "" && !discordID.MatchString(*guild):
		return &exitError{code: 2, err: fmt.Errorf("--guild %q is not a server id: with Developer Mode on, right-click the server > Copy Server ID", *guild)}
	}
	fmt.Fprintln(c.stdout, discord.InviteURL(*appID, *guild))
	fmt.Fprintf(c.stderr, "# Scopes: %s. Permissions: View Channels, Send Messages, Send Messages in Threads, Embed Links, Read Message History (%d).\n", discord.InviteScopes, discord.InvitePermissions)
	fmt.Fprintln(c.stderr, "# Open the URL as a member with Manage Server to add the bot. Set-up steps: docs/discord.md.")
	return nil
}
