package contract

import (
	"testing"
	"time"
)

func TestReadableDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 seconds"},
		{time.Second, "1 second"},
		{1500 * time.Millisecond, "2 seconds"},
		{5 * time.Minute, "5 minutes"},
		{5*time.Minute + 3*time.Second, "5 minutes 3 seconds"},
		{3*time.Hour + 20*time.Minute + 9*time.Second, "3 hours 20 minutes"},
		{24*time.Hour + 5*time.Minute, "1 day"},
		{26*time.Hour + 30*time.Minute, "1 day 2 hours"},
		{3 * 365 * 24 * time.Hour, "1,095 days"},
		{-90 * time.Second, "-1 minute 30 seconds"},
	}
	for _, tt := range tests {
		if got := readableDuration(tt.d); got != tt.want {
			t.Errorf("readableDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
