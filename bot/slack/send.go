package slack

import (
	"context"

	"github.com/slack-go/slack"
)

// destination says where and how a reply goes.
type destination struct {
	channel, thread, user string
	// responseURL, when set, carries the reply (slash commands and
	// clicks); it works in channels the bot is not a member of.
	responseURL string
	// ephemeral shows the reply to user only.
	ephemeral bool
	// replaceOriginal replaces the message a click came from, through
	// responseURL.
	replaceOriginal bool
	// updateTS, when set, is a message of the bot's to replace with
	// chat.update.
	updateTS string
}

// deliver sends the messages of one reply, in order, and returns the
// outcome. A failure is logged with what to do about it, and the adapter
// keeps serving.
func (a *Adapter) deliver(ctx context.Context, d destination, msgs []message) string {
	for i, m := range msgs {
		method, err := a.send(ctx, d, m, i == 0)
		if err != nil {
			a.log.Error("could not send a reply to Slack", "method", method, "channel", d.channel, "error", a.redact(err))
			return outcomeFailed
		}
	}
	return outcomeAnswered
}

// send sends one message; first is true for the first message of a reply,
// which is the one that replaces an original.
func (a *Adapter) send(ctx context.Context, d destination, m message, first bool) (method string, err error) {
	opts := []slack.MsgOption{slack.MsgOptionText(m.text, false), slack.MsgOptionBlocks(m.blocks...)}
	switch {
	case d.updateTS != "" && first:
		method = "chat.update"
		err = a.call(ctx, method, func(ctx context.Context) error {
			_, _, _, err := a.api.UpdateMessageContext(ctx, d.channel, d.updateTS, append(opts, slack.MsgOptionParse(false))...)
			return err
		})
	case d.responseURL != "":
		method = "response_url"
		rt := slack.ResponseTypeInChannel
		if d.ephemeral {
			rt = slack.ResponseTypeEphemeral
		}
		opts = append(opts, slack.MsgOptionResponseURL(d.responseURL, rt))
		if d.replaceOriginal && first {
			opts = append(opts, slack.MsgOptionReplaceOriginal(d.responseURL))
		}
		if d.thread != "" {
			opts = append(opts, slack.MsgOptionTS(d.thread))
		}
		err = a.call(ctx, method, func(ctx context.Context) error {
			_, _, err := a.api.PostMessageContext(ctx, d.channel, opts...)
			return err
		})
	case d.ephemeral:
		method = "chat.postEphemeral"
		opts = append(opts, slack.MsgOptionParse(false))
		if d.thread != "" {
			opts = append(opts, slack.MsgOptionTS(d.thread))
		}
		err = a.call(ctx, method, func(ctx context.Context) error {
			_, err := a.api.PostEphemeralContext(ctx, d.channel, d.user, opts...)
			return err
		})
	default:
		method = "chat.postMessage"
		opts = append(opts, slack.MsgOptionParse(false))
		thread := d.thread
		if thread == "" {
			thread = d.updateTS
		}
		if thread != "" {
			opts = append(opts, slack.MsgOptionTS(thread))
		}
		err = a.call(ctx, method, func(ctx context.Context) error {
			_, _, err := a.api.PostMessageContext(ctx, d.channel, opts...)
			return err
		})
	}
	return method, err
}

// deleteOriginal removes the ephemeral message a click came from, once
// its answer has been shared in the channel.
func (a *Adapter) deleteOriginal(ctx context.Context, responseURL string) {
	err := a.call(ctx, "response_url", func(ctx context.Context) error {
		_, _, err := a.api.PostMessageContext(ctx, "", slack.MsgOptionDeleteOriginal(responseURL))
		return err
	})
	if err != nil {
		a.log.Warn("shared an answer but could not remove the private copy", "error", a.redact(err))
	}
}
