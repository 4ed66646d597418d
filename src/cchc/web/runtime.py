"""Starting Django from the `cchc` command: settings, migrations, the WSGI server."""

from __future__ import annotations

import os


def setup() -> None:
    """Configure Django once (settings from the environment) and bring the schema up to date."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def serve(host: str, port: int, processes: int | None = None, threads: int = 8) -> None:
    """Serve with gunicorn: `processes` worker processes (default: one per CPU core, so pages
    are rendered on every core, which one Python process cannot do) of `threads` threads each.
    The first worker takes up the ingest jobs a stopped server left unfinished."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    connections.close_all()  # the worker processes open their own

    class Server(BaseApplication):
        def load_config(self):
            for name, value in {
                "bind": f"{host}:{port}",
                "workers": processes or os.cpu_count() or 1,
                "worker_class": "gthread",
                "threads": threads,
                "timeout": 120,
                "accesslog": None,
                "errorlog": "-",
                "proc_name": "cchc",
                "control_socket_disable": True,  # one per user by default: servers would clash
                "post_worker_init": _first_worker_resumes_jobs,
            }.items():
                self.cfg.set(name, value)

        def load(self):
            from cchc.web.wsgi import application

            return application

    Server().run()


def _first_worker_resumes_jobs(worker) -> None:
    if worker.age == 1:
        from cchc.web.documents.queue import resume_pending

        resume_pending()
