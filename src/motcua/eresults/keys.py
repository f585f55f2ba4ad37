"""Where a unit's signing key and the trust roots come from (docs/operations.md, "Electronic
results"):

- ERESULT_PKCS12_DIR holds one PKCS#12 file per unit, named after the unit's code
  (`VINHPHU.p12`), all opened with ERESULT_PKCS12_PASSPHRASE. The demo seeds them from a local CA
  kept in ERESULT_PKI_DIR (`motcua seed-demo`, seed() below); production copies in the files its
  CA issued.
- ERESULT_PKCS11_MODULE (with ERESULT_PKCS11_TOKEN and ERESULT_PKCS11_PIN) selects a PKCS#11
  token instead, the unit's key labelled with its code. Parsed and wired, but untested here (no
  token, and python-pkcs11 is not installed): see the operations guide.
- ERESULT_TRUST_ROOTS lists the PEM/DER root certificates the verification page trusts.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from motcua.documents import signing

CA_NAME = "motcua demo CA (không dùng thật)"


class NoSigningKey(Exception):
    """The unit has no certificate configured."""


def pkcs12_path(unit) -> Path:
    return Path(settings.ERESULT_PKCS12_DIR) / f"{unit.code}.p12"


def pkcs11_config() -> dict | None:
    module = getattr(settings, "ERESULT_PKCS11_MODULE", "")
    if not module:
        return None
    token = getattr(settings, "ERESULT_PKCS11_TOKEN", "")
    if not token:
        raise ImproperlyConfigured("ERESULT_PKCS11_MODULE is set but ERESULT_PKCS11_TOKEN is not.")
    return {"module": module, "token": token, "pin": getattr(settings, "ERESULT_PKCS11_PIN", "")}


def signer_for(unit):
    """The pyHanko signer holding `unit`'s key. Raises NoSigningKey when it has none."""
    if config := pkcs11_config():
        return _pkcs11_signer(config, unit)
    path = pkcs12_path(unit)
    if not path.is_file():
        raise NoSigningKey(unit.code)
    return signing.load_pkcs12_signer(path, settings.ERESULT_PKCS12_PASSPHRASE)


def _pkcs11_signer(config: dict, unit):  # pragma: no cover - needs a token (see module doc)
    try:
        from pyhanko.sign import pkcs11
    except ImportError as error:
        raise ImproperlyConfigured(
            "PKCS#11 signing needs python-pkcs11 (pip install 'pyhanko[pkcs11]')."
        ) from error
    session = pkcs11.open_pkcs11_session(
        config["module"], token_label=config["token"], user_pin=config["pin"] or None
    )
    return pkcs11.PKCS11Signer(session, cert_label=unit.code, key_label=unit.code)


def trust_roots() -> list:
    return signing.load_trust_roots(settings.ERESULT_TRUST_ROOTS)


def ensure_demo_pki(units) -> list[str]:
    """The demo CA in ERESULT_PKI_DIR and a PKCS#12 for each of `units` that has none yet.
    Returns the codes of the units issued a certificate now. Tests call it too."""
    passphrase = settings.ERESULT_PKCS12_PASSPHRASE
    ca_key, ca_cert = signing.ensure_ca(Path(settings.ERESULT_PKI_DIR), passphrase, CA_NAME)
    made = []
    for unit in units:
        if signing.ensure_unit_pkcs12(
            pkcs12_path(unit),
            ca_key=ca_key,
            ca_cert=ca_cert,
            passphrase=passphrase,
            common_name=unit.name,
            organisation="Bộ Công an",
            unit_code=unit.code,
        ):
            made.append(unit.code)
    return made
