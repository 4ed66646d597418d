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


def serve(host: str, port: int, threads: int = 8) -> None:
    """Serve with waitress (a production WSGI server) and resume unfinished ingest jobs."""
    from waitress import serve as waitress_serve

    from cchc.web.documents.queue import resume_pending
    from cchc.web.wsgi import application

    resume_pending()
    waitress_serve(application, host=host, port=port, threads=threads, ident="cchc")
