"""The board pack ("Dossier du Conseil"): an A4 PDF of a programme for the board, managers and
administrators, or a funder's version with only what the funder may see; archived with its
parameters and data version so that the pack read at a past meeting can be reopened as it was.

    pdf = build(engine, scope, "PCRPM-C2", as_of, ("SEN",), "fr", generated_by="amina@forim.org")
    pdf.data, pdf.pages, pdf.archive_id

The content comes from the pages' models (:mod:`dashboard.pack.content`), the PDF from ReportLab
(:mod:`dashboard.pack.render`): no browser, no network.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .. import schema as s
from ..auth import Scope
from ..db import read_data_version


@dataclass
class Pack:
    data: bytes
    pages: int
    archive_id: int | None
    params: dict


def build(engine: Engine, scope: Scope, programme: str | None, as_of: dt.date | None, countries, lang: str,
          generated_by: str | None = None, archive: bool = True) -> Pack:
    """Produce the pack of ``programme`` (None: the whole organisation) as ``scope`` may see it, and
    archive it (PDF bytes in the database, shared by every app server). Raises AccessDenied outside
    the scope."""
    from .content import gather, gather_organisation
    from .render import render, render_organisation

    version = read_data_version(engine)
    if programme is None:  # the whole organisation
        p = gather_organisation(scope, as_of, lang)
    else:
        p = gather(scope, programme, as_of, countries, lang)
    funder = None
    if not scope.sees_internal_finance:
        with engine.connect() as conn:
            funder = conn.execute(sa.select(s.funders.c.name).where(s.funders.c.code == scope.funder_code)
                                  ).scalar() or scope.funder_code or scope.email
    now = dt.datetime.now(dt.timezone.utc)
    by = generated_by or scope.email
    meta = {"generated_at": now, "generated_by": by, "data_version": version, "funder": funder}
    pdf, pages = render_organisation(p, meta) if programme is None else render(p, meta)
    params = {"programme_code": programme, "as_of": p["as_of"], "countries": ",".join(p["countries"]),
              "lang": lang, "audience": "board" if scope.sees_internal_finance else "funder",
              "funder_code": None if scope.sees_internal_finance else scope.funder_code,
              "data_version": version, "pages": pages, "size": len(pdf)}
    archive_id = None
    if archive:
        with engine.begin() as conn:
            archive_id = conn.execute(s.packs.insert().values(created_at=now, created_by=by, pdf=pdf, **params)
                                      .returning(s.packs.c.id)).scalar_one()
            conn.execute(s.audit_log.insert().values(at=now, actor=by, action="pack", entity="packs",
                                                     entity_key=str(archive_id),
                                                     details={k: str(v) for k, v in params.items()}))
            # The archive is listed on the Dossiers page, cached by data version like every read.
            from ..db import bump_data_version

            bump_data_version(conn)
    return Pack(pdf, pages, archive_id, params)


def archived(engine: Engine, scope: Scope) -> list[dict]:
    """The archived packs ``scope`` may reopen, newest first: board versions of its programmes
    (roles that see internal finance), or the funder's own versions."""
    c = s.packs.c
    stmt = sa.select(*[col for col in s.packs.c if col.name != "pdf"]).order_by(c.created_at.desc(), c.id.desc())
    if scope.sees_internal_finance:
        stmt = stmt.where(c.audience == "board")
    else:
        stmt = stmt.where(c.audience == "funder", c.funder_code == (scope.funder_code or ""))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    return [r for r in rows if r["programme_code"] is None and scope.programmes is None
            or r["programme_code"] is not None and scope.can_read(r["programme_code"])
            and (scope.countries is None or (r["countries"] and set(r["countries"].split(",")) <= scope.countries))]


def pdf_of(engine: Engine, scope: Scope, pack_id: int) -> bytes | None:
    """The archived PDF ``pack_id`` if ``scope`` may reopen it."""
    if pack_id not in {r["id"] for r in archived(engine, scope)}:
        return None
    with engine.connect() as conn:
        return conn.execute(sa.select(s.packs.c.pdf).where(s.packs.c.id == pack_id)).scalar()
