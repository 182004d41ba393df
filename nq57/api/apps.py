from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nq57.api"
    label = "api"
    verbose_name = "API"
    api_router = "nq57.api.routes.webhook_router"  # the platform's webhooks, mounted in INSTALLED_APPS order

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from nq57.api import webhooks  # noqa: F401 - registers the webhook listener on the domain events
        from nq57.api.models import ApiToken
        from nq57.api.services import token_cache_clear

        # a deactivated account, a changed role or agency, a revoked or deleted token: no cached token outlives it
        for model in (get_user_model(), ApiToken):
            post_save.connect(token_cache_clear, sender=model, dispatch_uid=f"api-token-cache-{model.__name__}-save")
            post_delete.connect(token_cache_clear, sender=model,
                                dispatch_uid=f"api-token-cache-{model.__name__}-delete")
