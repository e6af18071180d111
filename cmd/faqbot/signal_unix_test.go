//go:build unix

package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterrupt starts faqbot commands as processes of their own and sends
// them SIGINT (Ctrl-C) while they wait on their standard input: run and
// chat finish cleanly and exit 0; every other command ends at once, as
// any program does, even one that never looks at its context (import
// reading a document from standard input).
func TestInterrupt(t *testing.T) {
	cfg := shippedConfig(t)
	out := filepath.Join(t.TempDir(), "imported.yaml")
	tests := []struct {
		name string
		args []string
		// ready, if not empty, is written to the command's input, and the
		// signal waits for the first line of output it causes.
		ready string
		// exitZero: the command ends by itself with exit code 0; otherwise
		// the signal ends the process.
		exitZero bool
	}{
		{"chat finishes cleanly", []string{"chat", "--config", cfg}, "does russia support palestine\n", true},
		{"import ends at once", []string{"import", "-", "-o", out}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], tt.args...)
			cmd.Env = append(os.Environ(), asCommand+"=1")
			cmd.Dir = filepath.Dir(cfg)
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if tt.ready != "" {
				io.WriteString(stdin, tt.ready)
				if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil {
					t.Fatalf("no reply to %q: %v; stderr:\n%s", tt.ready, err, stderr.String())
				}
			} else {
				// Nothing to wait for: give the process time to be
				// waiting on its input.
				time.Sleep(300 * time.Millisecond)
			}
			go io.Copy(io.Discard, stdout)
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			ended := make(chan error, 1)
			go func() { ended <- cmd.Wait() }()
			var werr error
			select {
			case werr = <-ended:
			case <-time.After(time.Minute):
				cmd.Process.Kill()
				<-ended
				t.Fatalf("%s still ran a minute after SIGINT; stderr:\n%s", tt.args[0], stderr.String())
			}
			status := cmd.ProcessState.Sys().(syscall.WaitStatus)
			switch {
			case tt.exitZero && werr != nil:
				t.Errorf("after SIGINT: %v, want exit 0; stderr:\n%s", werr, stderr.String())
			case !tt.exitZero && !(status.Signaled() && status.Signal() == syscall.SIGINT):
				t.Errorf("after SIGINT: %v, want the process ended by the signal; stderr:\n%s", werr, stderr.String())
			}
		})
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the interrupted import wrote %s (%v)", out, err)
	}
}
