package resident

import (
	"runtime"
	"testing"
)

// TestMB checks that the resident memory is read on Linux, the peak at
// least the present, and that the peak follows memory touched after a
// reset.
func TestMB(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the resident memory is read on Linux only")
	}
	now, peak := MB()
	if now <= 0 || peak < now {
		t.Fatalf("MB() = %v, %v", now, peak)
	}
	if !ResetPeak() {
		t.Skip("/proc/self/clear_refs cannot be written here")
	}
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = 1
	}
	_, after := MB()
	runtime.KeepAlive(buf)
	if after < now+60 {
		t.Errorf("peak %v MB after touching 64 MiB from %v MB", after, now)
	}
}
