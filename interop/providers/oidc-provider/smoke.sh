#!/usr/bin/env bash
# Smoke test: start server.mjs on an ephemeral port, exercise it with curl, stop it.
# Prints every HTTP status, selected headers and bodies (access_token values redacted).
# Exits non-zero if any expectation fails.  Needs: node, curl, jq.
set -uo pipefail
cd "$(dirname "$0")"

FAILS=0; PASSES=0
WORK=$(mktemp -d); LOG="$WORK/server.log"
cleanup() {
  [[ -n "${SRV_PID:-}" ]] && kill "$SRV_PID" 2>/dev/null
  [[ -n "${TERM_PID:-}" ]] && kill "$TERM_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

ok()   { PASSES=$((PASSES + 1)); echo "  ok   - $*"; }
bad()  { FAILS=$((FAILS + 1));   echo "  FAIL - $*"; }
# check DESCRIPTION JQ_FILTER  (evaluated against the last response body)
check() { if jq -e "$2" "$WORK/body" >/dev/null 2>&1; then ok "$1"; else bad "$1  [jq: $2]"; fi; }
now_ms() { date +%s%3N; }

# req TITLE EXPECTED_STATUS curl-args...   -> sets $STATUS, body in $WORK/body
req() {
  local title=$1 expect=$2; shift 2
  echo
  echo "=== $title"
  STATUS=$(curl -sS -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@") || STATUS=000
  echo "HTTP $STATUS"
  tr -d '\r' <"$WORK/headers" | grep -iE '^(content-type|www-authenticate|connection|cache-control|pragma):' | sed 's/^/  /'
  local n; n=$(tr -d '\r' <"$WORK/headers" | grep -ic '^www-authenticate:')
  [[ "$n" -gt 1 ]] && echo "  NOTE: $n WWW-Authenticate headers"
  if [[ -s "$WORK/body" ]]; then
    if jq -e . "$WORK/body" >/dev/null 2>&1; then
      echo "  body: $(jq -c 'if type == "object" and has("access_token") then .access_token = "<redacted>" else . end' "$WORK/body")"
    else
      echo "  body (non-JSON): $(head -c 400 "$WORK/body")"
    fi
  else
    echo "  body: <empty>"
  fi
  if [[ "$STATUS" == "$expect" ]]; then ok "status $STATUS"; else bad "status $STATUS, expected $expect"; fi
}

# ------------------------------------------------------------------ start server
# coproc: the server's stdin is a pipe held by this script, so it exits when we do.
T0=$(now_ms)
coproc SRV { exec node server.mjs --port 0 2>"$LOG"; }
if ! read -r -t 20 LINE <&"${SRV[0]}"; then echo "server did not start"; cat "$LOG"; exit 1; fi
T1=$(now_ms)
echo "server line: $LINE"
echo "start-up time: $((T1 - T0)) ms (spawn -> JSON line)"
ISS=$(jq -r .issuer <<<"$LINE"); PORT=$(jq -r .port <<<"$LINE")
[[ "$ISS" == "http://127.0.0.1:$PORT" ]] && ok "issuer/port line" || bad "issuer/port line"

RS=(-u actix-api:actix-api-secret)        # resource server / client credentials
SL=(-u short-lived:short-lived-secret)

# ------------------------------------------------------------------ discovery
req "discovery" 200 "$ISS/.well-known/openid-configuration"
jq -c '{issuer, token_endpoint, userinfo_endpoint, introspection_endpoint, revocation_endpoint,
        grant_types_supported, scopes_supported, claims_supported,
        introspection_endpoint_auth_methods_supported}' "$WORK/body" | sed 's/^/  /'
check "issuer matches" ".issuer == \"$ISS\""
for ep in token userinfo introspection revocation; do check "has ${ep}_endpoint" ".${ep}_endpoint | type == \"string\""; done
check "password grant advertised" '.grant_types_supported | index("password")'
TOKEN_EP=$(jq -r .token_endpoint "$WORK/body"); USERINFO_EP=$(jq -r .userinfo_endpoint "$WORK/body")
INTRO_EP=$(jq -r .introspection_endpoint "$WORK/body"); REVOKE_EP=$(jq -r .revocation_endpoint "$WORK/body")

# ------------------------------------------------------------------ tokens
token() { # CLIENT_ID:SECRET USER PASS SCOPE
  req "token: password grant for $2 (scope '$4') via client ${1%%:*}" 200 -u "$1" \
    -d grant_type=password -d "username=$2" -d "password=$3" --data-urlencode "scope=$4" "$TOKEN_EP"
  check "token_type Bearer" '.token_type == "Bearer"'
  check "opaque access_token (not a JWT)" '.access_token | type == "string" and (split(".") | length) == 1'
}
token actix-api:actix-api-secret alice alice-password "openid profile roles read write"; ALICE=$(jq -r .access_token "$WORK/body")
token actix-api:actix-api-secret bob bob-password "openid profile roles read"; BOB=$(jq -r .access_token "$WORK/body")
check "expires_in 3600" '.expires_in == 3600'

req "token: wrong user password" 400 "${RS[@]}" -d grant_type=password -d username=alice -d password=nope "$TOKEN_EP"
check "invalid_grant" '.error == "invalid_grant"'
req "token: scope not allowed" 400 "${RS[@]}" -d grant_type=password -d username=alice -d password=alice-password -d scope=admin "$TOKEN_EP"
check "invalid_scope" '.error == "invalid_scope"'
req "token: wrong client secret" 401 -u actix-api:wrong -d grant_type=password -d username=alice -d password=alice-password "$TOKEN_EP"
check "invalid_client" '.error == "invalid_client"'

# ------------------------------------------------------------------ userinfo / introspection
req "userinfo alice" 200 -H "Authorization: Bearer $ALICE" "$USERINFO_EP"
check "alice sub/roles" '.sub == "1" and .roles == ["admin"] and .preferred_username == "alice"'
req "userinfo bob" 200 -H "Authorization: Bearer $BOB" "$USERINFO_EP"
check "bob sub/roles" '.sub == "2" and .roles == ["user"] and .preferred_username == "bob"'

req "introspect alice" 200 "${RS[@]}" -d "token=$ALICE" "$INTRO_EP"
check "alice active" ".active == true and .sub == \"1\" and .client_id == \"actix-api\" and .iss == \"$ISS\" and .roles == [\"admin\"] and .scope == \"openid profile roles read write\" and (.exp | type == \"number\")"
check "no aud" 'has("aud") | not'
req "introspect bob (with token_type_hint)" 200 "${RS[@]}" -d "token=$BOB" -d token_type_hint=access_token "$INTRO_EP"
check "bob active" '.active == true and .sub == "2" and .roles == ["user"] and .scope == "openid profile roles read"'

req "introspect with WRONG client secret" 401 -u actix-api:wrong-secret -d "token=$ALICE" "$INTRO_EP"
check "invalid_client" '.error == "invalid_client"'
req "introspect with NO client auth" 400 -d "token=$ALICE" "$INTRO_EP"
check "invalid_request" '.error == "invalid_request"'
req "introspect garbage token" 200 "${RS[@]}" -d "token=garbage-not-a-token" "$INTRO_EP"
check "active false only" '. == {"active": false}'

# ------------------------------------------------------------------ revocation
req "revoke alice's token as the OTHER client (short-lived)" 400 -u short-lived:short-lived-secret -d "token=$ALICE" "$REVOKE_EP"
check "invalid_request (not your token)" '.error == "invalid_request"'
req "revoke a garbage token" 200 "${RS[@]}" -d "token=garbage-not-a-token" "$REVOKE_EP"
req "revoke bob's token" 200 "${RS[@]}" -d "token=$BOB" -d token_type_hint=access_token "$REVOKE_EP"
req "introspect bob after revocation" 200 "${RS[@]}" -d "token=$BOB" "$INTRO_EP"
check "active false" '. == {"active": false}'
req "userinfo bob after revocation" 401 -H "Authorization: Bearer $BOB" "$USERINFO_EP"
check "invalid_token" '.error == "invalid_token"'

# ------------------------------------------------------------------ scope without openid
req "token: alice, scope 'read write' (no openid)" 200 "${RS[@]}" -d grant_type=password -d username=alice -d password=alice-password --data-urlencode "scope=read write" "$TOKEN_EP"
NOOIDC=$(jq -r .access_token "$WORK/body")
req "introspect no-openid token" 200 "${RS[@]}" -d "token=$NOOIDC" "$INTRO_EP"
check "active, roles still present" '.active == true and .sub == "1" and .roles == ["admin"] and .scope == "read write"'
req "userinfo with no-openid token" 403 -H "Authorization: Bearer $NOOIDC" "$USERINFO_EP"
check "insufficient_scope" '.error == "insufficient_scope"'

# ------------------------------------------------------------------ short-lived token
req "token: short-lived client, carol" 200 "${SL[@]}" -d grant_type=password -d username=carol -d password=carol-password --data-urlencode "scope=openid profile roles" "$TOKEN_EP"
check "expires_in 2" '.expires_in == 2'
SHORT=$(jq -r .access_token "$WORK/body")
req "introspect short-lived (fresh)" 200 "${RS[@]}" -d "token=$SHORT" "$INTRO_EP"
check "active, carol" '.active == true and .sub == "3" and .client_id == "short-lived" and .roles == ["user"]'
echo; echo "=== waiting for the short-lived token to expire (poll every 0.5 s, max 10 s)"
T0=$(now_ms); EXPIRED=0
for _ in $(seq 1 20); do
  sleep 0.5
  if curl -sS "${RS[@]}" -d "token=$SHORT" "$INTRO_EP" | jq -e '.active == false' >/dev/null; then EXPIRED=1; break; fi
done
T1=$(now_ms)
if [[ $EXPIRED == 1 ]]; then ok "inactive after $((T1 - T0)) ms"; else bad "still active after $((T1 - T0)) ms"; fi
req "userinfo short-lived (expired)" 401 -H "Authorization: Bearer $SHORT" "$USERINFO_EP"
check "invalid_token" '.error == "invalid_token"'
req "introspect short-lived (expired)" 200 "${RS[@]}" -d "token=$SHORT" "$INTRO_EP"
check "active false" '. == {"active": false}'

# ------------------------------------------------------------------ userinfo failures
req "userinfo without token" 400 "$USERINFO_EP"
check "invalid_request error code" '.error == "invalid_request"'
req "userinfo with Basic auth instead of Bearer" 400 -u actix-api:actix-api-secret "$USERINFO_EP"
check "invalid_request" '.error == "invalid_request"'
req "userinfo with garbage token" 401 -H "Authorization: Bearer garbage-not-a-token" "$USERINFO_EP"
check "invalid_token" '.error == "invalid_token"'
req "userinfo via POST (form access_token)" 200 -d "access_token=$ALICE" "$USERINFO_EP"
check "alice" '.sub == "1"'

# ------------------------------------------------------------------ shutdown: stdin EOF
echo; echo "=== shutdown by closing the server's stdin"
PID=$SRV_PID
exec {SRV[1]}>&-
for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then bad "server still running after stdin EOF"; else ok "server exited on stdin EOF"; fi
SRV_PID=

# ------------------------------------------------------------------ shutdown: SIGTERM
echo; echo "=== shutdown by SIGTERM (second instance, --ignore-stdin)"
node server.mjs --port 0 --ignore-stdin </dev/null >"$WORK/line2" 2>>"$LOG" &
TERM_PID=$!
for _ in $(seq 1 100); do [[ -s "$WORK/line2" ]] && break; sleep 0.1; done
echo "  second instance: $(cat "$WORK/line2")"
kill -TERM "$TERM_PID"; wait "$TERM_PID"; RC=$?
if [[ $RC == 0 ]]; then ok "exited 0 on SIGTERM"; else bad "exit code $RC on SIGTERM"; fi
TERM_PID=

echo; echo "=== server stderr log"; sed 's/^/  /' "$LOG"
if grep -qF -- "$ALICE" "$LOG"; then bad "token value found in server log"; else ok "no token value in server log"; fi
echo
echo "smoke: $PASSES passed, $FAILS failed"
[[ $FAILS == 0 ]]
