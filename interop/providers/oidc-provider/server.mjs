// Local oidc-provider instance for interop tests. 127.0.0.1 only, plain HTTP.
//
//   node server.mjs --port N        (N = 0 picks an ephemeral port)
//   node server.mjs --port N --ignore-stdin   (do not exit on stdin EOF; for manual use)
//
// stdout: exactly one JSON line {"issuer":"http://127.0.0.1:N","port":N} once listening.
// stderr: everything else (never token values).
// Exits on stdin EOF (unless --ignore-stdin), SIGTERM and SIGINT.

import http from 'node:http';
import crypto from 'node:crypto';

// oidc-provider prints some notices with console.info (stdout). Keep stdout for the
// single JSON line only: route every console method to stderr before loading it.
console.log = console.info = console.debug = console.error;

const { default: Provider, errors } = await import('oidc-provider');

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const out = { port: 0, ignoreStdin: false };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--port') out.port = Number(argv[(i += 1)]);
    else if (argv[i].startsWith('--port=')) out.port = Number(argv[i].slice(7));
    else if (argv[i] === '--ignore-stdin') out.ignoreStdin = true;
    else throw new Error(`unknown argument: ${argv[i]}`);
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) {
    throw new Error('--port must be an integer 0..65535');
  }
  return out;
}
const args = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------- seed data
const ACCOUNTS = {
  alice: { sub: '1', password: 'alice-password', name: 'Alice', roles: ['admin'] },
  bob: { sub: '2', password: 'bob-password', name: 'Bob', roles: ['user'] },
  carol: { sub: '3', password: 'carol-password', name: 'Carol', roles: ['user'] },
};
const BY_SUB = new Map(Object.entries(ACCOUNTS).map(([username, a]) => [a.sub, { username, ...a }]));

const CLIENT_SCOPE = 'openid profile roles read write';
const OIDC_SCOPES = new Set(['openid', 'profile', 'roles']); // scopes that map to claims
const SHORT_LIVED_TTL = 2; // seconds
const DEFAULT_AT_TTL = 3600;

const sha256 = (s) => crypto.createHash('sha256').update(String(s)).digest();
const passwordMatches = (given, expected) => crypto.timingSafeEqual(sha256(given), sha256(expected));

// ---------------------------------------------------------------- in-memory adapter
// Plain Map with expiry (the built-in dev adapter is an LRU capped at 1000 entries,
// which could silently evict tokens during a long test run).
const store = new Map();
const alive = (e) => e && (e.exp === undefined || e.exp > Date.now());
class InMemoryAdapter {
  constructor(model) { this.model = model; }
  key(id) { return `${this.model}:${id}`; }
  async upsert(id, payload, expiresIn) {
    const exp = expiresIn ? Date.now() + expiresIn * 1000 : undefined;
    store.set(this.key(id), { payload, exp });
    if (payload.grantId) {
      const gk = `grant:${payload.grantId}`;
      const list = store.get(gk)?.payload ?? [];
      list.push(this.key(id));
      store.set(gk, { payload: list });
    }
    if (payload.userCode) store.set(`userCode:${payload.userCode}`, { payload: id, exp });
    if (payload.uid) store.set(`uid:${payload.uid}`, { payload: id, exp });
  }
  async find(id) {
    const e = store.get(this.key(id));
    if (!alive(e)) { store.delete(this.key(id)); return undefined; }
    return e.payload;
  }
  async findByUserCode(code) { const e = store.get(`userCode:${code}`); return alive(e) ? this.find(e.payload) : undefined; }
  async findByUid(uid) { const e = store.get(`uid:${uid}`); return alive(e) ? this.find(e.payload) : undefined; }
  async consume(id) { const e = store.get(this.key(id)); if (e) e.payload.consumed = Math.floor(Date.now() / 1000); }
  async destroy(id) { store.delete(this.key(id)); }
  async revokeByGrantId(grantId) {
    const gk = `grant:${grantId}`;
    for (const k of store.get(gk)?.payload ?? []) store.delete(k);
    store.delete(gk);
  }
}
setInterval(() => { for (const [k, e] of store) if (!alive(e)) store.delete(k); }, 60_000).unref();

// ---------------------------------------------------------------- provider config
// Fresh signing key per run (only used if something signs, e.g. ID tokens; the opaque
// access tokens here are not signed). EC P-256 generates in ~1 ms, RSA-2048 in ~0.5 s.
const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'interop-es256', use: 'sig', alg: 'ES256' };

const CLIENT_COMMON = {
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['password'],
  response_types: [],
  redirect_uris: [],
  scope: CLIENT_SCOPE,
  id_token_signed_response_alg: 'ES256', // the only key is EC (default would be RS256)
};

const configuration = {
  adapter: InMemoryAdapter,
  jwks: { keys: [signingJwk] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  clients: [
    { client_id: 'actix-api', client_secret: 'actix-api-secret', ...CLIENT_COMMON },
    { client_id: 'short-lived', client_secret: 'short-lived-secret', ...CLIENT_COMMON },
  ],
  // scope -> claims released for it (UserInfo). `roles` is a custom scope + claim.
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    roles: ['roles'],
  },
  scopes: ['openid', 'profile', 'roles', 'read', 'write'],
  async findAccount(ctx, sub) {
    const a = BY_SUB.get(sub);
    if (!a) return undefined;
    return {
      accountId: a.sub,
      async claims() {
        return { sub: a.sub, name: a.name, preferred_username: a.username, roles: a.roles };
      },
    };
  },
  // Stored with each opaque access token at issuance; spread into introspection answers.
  async extraTokenClaims(ctx, token) {
    const a = token.accountId ? BY_SUB.get(token.accountId) : undefined;
    return a ? { username: a.username, roles: a.roles } : undefined;
  },
  features: {
    devInteractions: { enabled: false },
    introspection: {
      enabled: true,
      // any authenticated confidential client (the resource server) may introspect any token
      allowedPolicy: async () => true,
    },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    // off: keeps access tokens opaque and audience-less, which UserInfo requires
    resourceIndicators: { enabled: false },
  },
  ttl: {
    AccessToken: (ctx, token, client) => (client?.clientId === 'short-lived' ? SHORT_LIVED_TTL : DEFAULT_AT_TTL),
    ClientCredentials: 600,
    Grant: 24 * 3600,
    IdToken: 3600,
    Interaction: 600,
    Session: 24 * 3600,
    RefreshToken: 24 * 3600,
  },
  // Default is 15 s. With it, UserInfo (model lookup) still accepts an access token for
  // up to 15 s past `exp` while the store holds it, whereas introspection reports
  // active:false exactly at `exp`. 0 makes both endpoints agree (see NOTES.md).
  clockTolerance: 0,
  clientBasedCORS: () => false,
  renderError(ctx, out) { ctx.type = 'json'; ctx.body = out; },
};

// ---------------------------------------------------------------- password grant
// POST /token  grant_type=password&username=..&password=..[&scope=..]  + client auth.
// Issues a real (opaque) AccessToken through the provider's own token endpoint.
async function passwordGrant(ctx, next) {
  const { provider, client, params } = ctx.oidc;
  if (!params.username || !params.password) {
    throw new errors.InvalidRequest('username and password are required');
  }
  const account = Object.hasOwn(ACCOUNTS, params.username) ? ACCOUNTS[params.username] : undefined;
  const ok = account ? passwordMatches(params.password, account.password) : passwordMatches(params.password, '\0');
  if (!ok) throw new errors.InvalidGrant('invalid resource owner credentials');

  const allowed = new Set(client.scope.split(' '));
  const requested = params.scope ? [...new Set(params.scope.split(' ').filter(Boolean))] : [...allowed];
  for (const s of requested) {
    if (!allowed.has(s)) throw new errors.InvalidScope('requested scope is not allowed', s);
  }

  // UserInfo and introspection look up the token's Grant, so create one.
  const grant = new provider.Grant({ accountId: account.sub, clientId: client.clientId });
  const oidcScope = requested.filter((s) => OIDC_SCOPES.has(s)).join(' ');
  if (oidcScope) grant.addOIDCScope(oidcScope);
  const grantId = await grant.save();

  const at = new provider.AccessToken({
    accountId: account.sub,
    client,
    grantId,
    gty: 'password',
    scope: requested.join(' ') || undefined,
  });
  ctx.oidc.entity('AccessToken', at);
  const value = await at.save();

  ctx.body = {
    access_token: value,
    expires_in: at.expiration,
    token_type: at.tokenType,
    scope: at.scope,
  };
  await next();
}

// ---------------------------------------------------------------- start
const server = http.createServer();
server.listen(args.port, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration);
  provider.registerGrantType('password', passwordGrant, ['username', 'password', 'scope']);

  provider.on('server_error', (ctx, err) => console.error('server_error:', err));
  provider.use(async (ctx, next) => {
    const t0 = Date.now();
    await next();
    // path only (no query string, no bodies, no tokens)
    console.error(`${ctx.method} ${ctx.path} -> ${ctx.status} (${Date.now() - t0} ms)`);
  });

  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
});
server.on('error', (err) => { console.error('listen error:', err.message); process.exit(1); });

function shutdown(why) {
  console.error(`shutting down (${why})`);
  server.close();
  server.closeAllConnections?.();
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
if (!args.ignoreStdin) {
  process.stdin.on('end', () => shutdown('stdin EOF'));
  process.stdin.on('error', () => shutdown('stdin error'));
  process.stdin.resume();
}
