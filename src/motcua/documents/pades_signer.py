"""A pyHanko PKCS#12 signer that builds its signed attributes once, not at every signature.

Why: profiling `signing.sign_pdf` on a one-page result showed the CPU going to asn1crypto, not to
the key or the hashing. pyHanko assembles the CMS signed attributes (content type, message digest,
signing-certificate-v2) from Python objects at every signature, and asn1crypto re-encodes a freshly
built tree again at each level above it (a few thousand calls for three attributes): about 70 % of
a signature once the size estimate is gone (see `signing.bytes_to_reserve`). For a PAdES signature
without a timestamp those attributes are the same for every document the unit signs, except the
32 bytes of the document's digest. So pyHanko encodes them once, with a marker where the digest
goes, and each signature puts its digest in place of the marker and parses the result (DER parsing
is cheap; the bytes are what pyHanko itself would have produced).

Anything else (a timestamp, CAdES extras, a dry run, a non-PDF signature) goes through pyHanko
unchanged.
"""

from __future__ import annotations

import threading

from asn1crypto import cms
from pyhanko.sign import signers

# Never a real SHA-2 digest of anything: a run of one byte value, the length of the digest.
_MARKER_BYTE = 0xA5


class TemplatedSigner(signers.SimpleSigner):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (digest algorithm, digest length) -> (DER before the digest, DER after it), or None when
        # pyHanko's encoding did not contain the marker exactly once (then never templated).
        self._templates: dict[tuple[str, int], tuple[bytes, bytes] | None] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_simple(cls, signer: signers.SimpleSigner) -> TemplatedSigner:
        return cls(
            signing_cert=signer.signing_cert,
            signing_key=signer.signing_key,
            cert_registry=signer.cert_registry,
            signature_mechanism=signer._signature_mechanism,
            embed_roots=signer.embed_roots,
        )

    def _templatable(
        self, attr_settings, content_type, use_pades, timestamper, dry_run, is_pdf_sig
    ):
        if dry_run or timestamper is not None or self.signed_attr_prov_spec is not None:
            return False
        if not (use_pades and is_pdf_sig) or content_type != "data":
            # Plain CMS/CAdES adds a signing-time attribute: different at every signature.
            return False
        if attr_settings is None:
            return True
        return attr_settings.cades_signed_attrs is None and attr_settings.adobe_revinfo_attr is None

    async def signed_attrs(
        self,
        data_digest: bytes,
        digest_algorithm: str,
        attr_settings=None,
        content_type="data",
        use_pades=False,
        timestamper=None,
        dry_run=False,
        is_pdf_sig=True,
    ):
        kwargs = dict(
            attr_settings=attr_settings,
            content_type=content_type,
            use_pades=use_pades,
            timestamper=timestamper,
            dry_run=dry_run,
            is_pdf_sig=is_pdf_sig,
        )
        if not self._templatable(
            attr_settings, content_type, use_pades, timestamper, dry_run, is_pdf_sig
        ):
            return await super().signed_attrs(data_digest, digest_algorithm, **kwargs)
        key = (digest_algorithm, len(data_digest))
        if key not in self._templates:
            marker = bytes([_MARKER_BYTE]) * len(data_digest)
            encoded = (await super().signed_attrs(marker, digest_algorithm, **kwargs)).dump()
            parts = encoded.split(marker)
            with self._lock:
                self._templates[key] = (parts[0], parts[1]) if len(parts) == 2 else None
        template = self._templates[key]
        if template is None:
            return await super().signed_attrs(data_digest, digest_algorithm, **kwargs)
        head, tail = template
        return cms.CMSAttributes.load(head + data_digest + tail)
