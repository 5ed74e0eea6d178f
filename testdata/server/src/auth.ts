// Custom auth for the test server.
//
// Authentication:
//   Authorization: Bearer token-alice | token-bob     -> that user
//   Authorization: Bearer expired-...                 -> 401 "Token expired"
//   Authorization: Bearer <other>                     -> 401 "Invalid token"
//   x-api-key: key-carol | key-dave                   -> that user
//   x-api-key: <other>                                -> 401 "Invalid API key"
//   no credentials                                    -> 401 "Missing credentials" (www-authenticate: Bearer)
// A Bearer token wins over an x-api-key. A non-Bearer Authorization header is ignored.
//
// Authorization:
//   threads, crons: owner stamped into metadata on create; every action is
//     filtered by {owner: identity} (foreign threads are 404 / invisible).
//   assistants: owner stamped on create; reads are not filtered (system
//     assistants have no owner and stay usable by everyone).
//   store: allowed only when the namespace's (or prefix's) first label is the
//     caller's identity; denied (403) otherwise.
import { Auth, HTTPException } from "@langchain/langgraph-sdk/auth";

type User = {
  identity: string;
  display_name: string;
  github_token: string;
  org: string;
  permissions: string[];
};

const TOKENS: Record<string, User> = {
  "token-alice": {
    identity: "alice",
    display_name: "Alice",
    github_token: "gh-alice-secret",
    org: "acme",
    permissions: [],
  },
  "token-bob": {
    identity: "bob",
    display_name: "Bob",
    github_token: "gh-bob-secret",
    org: "globex",
    permissions: [],
  },
};

const API_KEYS: Record<string, User> = {
  "key-carol": {
    identity: "carol",
    display_name: "Carol",
    github_token: "gh-carol-secret",
    org: "initech",
    permissions: [],
  },
  "key-dave": {
    identity: "dave",
    display_name: "Dave",
    github_token: "gh-dave-secret",
    org: "initech",
    permissions: [],
  },
};

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (header == null) return undefined;
  const match = /^\s*bearer\s+(.*?)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

function ownerFilter(identity: string) {
  return { owner: identity };
}

function withOwner(
  metadata: Record<string, unknown> | null | undefined,
  identity: string,
): Record<string, unknown> {
  return { ...(metadata ?? {}), owner: identity };
}

export const auth = new Auth()
  .authenticate(async (request: Request) => {
    const token = bearerToken(request);
    if (token !== undefined) {
      const user = TOKENS[token];
      if (user) return { ...user };
      if (token.startsWith("expired-")) {
        throw new HTTPException(401, { message: "Token expired" });
      }
      throw new HTTPException(401, { message: "Invalid token" });
    }
    const apiKey = request.headers.get("x-api-key");
    if (apiKey != null) {
      const user = API_KEYS[apiKey];
      if (user) return { ...user };
      throw new HTTPException(401, { message: "Invalid API key" });
    }
    throw new HTTPException(401, {
      message: "Missing credentials",
      headers: { "www-authenticate": "Bearer" },
    });
  })
  .on("threads", ({ action, value, user }) => {
    const v = value as { metadata?: Record<string, unknown> | null };
    if (action === "create" || action === "create_run") {
      v.metadata = withOwner(v.metadata, user.identity);
    } else if (action === "update" && v.metadata != null) {
      v.metadata = withOwner(v.metadata, user.identity);
    }
    return ownerFilter(user.identity);
  })
  .on("crons", ({ action, value, user }) => {
    const v = value as { metadata?: Record<string, unknown> | null };
    if (action === "create") {
      v.metadata = withOwner(v.metadata, user.identity);
    }
    return ownerFilter(user.identity);
  })
  .on("assistants:create", ({ value, user }) => {
    value.metadata = withOwner(value.metadata, user.identity);
  })
  .on("store", ({ value, user }) => {
    const namespace = (value as { namespace?: string[] | null }).namespace;
    return Array.isArray(namespace) && namespace[0] === user.identity;
  });
