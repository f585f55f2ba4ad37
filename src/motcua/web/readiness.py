"""Whether this installation can run: the database migrated, the static files collected.

The CLI and `motcua serve` ask before they fail, so an operator reads one line saying what to run
instead of a traceback, or a server that answers every page with a bare 500.
"""

from django.apps import apps
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

MIGRATE_FIRST = "Cơ sở dữ liệu chưa được khởi tạo hoặc cập nhật: hãy chạy `motcua migrate`."
COLLECT_FIRST = (
    "Tệp tĩnh (CSS, JavaScript) chưa được thu thập hoặc đã cũ: "
    "hãy chạy `motcua collectstatic --no-input` rồi chạy lại lệnh này."
)


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> bool:
    executor = MigrationExecutor(connections[alias])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def uncollected_static_files() -> bool:
    """True when a page would link to a static file missing from the collected manifest."""
    if not hasattr(staticfiles_storage, "load_manifest"):  # storage serving the sources
        return False
    collected, _ = staticfiles_storage.load_manifest()
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    return any(
        path not in collected
        for finder in finders.get_finders()
        for path, _storage in finder.list(ignore)
    )
