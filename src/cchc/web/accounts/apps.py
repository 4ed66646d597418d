from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using="default", **kwargs) -> None:
    """The cache (log-in counters) is a database table; `migrate` creates it if missing."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(AppConfig):
    name = "cchc.web.accounts"
    label = "accounts"
    verbose_name = "Đơn vị và người dùng"

    def ready(self) -> None:
        from cchc.web.accounts import throttle  # noqa: F401  (signal receivers)

        post_migrate.connect(_create_cache_table, sender=self)
