package recordtb

import "testing"

func TestTB(t *testing.T) {
	r := &TB{TB: t}
	r.Errorf("first %d", 1)
	r.Errorf("second")
	if got := r.String(); got != "first 1\nsecond" {
		t.Errorf("String() = %q", got)
	}
}
