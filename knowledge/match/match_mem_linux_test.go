//go:build linux

package match

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
)

// resetPeakRSS starts a new peak of the process's resident memory, as the
// kernel counts it (VmHWM in /proc/self/status). It reports whether it
// could.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// residentMB returns the process's resident memory now (VmRSS) and its
// peak since the last resetPeakRSS (VmHWM), in MiB, or zeros when
// /proc/self/status cannot be read.
func residentMB() (now, peak float64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok {
			continue
		}
		fields := bytes.Fields(value) // "123456 kB"
		if len(fields) == 0 {
			continue
		}
		kb, err := strconv.ParseFloat(string(fields[0]), 64)
		if err != nil {
			continue
		}
		switch string(name) {
		case "VmRSS":
			now = kb / 1024
		case "VmHWM":
			peak = kb / 1024
		}
	}
	return now, peak
}
