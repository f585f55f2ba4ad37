import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from motcua.eresults import keys


@register(Tags.security, deploy=True)
def eresult_settings(app_configs, **kwargs):
    problems = []
    demo = [
        root
        for root in keys.trust_roots()
        if root.subject.native.get("common_name") == keys.CA_NAME
    ]
    if demo:
        # Its key sits on this server: results "signed" with it prove nothing to anyone else.
        problems.append(
            Error(
                "ERESULT_TRUST_ROOTS includes the demo CA made by `motcua seed-demo`.",
                hint="Set ERESULT_TRUST_ROOTS to the root of the CA that issued the units' "
                "certificates (docs/operations.md, 'Electronic results').",
                id="motcua.eresults.E001",
            )
        )
    key_files = Path(settings.ERESULT_PKCS12_DIR).glob("*.p12")
    if not os.environ.get("ERESULT_PKCS12_PASSPHRASE") and next(key_files, None):
        problems.append(
            Warning(
                "ERESULT_PKCS12_PASSPHRASE is not set: the units' PKCS#12 files are opened with "
                "the passphrase generated into var/pki_passphrase.",
                hint="Set ERESULT_PKCS12_PASSPHRASE in the environment.",
                id="motcua.eresults.W001",
            )
        )
    return problems
