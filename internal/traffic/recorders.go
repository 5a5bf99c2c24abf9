package traffic

// removedHeaders are the response headers a recorder is known to remove before it saves, by the recording
// format it writes (docs/recorders.md). A check that misses one of these in a recording of that format notes
// it as not recorded: the service most likely sent it.
//
// vcrpy cassettes of Azure services are, in practice, the Azure CLI test SDK's: its filter list applies to the
// format. The Azure SDK test-proxy replaces values ("Sanitized") rather than removing headers; go-vcr, HAR
// and x-ms-examples files either keep what travelled or keep no headers at all.
var removedHeaders = map[Format][]string{
	VCRPy: {
		"authorization", "client-request-id", "retry-after", "x-ms-client-request-id",
		"x-ms-correlation-request-id", "x-ms-request-id", "x-ms-routing-request-id",
		"x-ms-ratelimit-remaining-subscription-reads", "x-ms-ratelimit-remaining-tenant-reads",
		"x-ms-gateway-service-instanceid", "x-ms-served-by", "x-ms-authorization-auxiliary",
	},
}

// RemovedHeaders lists the headers the recorder of a format removes.
func RemovedHeaders(f Format) []string { return removedHeaders[f] }
