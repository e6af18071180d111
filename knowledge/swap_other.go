//go:build !linux

package knowledge

// exchange returns errNoExchange: only Linux swaps two files atomically.
func exchange(a, b string) error { return errNoExchange }
