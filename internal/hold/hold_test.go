package hold

import (
	"context"
	"testing"
	"time"

	"github.com/faqbot/faqbot/internal/changes"
)

func TestHold(t *testing.T) {
	var c changes.Changes
	s := NewSet(&c)
	if !s.Wait(context.Background(), "C1") {
		t.Fatal("a call to a channel not on hold was not answered")
	}
	release := s.Hold("C1")
	answered := make(chan bool, 2)
	go func() { answered <- s.Wait(context.Background(), "C1") }()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { answered <- s.Wait(ctx, "C1") }()
	if !c.Wait(10*time.Second, func() bool { w, _ := s.Holding("C1"); return w == 2 }) {
		t.Fatal("the calls did not wait")
	}
	if !s.Wait(context.Background(), "C2") {
		t.Error("a call to another channel was held")
	}
	cancel()
	if <-answered {
		t.Error("a call whose client gave up is to be answered")
	}
	if w, g := s.Holding("C1"); w != 1 || g != 1 {
		t.Errorf("Holding = %d waiting, %d gave up; want 1 and 1", w, g)
	}
	release()
	if !<-answered {
		t.Error("a released call is not to be answered")
	}
	release() // twice is harmless
	s.Hold("C3")
	s.ReleaseAll()
	if !s.Wait(context.Background(), "C3") {
		t.Error("a call after ReleaseAll was held")
	}
}
