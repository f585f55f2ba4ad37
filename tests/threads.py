"""Helpers for tests that run real threads against the real database."""

from django.db import connection


def in_thread(work):
    """Wrap `work` for a worker thread: each thread has its own connection, closed when done
    (an open one would keep the test database from being dropped)."""

    def run(*args):
        try:
            return work(*args)
        finally:
            connection.close()

    return run
