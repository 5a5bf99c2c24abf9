#!/bin/sh
# A client under test for internal/clientrun's tests, good or bad (the first argument): it POSTs listKeys to
# the URL (second argument) with curl and the bearer token (third), retrying a 429, 500 or 503 up to twice.
# The good one waits Retry-After (1 s without one); the bad one ignores Retry-After, prints its token and
# exits 0 on a 404.
mode=$1 url=$2 token=$3
dir=$(mktemp -d) || exit 3
trap 'rm -rf "$dir"' EXIT
[ "$mode" = bad ] && echo "calling with token $token"
attempt=0
while :; do
	attempt=$((attempt + 1))
	status=$(curl -q --silent --show-error --noproxy '*' -X POST -H "Authorization: Bearer $token" \
		-D "$dir/headers" -o "$dir/body" -w '%{http_code}' "$url") || exit 2
	case $status in
	200)
		cat "$dir/body"
		exit 0
		;;
	429 | 500 | 503)
		if [ "$attempt" -lt 3 ]; then
			wait=$(sed -n 's/^[Rr]etry-[Aa]fter: *\([0-9]*\).*/\1/p' "$dir/headers")
			[ "$mode" = good ] && sleep "${wait:-1}"
			continue
		fi
		;;
	esac
	cat "$dir/body" >&2
	echo >&2
	[ "$mode" = bad ] && [ "$status" = 404 ] && exit 0
	exit 1
done
