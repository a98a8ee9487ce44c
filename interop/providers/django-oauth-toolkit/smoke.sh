#!/usr/bin/env bash
# End-to-end smoke test of the DOT harness with curl. Exit status != 0 if any
# expected step fails. Token values are redacted in the printed output.
set -uo pipefail
cd "$(dirname "$0")"
./setup.sh || exit 1

WORK=$(mktemp -d)
FAILS=0
SERVER_PID=

fail() { echo "!! FAIL: $*"; FAILS=$((FAILS + 1)); }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  local t0; t0=$(now)
  exec {SERVER_IN}>&-  # close the server's stdin: it exits on EOF
  for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    fail "server did not exit on stdin EOF within 5 s; sending SIGTERM"
    kill -TERM "$SERVER_PID"
  fi
  wait "$SERVER_PID" 2>/dev/null; local rc=$?
  echo "server stopped (stdin EOF) after $(elapsed "$t0") s, exit code $rc"
  [[ $rc == 0 ]] || fail "server exit code $rc"
  SERVER_PID=
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# ---- start the server on an ephemeral port ---------------------------------
t0=$(now)
# SERVE_ARGS: extra serve.py flags, e.g. SERVE_ARGS=--syncdb ./smoke.sh
coproc SRV { exec .venv/bin/python serve.py --port 0 ${SERVE_ARGS:-} 2>"$WORK/server.log"; }
# bash unsets SRV / SRV_PID when the coprocess ends, so keep copies
SERVER_PID=$SRV_PID SERVER_IN=${SRV[1]} SERVER_OUT=${SRV[0]}

if ! read -r -t 60 LINE <&"$SERVER_OUT"; then
  cat "$WORK/server.log"; echo "!! server did not print its JSON line"; exit 1
fi
echo "server line: $LINE   (start-up $(elapsed "$t0") s wall)"
ISSUER=$(jq -r .issuer <<<"$LINE")
PORT=$(jq -r .port <<<"$LINE")
O="http://127.0.0.1:$PORT/o"
[[ $ISSUER == "$O" ]] || fail "issuer $ISSUER != $O"

# ---- helpers ----------------------------------------------------------------
# req NAME EXPECTED_STATUS curl-args...  -> prints status, headers, body; body in $WORK/body
req() {
  local name=$1 want=$2; shift 2
  local status
  status=$(curl -sS -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@") || status=000
  echo
  echo "=== $name"
  echo "status: $status"
  grep -iE '^(content-type|www-authenticate|connection|cache-control|pragma|location):' "$WORK/headers" \
    | tr -d '\r' | sed 's/^/  /'
  local n; n=$(grep -ci '^www-authenticate:' "$WORK/headers")
  [[ $n -gt 1 ]] && echo "  (NOTE: $n WWW-Authenticate headers)"
  echo "body: $(sed -E 's/("(access|refresh|id)_token": ")[^"]*"/\1<redacted>"/g' "$WORK/body")"
  [[ $status == "$want" ]] || fail "$name: status $status, expected $want"
}
# check NAME JQ-EXPR : the last body must satisfy the jq boolean expression
check() { jq -e "$2" "$WORK/body" >/dev/null 2>&1 || fail "$1: body does not satisfy $2"; }

API=(-u actix-api:actix-api-secret)
token() {  # token NAME CLIENT:SECRET USER PASSWORD SCOPE  -> sets TOKEN
  req "$1" 200 -u "$2" -d grant_type=password -d "username=$3" -d "password=$4" \
    --data-urlencode "scope=$5" "$O/token/"
  TOKEN=$(jq -r '.access_token // empty' "$WORK/body")
  [[ -n $TOKEN ]] || fail "$1: no access_token"
}

# ---- discovery ----------------------------------------------------------------
req "discovery (no trailing slash)" 200 "$O/.well-known/openid-configuration"
check discovery ".issuer == \"$ISSUER\" and .userinfo_endpoint == \"$O/userinfo/\""
# The reason discovery falls back to the RFC 8414 metadata for this provider.
check "discovery lists no introspection endpoint" '.introspection_endpoint == null'
echo "  introspection_endpoint in OIDC discovery: $(jq -c '.introspection_endpoint // "ABSENT"' "$WORK/body")," \
  "revocation_endpoint: $(jq -c '.revocation_endpoint // "ABSENT"' "$WORK/body")"
req "discovery (trailing slash)" 200 "$O/.well-known/openid-configuration/"
req "RFC 8414 metadata" 200 "$O/.well-known/oauth-authorization-server"
check rfc8414 ".introspection_endpoint == \"$O/introspect/\" and .revocation_endpoint == \"$O/revoke_token/\""
req "jwks" 200 "$O/.well-known/jwks.json"
check jwks '.keys[0].alg == "RS256"'

# ---- tokens --------------------------------------------------------------------
token "token alice" actix-api:actix-api-secret alice alice-password "openid profile read"; ALICE=$TOKEN
check "token alice" '.expires_in == 3600 and .scope == "openid profile read"'
token "token bob" actix-api:actix-api-secret bob bob-password "openid profile read"; BOB=$TOKEN
req "token: wrong user password" 400 "${API[@]}" -d grant_type=password -d username=bob \
  -d password=nope -d "scope=openid" "$O/token/"
req "token: wrong client secret" 401 -u actix-api:nope -d grant_type=password -d username=bob \
  -d password=bob-password -d "scope=openid" "$O/token/"

# ---- userinfo + introspection for alice and bob ------------------------------------
req "userinfo alice" 200 -H "Authorization: Bearer $ALICE" "$O/userinfo/"
check "userinfo alice" '.sub == "1" and .preferred_username == "alice" and .is_superuser == true'
req "userinfo bob" 200 -H "Authorization: Bearer $BOB" "$O/userinfo/"
check "userinfo bob" '.sub == "2" and .preferred_username == "bob" and .is_superuser == false'
req "introspect alice (Basic actix-api)" 200 "${API[@]}" -d "token=$ALICE" "$O/introspect/"
check "introspect alice" '.active == true and .username == "alice" and .client_id == "actix-api"'
req "introspect bob (Basic actix-api)" 200 "${API[@]}" -d "token=$BOB" "$O/introspect/"
check "introspect bob" '.active == true and .username == "bob"'

# Introspection authenticated by a bearer token carrying the `introspection` scope.
token "token carol, scope=introspection" actix-api:actix-api-secret carol carol-password "introspection"
INTRO=$TOKEN
req "introspect alice (Bearer with introspection scope)" 200 -H "Authorization: Bearer $INTRO" \
  -d "token=$ALICE" "$O/introspect/"
check "introspect via bearer" '.active == true and .username == "alice"'
req "introspect alice (Bearer WITHOUT introspection scope)" 403 -H "Authorization: Bearer $BOB" \
  -d "token=$ALICE" "$O/introspect/"
req "introspect alice (client_id/secret in body)" 200 -d client_id=actix-api \
  -d client_secret=actix-api-secret -d "token=$ALICE" "$O/introspect/"

# ---- introspection error cases -----------------------------------------------------
req "introspect with WRONG client secret" 403 -u actix-api:wrong-secret -d "token=$ALICE" "$O/introspect/"
req "introspect with no client auth" 403 -d "token=$ALICE" "$O/introspect/"
req "introspect garbage token" 200 "${API[@]}" -d "token=garbage" "$O/introspect/"
check "introspect garbage" '. == {"active": false}'
req "introspect without token parameter" 400 "${API[@]}" -X POST "$O/introspect/"

# ---- revocation ----------------------------------------------------------------
req "revoke bob" 200 "${API[@]}" -d "token=$BOB" -d token_type_hint=access_token "$O/revoke_token/"
req "introspect revoked bob" 200 "${API[@]}" -d "token=$BOB" "$O/introspect/"
check "introspect revoked" '. == {"active": false}'
req "userinfo revoked bob" 401 -H "Authorization: Bearer $BOB" "$O/userinfo/"

# ---- short-lived token ---------------------------------------------------------
token "token bob via short-lived client" short-lived:short-lived-secret bob bob-password "openid profile read"
SHORT=$TOKEN
check "short-lived token" '.expires_in == 2'
req "introspect short-lived (fresh)" 200 "${API[@]}" -d "token=$SHORT" "$O/introspect/"
check "short-lived fresh" '.active == true and .client_id == "short-lived"'
t0=$(now); expired=
for _ in $(seq 20); do  # bounded: 20 x 0.5 s
  sleep 0.5
  curl -sS "${API[@]}" -d "token=$SHORT" "$O/introspect/" | jq -e '.active == false' >/dev/null \
    && { expired=1; break; }
done
echo; echo "short-lived token inactive after $(elapsed "$t0") s of polling"
[[ -n $expired ]] || fail "short-lived token still active after 10 s"
req "introspect expired short-lived" 200 "${API[@]}" -d "token=$SHORT" "$O/introspect/"
check "introspect expired" '. == {"active": false}'
req "userinfo expired short-lived" 401 -H "Authorization: Bearer $SHORT" "$O/userinfo/"

# ---- userinfo error cases --------------------------------------------------------
req "userinfo without token" 401 "$O/userinfo/"
req "userinfo garbage token" 401 -H "Authorization: Bearer garbage" "$O/userinfo/"
req "userinfo with token lacking openid scope (scope=introspection)" 401 \
  -H "Authorization: Bearer $INTRO" "$O/userinfo/"
req "userinfo via POST" 200 -X POST -H "Authorization: Bearer $ALICE" "$O/userinfo/"
req "GET /o/userinfo (no trailing slash)" 301 -H "Authorization: Bearer $ALICE" "$O/userinfo"
grep -qi "^location: /o/userinfo/" "$WORK/headers" || fail "no-slash: Location is not /o/userinfo/"
req "POST /o/userinfo (no trailing slash)" 301 -X POST -H "Authorization: Bearer $ALICE" "$O/userinfo"

# ---- stop ----------------------------------------------------------------------
echo
stop_server
echo
echo "--- server stderr (first lines) ---"
head -n 3 "$WORK/server.log"
echo
if [[ $FAILS -eq 0 ]]; then echo "SMOKE OK"; else echo "SMOKE FAILED: $FAILS failure(s)"; fi
[[ $FAILS -eq 0 ]]
