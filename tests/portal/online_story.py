"""The citizen of the online stories, their photo, and helpers that fill the form."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.dossiers.stories import DOCUMENTS

LAN = {
    "id_number": "040190012345",
    "full_name": "Nguyễn Thị Lan",
    "email": "lan.nguyen@example.vn",
    "phone": "0912345678",
}
APPLICANT = {
    "name": "Nguyễn Thị Lan",
    "id_number": "040190012345",
    "address": "Xóm 5, phường Vinh Phú, Nghệ An",
    "phone": "0912345678",
    "email": "lan.nguyen@example.vn",
}
# A PNG signature is what the upload checks read; the rest is the photo's bytes.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"anh chup giay to" * 8
MANDATORY = [d["name"] for d in DOCUMENTS if d["mandatory"]]


def photo(name="giay-to.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def lan():
    from motcua.portal.citizens import citizen_upsert

    return citizen_upsert(**LAN)


def all_photos():
    return {name: photo(f"anh-{i}.png") for i, name in enumerate(MANDATORY)}
