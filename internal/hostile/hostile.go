package hostile

import (
	"bytes"
	"compress/gzip"
)

// Details is an ErrorResponse of about size bytes whose details are empty objects (each misses its code and
// message): the body that multiplies violations.
func Details(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"error":{"code":"X","message":"m","details":[{}`)
	for b.Len() < size-4 {
		b.WriteString(`,{}`)
	}
	b.WriteString(`]}}`)
	return b.Bytes()
}

// Gzip is data gzip-encoded.
func Gzip(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}
