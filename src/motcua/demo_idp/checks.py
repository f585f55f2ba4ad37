from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_idp_off(app_configs, **kwargs):
    if settings.DEMO_IDP:
        # Its accounts share one published password and it vouches for any ID number seeded.
        return [
            Error(
                "DEMO_IDP is on: the demo identity provider signs citizens in with demo passwords.",
                hint="Unset DEMO_IDP in production and point OIDC_ISSUER at the real provider.",
                id="motcua.demo_idp.E001",
            )
        ]
    return []
