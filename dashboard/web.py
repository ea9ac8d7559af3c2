"""The app's own HTTP routes, served next to Streamlit's by the ``st.App`` of streamlit_app.py.

- ``POST /auth/signin``: the sign-in form (e-mail, password). Refused unless the request comes
  from a page of this site (``Origin``, else ``Referer``, must name this host; a browser's
  ``Sec-Fetch-Site`` must say same-origin). On success a server-side session is created and its
  token set in an ``HttpOnly; SameSite=Strict`` cookie (``Secure`` over HTTPS), then a 303
  redirect goes back to the page the form was on, with its query string (a shared link's
  filters survive the sign-in); on failure the same page gets ``auth_error`` (a fixed code).
- ``POST /auth/signout``: ends the session, clears the cookie (and Streamlit's single sign-on
  cookie through ``/auth/logout`` when there is one), back to the sign-in page.
- ``GET /healthz``: 200 when the database answers with its schema, 503 otherwise.
- ``GET /geo/<digest>.json``: the world's country outlines the maps draw under their figures
  (:func:`dashboard.maps.served_shapes`), named by their content's hash: immutable, cached a year
  by the browser, brotli or gzip compressed once. No sign-in: public Natural Earth outlines, no
  figure, nothing private (the figures travel in each deck's JSON, disclosed, over the websocket).

No Streamlit script context here: plain Starlette, the database calls run in a worker thread.
"""
from __future__ import annotations

import gzip
import logging
import os
from contextlib import asynccontextmanager
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from . import auth, maps
from .bootstrap import ensure_database, is_demo_mode
from .db import make_engine, resolve_url

log = logging.getLogger(__name__)

COOKIE = "dashboard_session"
SSO_COOKIE = "_streamlit_user"  # Streamlit's own single sign-on cookie (st.login)
#: Query parameters the sign-in route adds to the page it returns to (removed after a success).
ERROR_PARAM, WAIT_PARAM = "auth_error", "auth_wait"
MAX_FORM_BYTES = 4096


def trust_proxy() -> bool:
    """``DASHBOARD_TRUST_PROXY=1``: honour ``X-Forwarded-Proto`` (set it only behind a proxy that
    overwrites that header)."""
    return os.environ.get("DASHBOARD_TRUST_PROXY", "").strip().lower() in ("1", "true", "yes")


def base_path() -> str:
    """Streamlit's ``server.baseUrlPath``, as ``""`` or ``"/prefix"``."""
    try:
        from streamlit import config

        base = (config.get_option("server.baseUrlPath") or "").strip("/")
    except Exception:  # noqa: BLE001 - outside a Streamlit process
        base = ""
    return f"/{base}" if base else ""


def is_https(request: Request) -> bool:
    """True when the browser talks HTTPS to us: Streamlit serves TLS itself, or a trusted proxy
    says so in ``X-Forwarded-Proto``. The header is ignored unless DASHBOARD_TRUST_PROXY is set."""
    try:
        from streamlit import config

        if config.get_option("server.sslCertFile"):
            return True
    except Exception:  # noqa: BLE001
        pass
    if trust_proxy():
        proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        return proto == "https"
    return False


@lru_cache(maxsize=1)
def _engine():
    return make_engine()


def _host(request: Request) -> str:
    """The host the browser addressed: ``Host``, or a trusted proxy's ``X-Forwarded-Host``."""
    forwarded = request.headers.get("x-forwarded-host", "").split(",")[0].strip() if trust_proxy() else ""
    return (forwarded or request.headers.get("host", "")).lower()


def _same_origin(request: Request) -> bool:
    """The request was sent by a page of this site (against cross-site request forgery)."""
    host = _host(request)
    if not host:
        return False
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin and origin != "null":
        return urlsplit(origin).netloc.lower() == host
    referer = request.headers.get("referer")
    return bool(referer) and urlsplit(referer).netloc.lower() == host


def _return_path(request: Request, **params: str) -> str:
    """The path and query of the page the form was sent from (the ``Referer`` of this host), with
    our own auth_* parameters replaced by ``params``; the site root otherwise. Never another site."""
    home = base_path() + "/"
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc.lower() != _host(request) or not referer.path.startswith("/"):
        path, query = home, []
    else:
        path = "/" + referer.path.lstrip("/")  # never "//host": a protocol-relative URL
        query = [(k, v) for k, v in parse_qsl(referer.query, keep_blank_values=True)
                 if k not in (ERROR_PARAM, WAIT_PARAM)]
    query += [(k, v) for k, v in params.items() if v]
    return path + ("?" + urlencode(query) if query else "")


def _set_cookie(response: Response, request: Request, token: str, max_age: int) -> None:
    response.set_cookie(COOKIE, token, max_age=max_age, path=base_path() + "/", httponly=True,
                        samesite="strict", secure=is_https(request))


async def _form(request: Request) -> dict[str, str] | None:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        return None


def _sign_in(email: str, password: str, address: str | None, previous: str | None) -> tuple[auth.SignIn, str | None]:
    engine = _engine()
    result = auth.authenticate(engine, email, password, demo_mode=is_demo_mode(engine), address=address)
    if result.user_id is None:
        return result, None
    auth.end_session(engine, previous)  # a browser signing in again (maybe as someone else) drops its old session
    return result, auth.create_session(engine, result.user_id)


async def sign_in(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("Cross-site request refused.", status_code=403)
    form = await _form(request)
    if form is None or not form.get("email") or not form.get("password"):
        return RedirectResponse(_return_path(request, **{ERROR_PARAM: "bad_credentials"}), status_code=303)
    address = request.client.host if request.client else None
    try:
        result, token = await run_in_threadpool(_sign_in, form["email"], form["password"], address,
                                               request.cookies.get(COOKIE))
    except SQLAlchemyError:
        log.exception("database unavailable during sign-in")
        return RedirectResponse(_return_path(request, **{ERROR_PARAM: "database"}), status_code=303)
    if token is None:
        code = "wait" if result.key == "auth.wait" else "bad_credentials"
        return RedirectResponse(_return_path(request, **{ERROR_PARAM: code, WAIT_PARAM: str(result.wait_seconds or "")}),
                                status_code=303)
    response = RedirectResponse(_return_path(request), status_code=303)
    _set_cookie(response, request, token, int(auth.session_lifetime().total_seconds()))
    return response


async def sign_out(request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("Cross-site request refused.", status_code=403)
    token = request.cookies.get(COOKIE)
    try:
        await run_in_threadpool(auth.end_session, _engine(), token)
    except SQLAlchemyError:
        log.exception("database unavailable during sign-out")
    # Streamlit's /auth/logout clears its single sign-on cookie, then returns to the root
    target = base_path() + ("/auth/logout" if request.cookies.get(SSO_COOKIE) else "/")
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(COOKIE, path=base_path() + "/", httponly=True, samesite="strict", secure=is_https(request))
    return response


def _probe() -> None:
    """Open a fresh connection (no pool: a dead database is not hidden by an open connection) and
    read the schema version. SQLite: read-only, so a missing file is not created empty."""
    url = sa.engine.make_url(resolve_url())
    if url.get_backend_name() == "sqlite":
        probe = sa.create_engine(f"sqlite:///file:{url.database}?mode=ro&uri=true", poolclass=NullPool)
    else:
        probe = sa.create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with probe.connect() as conn:
            conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        probe.dispose()


async def healthz(_request: Request) -> Response:
    try:
        await run_in_threadpool(_probe)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        log.warning("health check failed", exc_info=True)
        return PlainTextResponse("database unavailable\n", status_code=503, headers={"Cache-Control": "no-store"})
    return PlainTextResponse("ok\n", headers={"Cache-Control": "no-store"})


#: A year, and never revalidated: a new shapes file has a new URL (its digest).
IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=1)
def _shapes_forms() -> dict[str, bytes]:
    """The outlines' body by content coding, compressed once per process (brotli ~0.5 s)."""
    body, _ = maps.served_shapes()
    forms = {"identity": body, "gzip": gzip.compress(body, 9, mtime=0)}
    try:
        import brotli

        forms["br"] = brotli.compress(body, quality=11)
    except ImportError:  # pragma: no cover - a requirement; without it, gzip
        pass
    return forms


def _coding(request: Request, forms: dict[str, bytes]) -> str:
    """br when the browser accepts it, else gzip, else the plain body."""
    from .compression import _accepts

    headers = {b"accept-encoding": request.headers.get("accept-encoding", "").encode("latin-1")}
    return next((c for c in ("br", "gzip") if c in forms and _accepts(headers, c)), "identity")


async def shapes(request: Request) -> Response:
    """The country outlines (public, no sign-in: module docstring). 404 for another digest than
    the current file's: an old URL is not answered with other content under an immutable header."""
    _, digest = maps.served_shapes()
    if request.path_params["digest"] != digest:
        return PlainTextResponse("Not found.\n", status_code=404, headers={"Cache-Control": "no-store"})
    forms = await run_in_threadpool(_shapes_forms)
    coding = _coding(request, forms)
    # one ETag per representation; any of them names the same content, so each revalidates
    etag = f'"{digest}"' if coding == "identity" else f'"{digest}.{coding}"'
    headers = {"Cache-Control": IMMUTABLE, "ETag": etag, "Vary": "Accept-Encoding",
               "X-Content-Type-Options": "nosniff"}
    if digest in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if coding != "identity":
        headers["Content-Encoding"] = coding
    return Response(forms[coding], media_type="application/json", headers=headers)


def routes() -> list[Route]:
    base = base_path()
    return [
        Route(f"{base}/auth/signin", sign_in, methods=["POST"]),
        Route(f"{base}/auth/signout", sign_out, methods=["POST"]),
        Route(f"{base}/healthz", healthz, methods=["GET"]),
        Route(base + maps.SHAPES_ROUTE.replace("{digest}", "{digest:str}"), shapes, methods=["GET"]),
    ]


@asynccontextmanager
async def lifespan(_app):
    """At server start: create or upgrade the schema (and load the demo on a fresh embedded
    database), so that /healthz and the sign-in route find it. A database that is down at start
    is reported by /healthz and retried by the pages."""
    try:
        await run_in_threadpool(ensure_database, _engine())
    except SQLAlchemyError:
        log.exception("database unavailable at start")
    # This app navigates with st.navigation. Streamlit learns it at the first st.navigation call of
    # the process; until then it treats pages/ as a folder of pages of their own (multipage v1), so
    # the first request to a page's path after every start showed "Page not found". Telling it at
    # start is what that first call does. (If this internal flag ever changes, the page scripts
    # still guard themselves: access.require_page.)
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    yield
