"""Finding a dossier from the staff pages and the API: by code, by the applicant's or proxy's
name typed with or without diacritics, by ID number or phone; never a sibling commune's."""

import importlib
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db import connection

from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_receive
from tests.dossiers.api_client import ApiAs
from tests.dossiers.stories import CITIZEN, all_documents

SEARCH = "/can-bo/ho-so/tim-kiem/"


@pytest.fixture
def people(org, tam_tru, friday_16h):
    """Lan and Đức at Nghi Phú; another Lan at the sibling Hưng Bình."""

    def receive(username, unit, **applicant):
        return dossier_receive(
            actor=org[username],
            desk=org.units[unit].desks.get(),
            procedure_version=tam_tru,
            applicant=dict(CITIZEN, **applicant),
            checklist=all_documents(),
        )

    return {
        "lan": receive("tiepnhan.nghiphu", "NGHIPHU"),
        "duc": receive(
            "tiepnhan.nghiphu",
            "NGHIPHU",
            name="Đặng Văn Đức",
            id_number="040085001122",
            phone="0987 654 321",
            proxy_name="Trần Văn Bình",
            proxy_id_number="040090003344",
            proxy_authorisation="Giấy ủy quyền số 7",
        ),
        "sibling": receive(
            "tiepnhan.hungbinh", "HUNGBINH", name="Nguyễn Văn Lan", id_number="040190099999"
        ),
    }


def found(org, q, username="tiepnhan.nghiphu"):
    return {d.applicant_name for d in selectors.search_page(org[username], q)}


def test_it_folds_the_searched_fields_into_one_column_at_intake(people):
    duc = Dossier.objects.get(pk=people["duc"].pk)
    assert duc.search_text == (
        f"{duc.code.lower()} dang van duc 040085001122 0987654321 tran van binh 040090003344"
    )


@pytest.mark.parametrize(
    "q, names",
    [
        ("Đặng Văn Đức", {"Đặng Văn Đức"}),
        ("dang van duc", {"Đặng Văn Đức"}),
        ("ĐẶNG đức", {"Đặng Văn Đức"}),
        ("tran binh", {"Đặng Văn Đức"}),  # the proxy
        ("040085001122", {"Đặng Văn Đức"}),
        ("0987654321", {"Đặng Văn Đức"}),
        ("040090003344", {"Đặng Văn Đức"}),  # the proxy's ID number
        ("012345", {"Nguyễn Thị Lan"}),  # part of a number
        ("nguyen lan", {"Nguyễn Thị Lan"}),  # not Hưng Bình's Nguyễn Văn Lan
        ("040190099999", set()),  # the sibling's ID number: not theirs to see
        ("dang lan", set()),  # every word must match
        ("  ", set()),
    ],
)
def test_it_finds_by_name_with_or_without_diacritics_id_and_phone(org, people, q, names):
    assert found(org, q) == names


def test_it_finds_by_the_code_as_printed_on_the_receipt(org, people):
    code = people["duc"].code
    assert found(org, code) == {"Đặng Văn Đức"}
    assert found(org, code.lower()) == {"Đặng Văn Đức"}


def test_a_codes_tail_is_one_word_not_parts_matched_apart(org, people):
    # Lan's row also holds "0002" and, in her own code, "261127": "261127-0002" must still find
    # Đức's code only, not Lan's row by its parts matched apart.
    Dossier.objects.filter(pk=people["lan"].pk).update(
        search_text=Dossier.objects.get(pk=people["lan"].pk).search_text + " 0002"
    )
    assert found(org, people["duc"].code[-11:]) == {"Đặng Văn Đức"}
    assert found(org, "0002") == {"Đặng Văn Đức", "Nguyễn Thị Lan"}


def test_the_staff_search_page_lists_the_matches(client, org, people):
    client.force_login(org["xuly.nghiphu"])
    html = client.get(SEARCH + "?" + urlencode({"q": "dang van duc"})).content.decode()
    assert f'data-code="{people["duc"].code}"' in html
    assert people["lan"].code not in html
    assert "Đặng Văn Đức" in html

    html = client.get(SEARCH + "?" + urlencode({"q": "040190099999"})).content.decode()
    assert 'data-testid="no-results"' in html
    assert people["sibling"].code not in html


def test_the_queues_page_has_the_search_box(client, org, people):
    client.force_login(org["tiepnhan.nghiphu"])
    html = client.get("/can-bo/ho-so/").content.decode()
    assert 'data-testid="dossier-search"' in html and f'action="{SEARCH}"' in html


def test_the_search_page_answers_odd_input_without_an_error(client, org, people):
    client.force_login(org["tiepnhan.nghiphu"])
    for params in ({"q": "%_\\"}, {"q": "x" * 5000}, {"q": "lan", "trang": "abc"}, {}):
        assert client.get(SEARCH, params).status_code == 200


def test_the_api_q_uses_the_same_search(client, org, people):
    api = ApiAs(client, org["tiepnhan.nghiphu"])
    status, body = api.get("/dossiers?" + urlencode({"q": "nguyen thi lan"}))
    assert status == 200
    assert [d["code"] for d in body["items"]] == [people["lan"].code]
    status, body = api.get("/dossiers?q=0987654321")
    assert [d["code"] for d in body["items"]] == [people["duc"].code]


def test_the_column_follows_every_save_of_the_fields(org, people):
    d = Dossier.objects.get(pk=people["lan"].pk)
    d.applicant_name = "Lê Thị Hồng"
    d.save(update_fields=["applicant_name"])
    assert found(org, "le thi hong") == {"Lê Thị Hồng"}
    assert found(org, "nguyen thi lan") == set()


def test_the_migration_fills_the_column_for_existing_rows(org, people):
    migration = importlib.import_module("motcua.dossiers.migrations.0011_dossier_search_text")
    Dossier.objects.update(search_text="")
    migration.fill(apps, None)
    assert found(org, "dang van duc") == {"Đặng Văn Đức"}
    assert Dossier.objects.filter(search_text="").count() == 0


def test_postgresql_has_the_trigram_index_and_sqlite_does_without(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'dossiers_dossier_search_trgm'"
            )
            assert "gin_trgm_ops" in cursor.fetchone()[0]
        else:
            indexes = connection.introspection.get_constraints(cursor, "dossiers_dossier")
            assert "dossiers_dossier_search_trgm" not in indexes
