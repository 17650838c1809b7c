"""A small OpenID Connect provider on 127.0.0.1 for the login tests, started and stopped by the test.

What a municipality's identity provider (Entra ID, Keycloak) does for the app, and no more: discovery
(`/.well-known/openid-configuration`), the authorization code flow with PKCE (S256) and a login form,
the token endpoint (client_secret_basic or _post) returning an RS256-signed ID token with a groups claim,
the JWKS, userinfo and RP-initiated logout (`end_session_endpoint`). Keys and JWTs are joserfc's (the JOSE
library Authlib itself uses), the HTTP server is the standard library's; the client on the other side is
the real one, Streamlit's `st.login` through Authlib, which checks the signature, issuer, audience, nonce
and PKCE.

A user with `issued_ago_s` gets ID tokens whose `iat` (and `auth_time`) lie that far back while they are
still valid (`exp` ahead): what the app holds from a login made that long ago, for the expired-session test.

    with OidcProvider("strategy-chat", "secret", ["http://127.0.0.1:8501/oauth2callback"], USERS) as idp:
        idp.issuer  # http://127.0.0.1:<port>; idp.metadata_url for secrets.toml's server_metadata_url
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

TOKEN_LIFETIME_S = 300
CODE_LIFETIME_S = 60


@dataclass(frozen=True)
class User:
    username: str
    password: str
    name: str
    groups: tuple[str, ...] = ()
    issued_ago_s: float = 0.0  # how long ago its tokens say the login happened

    @property
    def sub(self) -> str:
        return "sub-" + hashlib.sha256(self.username.encode()).hexdigest()[:16]


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    challenge: str | None
    method: str | None
    user: User
    created: float = field(default_factory=time.monotonic)


class OidcProvider:
    """One client, its redirect URIs and its users; `logins` and `logouts` record what happened."""

    def __init__(self, client_id: str, client_secret: str, redirect_uris: Iterable[str],
                 users: Iterable[User], groups_claim: str = "groups") -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.redirect_uris = set(redirect_uris)
        self.users = {u.username: u for u in users}
        self.groups_claim = groups_claim
        self.key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
        self.logins: list[str] = []
        self.logouts: list[str] = []
        self._pending: dict[str, dict[str, str]] = {}  # login form id -> the authorization request
        self._codes: dict[str, _Grant] = {}
        self._tokens: dict[str, dict[str, Any]] = {}  # access token -> userinfo
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc-provider", daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def metadata_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    def __enter__(self) -> OidcProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    # ------------------------------------------------------------------ the protocol

    def metadata(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": base + "/authorize",
            "token_endpoint": base + "/token",
            "userinfo_endpoint": base + "/userinfo",
            "jwks_uri": base + "/jwks",
            "end_session_endpoint": base + "/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "email",
                                 "preferred_username", self.groups_claim],
        }

    def claims(self, user: User, nonce: str | None) -> dict[str, Any]:
        now = int(time.time())
        issued = int(now - user.issued_ago_s)
        claims: dict[str, Any] = {
            "iss": self.issuer, "sub": user.sub, "aud": self.client_id, "iat": issued, "auth_time": issued,
            "exp": now + TOKEN_LIFETIME_S, "name": user.name, "preferred_username": user.username,
            "email": f"{user.username}@example.test", self.groups_claim: list(user.groups),
        }
        if nonce:
            claims["nonce"] = nonce
        return claims

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """The authorization request: a login form, or an error (never a redirect to an unknown URI)."""
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or redirect_uri not in self.redirect_uris:
            return 400, {}, "unknown client or redirect_uri"
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return _redirect(redirect_uri, error="invalid_request", state=query.get("state"))
        if query.get("code_challenge") and query.get("code_challenge_method", "plain") != "S256":
            return _redirect(redirect_uri, error="invalid_request", state=query.get("state"))
        form_id = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[form_id] = query
        return 200, {"Content-Type": "text/html; charset=utf-8"}, _login_form(form_id, "")

    def login(self, form: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """The login form posted: a wrong password shows the form again; else a code to the client."""
        with self._lock:
            query = self._pending.get(form.get("request", ""))
        if query is None:
            return 400, {}, "no such login request"
        user = self.users.get(form.get("username", ""))
        if user is None or not secrets.compare_digest(user.password, form.get("password", "")):
            page = _login_form(form["request"], "Wrong name or password")
            return 200, {"Content-Type": "text/html; charset=utf-8"}, page
        code = secrets.token_urlsafe(24)
        with self._lock:
            del self._pending[form["request"]]
            self._codes[code] = _Grant(self.client_id, query["redirect_uri"], query.get("nonce"),
                                       query.get("code_challenge"), query.get("code_challenge_method"), user)
            self.logins.append(user.username)
        return _redirect(query["redirect_uri"], code=code, state=query.get("state"))

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, str], str]:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = (unquote(x) for x in decoded.partition(":"))
        if client_id != self.client_id or not secrets.compare_digest(secret or "", self.client_secret):
            return _json_error(401, "invalid_client")
        if form.get("grant_type") != "authorization_code":
            return _json_error(400, "unsupported_grant_type")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # a code is used once
        if grant is None or time.monotonic() - grant.created > CODE_LIFETIME_S:
            return _json_error(400, "invalid_grant")
        if form.get("redirect_uri") != grant.redirect_uri:
            return _json_error(400, "invalid_grant")
        if grant.challenge:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
            if not secrets.compare_digest(digest.decode(), grant.challenge):
                return _json_error(400, "invalid_grant")
        claims = self.claims(grant.user, grant.nonce)
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        access = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[access] = {k: v for k, v in claims.items() if k not in ("aud", "nonce", "exp")}
        body = {"access_token": access, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME_S,
                "id_token": id_token, "scope": "openid profile email"}
        return 200, {"Content-Type": "application/json", "Cache-Control": "no-store"}, json.dumps(body)

    def userinfo(self, authorization: str | None) -> tuple[int, dict[str, str], str]:
        token = (authorization or "").removeprefix("Bearer ").strip()
        with self._lock:
            info = self._tokens.get(token)
        if info is None:
            return _json_error(401, "invalid_token")
        return 200, {"Content-Type": "application/json"}, json.dumps(info)

    def logout(self, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """RP-initiated logout: back to a registered post_logout_redirect_uri, else a plain page."""
        hint = query.get("id_token_hint")
        who = ""
        if hint:
            try:
                who = str(jwt.decode(hint, self.key).claims.get("preferred_username", ""))
            except Exception:  # an unreadable hint logs nobody out by name
                who = "?"
        with self._lock:
            self.logouts.append(who)
        target = query.get("post_logout_redirect_uri")
        if target and target in self.redirect_uris:
            return _redirect(target, state=query.get("state"))
        return 200, {"Content-Type": "text/html; charset=utf-8"}, "<p>Logged out.</p>"

    # ------------------------------------------------------------------ HTTP

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
                pass

            def _send(self, result: tuple[int, dict[str, str], str]) -> None:
                status, headers, body = result
                data = body.encode("utf-8")
                self.send_response(status)
                for name, value in {"Content-Type": "text/plain; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                json_type = {"Content-Type": "application/json"}
                if url.path == "/.well-known/openid-configuration":
                    self._send((200, json_type, json.dumps(provider.metadata())))
                elif url.path == "/jwks":
                    self._send((200, json_type, json.dumps({"keys": [provider.key.as_dict(private=False)]})))
                elif url.path == "/authorize":
                    self._send(provider.authorize(query))
                elif url.path == "/userinfo":
                    self._send(provider.userinfo(self.headers.get("Authorization")))
                elif url.path == "/logout":
                    self._send(provider.logout(query))
                else:
                    self._send((404, {}, "not found"))

            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
                path = urlparse(self.path).path
                if path == "/login":
                    self._send(provider.login(form))
                elif path == "/token":
                    self._send(provider.token(form, self.headers.get("Authorization")))
                else:
                    self._send((404, {}, "not found"))

        return Handler


def _redirect(uri: str, **params: str | None) -> tuple[int, dict[str, str], str]:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    separator = "&" if urlparse(uri).query else "?"
    return 302, {"Location": uri + (separator + query if query else "")}, ""


def _json_error(status: int, error: str) -> tuple[int, dict[str, str], str]:
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    return status, headers, json.dumps({"error": error})


def _login_form(form_id: str, problem: str) -> str:
    note = f'<p role="alert">{html.escape(problem)}</p>' if problem else ""
    return (
        "<!doctype html><html><head><title>Test identity provider</title></head><body>"
        f"<h1>Sign in</h1>{note}<form method=post action=/login>"
        f'<input type=hidden name=request value="{html.escape(form_id, quote=True)}">'
        '<label>Username <input name=username autocomplete=username></label>'
        '<label>Password <input name=password type=password autocomplete=current-password></label>'
        "<button type=submit>Sign in</button></form></body></html>"
    )
