"""How the public procedure page reads: a document's note after a full stop is a sentence."""

from tests.catalog.factories import make_content, publish_new


def test_a_documents_note_starts_a_sentence_after_the_full_stop(client, catalog, org):
    documents = [
        {
            "name": "Giấy khai sinh",
            "copies": 1,
            "mandatory": False,
            "note": "khi đăng ký cho người chưa thành niên",
        }
    ]
    publish_new(org["danhmuc"], "1.000777", org.units["PC06"], make_content(documents=documents))
    html = client.get("/tthc/1.000777/").content.decode()
    assert "1 bản, nếu có. Khi đăng ký cho người chưa thành niên" in html
    assert ". khi đăng ký" not in html
