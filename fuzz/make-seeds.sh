#!/usr/bin/env bash
# Rebuilds fuzz/seeds/ from tests/fixtures/ (the release notes' samples).
#
# validate_input takes JSON text, so its seeds are the fixtures as they are.
# decode_response reads a 4-byte head before the body (status, content type, header; see
# fuzz_targets/decode_response.rs), so its seeds are the fixtures behind a head that
# gives each the status it is an answer of, and a few answers that are not JSON.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seeds="$root/fuzz/seeds"
rm -rf "$seeds/decode_response" "$seeds/validate_input"
mkdir -p "$seeds/decode_response" "$seeds/validate_input"

cp "$root"/tests/fixtures/*.json "$seeds/validate_input/"

# Status bytes are `status - 100`, big-endian: 200 -> 00 64, 201 -> 00 65, 403 -> 01 2f.
head_of() {
  case "$1" in
    forbidden_*) printf '\x01\x2f\x00\x00' ;;            # 403, application/json
    create_schedule_response.json) printf '\x00\x65\x00\x00' ;; # 201, application/json
    *) printf '\x00\x64\x00\x00' ;;                      # 200, application/json
  esac
}
for fixture in "$root"/tests/fixtures/*.json; do
  name=$(basename "$fixture" .json)
  { head_of "$name.json"; cat "$fixture"; } > "$seeds/decode_response/$name"
done
# A login answer: 201, text/plain, the JWT as the body.
printf '\x00\x65\x03\x00eyJhbGciOiJub25lIn0.eyJleHAiOjE2NzU2OTI2Nzl9.sig\n' \
  > "$seeds/decode_response/login_201_text"
# A 429 with `Retry-After: 7`, and one with an HTTP date and a receive time.
printf '\x01\x49\x00\x01\x017{"errorCode":"429","message":"Too many requests"}' \
  > "$seeds/decode_response/rate_limited_retry_after"
printf '\x01\x49\x03\x81\x00\x00\x01\x85\xe0\x8a\x4c\x00\x1dWed, 01 Feb 2023 10:00:00 GMTslow down' \
  > "$seeds/decode_response/rate_limited_http_date"
# A 412 in the API's common error body, and a proxy's HTML 502.
printf '\x01\x38\x02\x00{"errorCode":"412 PRECONDITION_FAILED","message":"Connector is associated with registry","timestamp":1675692679}' \
  > "$seeds/decode_response/precondition_failed"
printf '\x01\x92\x05\x00<html><body><h1>502 Bad Gateway</h1></body></html>' \
  > "$seeds/decode_response/proxy_502_html"
# A 204 with no body, as a delete may answer.
printf '\x00\x68\x01\x00' > "$seeds/decode_response/no_content_204"
