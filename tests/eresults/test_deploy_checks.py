"""`motcua check --deploy` refuses a server that trusts the demo CA, and warns when the keys'
passphrase is the generated file's."""

from motcua.eresults.checks import eresult_settings


def ids():
    return sorted(p.id for p in eresult_settings(None))


def test_trusting_the_demo_ca_is_refused(pki, monkeypatch):
    monkeypatch.setenv("ERESULT_PKCS12_PASSPHRASE", "set-in-the-environment")
    assert ids() == ["motcua.eresults.E001"]


def test_the_real_cas_root_and_a_passphrase_from_the_environment_pass(
    pki, settings, tmp_path, monkeypatch
):
    from cryptography.hazmat.primitives import serialization

    from motcua.documents.signing import make_ca

    _key, root = make_ca("Root CA of the ministry")
    (tmp_path / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    settings.ERESULT_TRUST_ROOTS = [str(tmp_path / "root.pem")]
    monkeypatch.setenv("ERESULT_PKCS12_PASSPHRASE", "set-in-the-environment")
    assert ids() == []
    monkeypatch.delenv("ERESULT_PKCS12_PASSPHRASE")
    assert ids() == ["motcua.eresults.W001"]
