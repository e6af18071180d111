package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// discardLog satisfies socketmode's logger; the client only logs in debug
// mode, which the adapter never turns on, as debug output quotes payloads.
type discardLog struct{}

// Output discards a log line.
func (discardLog) Output(int, string) error { return nil }

// runSocket holds a Socket Mode connection open until ctx is cancelled.
// The client reconnects by itself when Slack sends a disconnect, when the
// websocket drops or when Slack stops sending PINGs.
func (a *Adapter) runSocket(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := socketmode.New(a.api, socketmode.OptionLog(discardLog{}))
	done := make(chan error, 1)
	go func() { done <- client.RunContext(ctx) }()
	defer a.socketUp.Store(false)
	for {
		select {
		case <-ctx.Done():
			<-done
			return nil
		case err := <-done:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("the Socket Mode connection stopped: %s; check slack.app_token (an app-level token with connections:write) and that Socket Mode is on in the app's settings", a.redact(err))
		case evt := <-client.Events:
			a.onSocketEvent(ctx, client, evt)
		}
	}
}

// onSocketEvent acknowledges an envelope and queues its work.
func (a *Adapter) onSocketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.socketUp.Store(false)
		a.log.Debug("connecting to Slack over Socket Mode")
	case socketmode.EventTypeConnected:
		a.socketUp.Store(true)
		if c, ok := evt.Data.(*socketmode.ConnectedEvent); ok && c.ConnectionCount > 0 {
			a.reconnects.Add(1)
			a.log.Info("reconnected to Slack over Socket Mode", "connections", c.ConnectionCount+1)
			return
		}
		a.log.Info("connected to Slack over Socket Mode")
	case socketmode.EventTypeHello:
		a.log.Debug("Socket Mode hello")
	case socketmode.EventTypeConnectionError:
		a.socketUp.Store(false)
		var err error
		if c, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			err = c.ErrorObj
		}
		a.log.Warn("cannot connect to Slack over Socket Mode; retrying", "error", a.redact(err))
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("Slack refused the app-level token; check slack.app_token")
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("Socket Mode connection trouble; the client reconnects", "event", string(evt.Type))
	case socketmode.EventTypeErrorBadMessage:
		a.onBadMessage(ctx, client, evt)
	case socketmode.EventTypeEventsAPI, socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive:
		a.onEnvelope(ctx, client, evt)
	}
}

// onEnvelope acks a request first, then queues the work, so that Slack
// gets its ack within its 3 seconds whatever the work costs.
func (a *Adapter) onEnvelope(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	if evt.Request == nil {
		return
	}
	req := evt.Request
	if err := client.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
		a.log.Warn("could not ack a Socket Mode envelope; Slack will redeliver it", "type", req.Type, "error", a.redact(err))
	}
	if req.RetryAttempt > 0 {
		a.log.Debug("Slack redelivered an envelope", "type", req.Type, "retry_attempt", req.RetryAttempt, "retry_reason", req.RetryReason)
	}
	var kind, channel string
	var work func(ctx context.Context) string
	switch data := evt.Data.(type) {
	case slackevents.EventsAPIEvent:
		kind, channel, work = "event", eventChannel(data), func(ctx context.Context) string { return a.handleEvent(ctx, data) }
	case slack.SlashCommand:
		kind, channel, work = "command", data.ChannelID, func(ctx context.Context) string { return a.handleCommand(ctx, data) }
	case slack.InteractionCallback:
		kind, channel, work = "interaction", data.Channel.ID, func(ctx context.Context) string { return a.handleInteraction(ctx, data) }
	default:
		return
	}
	if err := a.enqueue(ctx, kind, channel, work); err != nil && !errors.Is(err, context.Canceled) {
		a.log.Warn("dropped an acknowledged Slack event", "kind", kind, "error", err)
	}
}

// onBadMessage acks an envelope the client could not parse, such as an
// event type faqbot does not subscribe to, so Slack stops redelivering it.
func (a *Adapter) onBadMessage(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
	if !ok {
		return
	}
	var env struct {
		EnvelopeID string `json:"envelope_id"`
		Type       string `json:"type"`
	}
	if json.Unmarshal(bad.Message, &env) != nil || env.EnvelopeID == "" {
		a.log.Warn("ignored an unreadable Socket Mode message", "error", a.redact(bad.Cause))
		return
	}
	if err := client.AckCtx(ctx, env.EnvelopeID, nil); err != nil {
		a.log.Warn("could not ack a Socket Mode envelope", "type", env.Type, "error", a.redact(err))
	}
	a.log.Debug("acked and ignored a Socket Mode envelope faqbot cannot read", "type", env.Type, "error", a.redact(bad.Cause))
}
