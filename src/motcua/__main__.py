"""The `motcua` command: django-admin with motcua's settings.

`motcua seed-demo` and `motcua seed_demo` are the same command: hyphens read better on a
command line, Django command modules need underscores. A command run on a database that was never
migrated prints one line saying to run `motcua migrate`, not a traceback.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "motcua"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.db import DatabaseError

    try:
        execute_from_command_line(argv)
    except DatabaseError:
        if not _unmigrated():
            raise
        from motcua.web.readiness import MIGRATE_FIRST

        sys.stderr.write(MIGRATE_FIRST + "\n")
        sys.exit(1)


def _unmigrated() -> bool:
    from django.db import connection

    from motcua.web.readiness import pending_migrations

    connection.close()  # PostgreSQL refuses further statements in a failed transaction
    try:
        return pending_migrations()
    except Exception:  # the database cannot be reached at all: the original error says more
        return False


if __name__ == "__main__":
    main()
