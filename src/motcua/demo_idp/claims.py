"""What the demo provider says about a person: the standard OpenID Connect claims plus the
12-digit personal identification number, as VNeID does."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from motcua.demo_idp.models import DemoIdentity


def _identity(request) -> DemoIdentity | None:
    cached = getattr(request, "_demo_identity", False)
    if cached is False:
        cached = DemoIdentity.objects.filter(user=request.user).first()
        request._demo_identity = cached
    return cached


def _claim(read):
    def value(request):
        identity = _identity(request)
        return read(identity) if identity is not None else ""

    return value


class DemoIdpValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "id_number": "profile"}

    def get_additional_claims(self):
        return {
            "name": _claim(lambda i: i.full_name),
            "family_name": _claim(lambda i: i.full_name.rpartition(" ")[0]),
            "given_name": _claim(lambda i: i.full_name.rpartition(" ")[2]),
            "id_number": _claim(lambda i: i.id_number),
            "email": _claim(lambda i: i.email),
            "email_verified": _claim(lambda i: bool(i.email)),
            "phone_number": _claim(lambda i: i.phone),
            "phone_number_verified": _claim(lambda i: bool(i.phone)),
        }
