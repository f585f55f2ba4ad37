"""The public procedure pages as files, for nginx to serve without the app.

`{PUBLIC_PAGES_ROOT}/tthc/<code>/index.<lang>.html` holds the exact bytes the view serves an
anonymous visitor (views.render_public_page) in each language. nginx answers /tthc/<code>/ from
that file and falls back to the app when there is none (deploy/nginx.conf.example).

Publishing rewrites a procedure's files when its transaction commits (a rolled-back publish
writes nothing), before procedure_publish returns, so the very next request sees the new
version. Only public procedures have files: a procedure that becomes internal loses them.
`motcua catalog-render-pages` rewrites them all, after a deploy changed templates or static
files, or after units, desks or domains were renamed (their names are on the pages).

Each file is replaced atomically (temporary file in the same directory, then os.replace), so
nginx never serves half a page. Writers take one lock and read the current version under it, so
when two publishes of one procedure race, the last writer writes the newest version. A file
whose bytes are unchanged is left alone: its ETag stays, and phones keep getting 304.
"""

import fcntl
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation

from motcua.catalog.models import Procedure

log = logging.getLogger(__name__)


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def pages_dir(code: str) -> Path:
    return Path(settings.PUBLIC_PAGES_ROOT) / "tthc" / code


def page_file(code: str, language: str) -> Path:
    return pages_dir(code) / f"index.{language}.html"


def write_pages(code: str) -> bool:
    """Bring the files of procedure `code` in line with the database: its current version in
    every language if it is public, no files otherwise. True when files were written."""
    from motcua.catalog import selectors
    from motcua.catalog.views import render_public_page

    with _lock():
        procedure = selectors.procedure_for_viewer(code, None)
        if procedure is None:
            _remove(code)
            return False
        directory = pages_dir(procedure.code)
        directory.mkdir(parents=True, exist_ok=True)
        for language in languages():
            with translation.override(language):
                body = render_public_page(procedure)
            _write_atomic(page_file(procedure.code, language), body)
    return True


def refresh_on_commit(code: str) -> None:
    """Rewrite `code`'s files once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: refresh(code))


def refresh(code: str) -> None:
    """write_pages that never fails the caller (the publish has committed): on an error the
    files are removed, so that nginx asks the app rather than serve an old version."""
    try:
        write_pages(code)
    except Exception as error:
        # One line (a seed or import may publish hundreds); the app shows the same error.
        log.error("Public page files of %s not written, the app will serve it: %r", code, error)
        try:
            _remove(code)
        except OSError as error:
            log.error("Public page files of %s could not be removed either: %r", code, error)


def render_all() -> tuple[int, int]:
    """Rewrite every public procedure's files and remove those of any other procedure.
    Returns (procedures written, directories removed)."""
    public = set(Procedure.objects.visible_to(None).values_list("code", flat=True))
    written = sum(write_pages(code) for code in sorted(public))
    removed = 0
    top = Path(settings.PUBLIC_PAGES_ROOT) / "tthc"
    if top.is_dir():
        for directory in sorted(top.iterdir()):
            if directory.is_dir() and directory.name not in public:
                write_pages(directory.name)  # re-checks the database, then removes
                removed += 1
    return written, removed


@contextmanager
def _lock():
    root = Path(settings.PUBLIC_PAGES_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it 0600; nginx's workers must read it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove(code: str) -> None:
    directory = pages_dir(code)
    if directory.is_dir():
        shutil.rmtree(directory)
