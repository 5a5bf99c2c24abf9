package server

// DefaultHistory is how many requests the report lists when the configuration does not say.
const DefaultHistory = 1000

// maxClients bounds how many User-Agents the report tells apart; requests of any others are counted
// together, so a client that sends a new User-Agent each time cannot grow the server's memory.
const maxClients = 1000

// otherClients names the share of the clients past maxClients.
const otherClients = "(other clients)"

// history keeps the last limit entries in a ring and counts every entry ever filed, so the server's memory
// stays bounded however long it runs while the totals stay exact.
type history struct {
	limit         int
	ring          []Entry
	next          int // where the next entry goes once the ring is full
	total         int
	nonConformant int
	clients       []*clientCount
	byName        map[string]*clientCount
}

type clientCount struct {
	name          string
	total         int
	nonConformant int
	failed        map[string]bool // check IDs: bounded by the registry
	warned        map[string]bool
}

func newHistory(limit int) *history {
	if limit <= 0 {
		limit = DefaultHistory
	}
	return &history{limit: limit, byName: map[string]*clientCount{}}
}

func (h *history) add(e Entry) {
	h.total++
	if !e.Conformant {
		h.nonConformant++
	}
	c := h.client(e.Client)
	c.total++
	if !e.Conformant {
		c.nonConformant++
	}
	for _, id := range e.Failed {
		c.failed[id] = true
	}
	for _, id := range e.Warnings {
		c.warned[id] = true
	}
	if len(h.ring) < h.limit {
		h.ring = append(h.ring, e)
		return
	}
	h.ring[h.next] = e
	h.next = (h.next + 1) % h.limit
}

func (h *history) client(name string) *clientCount {
	if c, ok := h.byName[name]; ok {
		return c
	}
	if len(h.byName) >= maxClients {
		name = otherClients
		if c, ok := h.byName[name]; ok {
			return c
		}
	}
	c := &clientCount{name: name, failed: map[string]bool{}, warned: map[string]bool{}}
	h.byName[name] = c
	h.clients = append(h.clients, c)
	return c
}

// entries returns the kept entries, oldest first.
func (h *history) entries() []Entry {
	out := make([]Entry, 0, len(h.ring))
	out = append(out, h.ring[h.next:]...)
	return append(out, h.ring[:h.next]...)
}
