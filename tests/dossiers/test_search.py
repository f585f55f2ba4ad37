"""Finding a dossier from the staff pages and the API: by code, by the applicant's or proxy's
name typed with or without diacritics, by ID number or phone; never a sibling commune's."""

import importlib
from datetime import timedelta
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


@pytest.fixture(autouse=True)
def _fresh_estimates():
    """PostgreSQL's estimates are remembered for a minute: each test's own rows, not the last's."""
    selectors.forget_estimates()
    yield
    selectors.forget_estimates()


@pytest.fixture
def people(org, tam_tru, friday_16h):
    """Lan and Đức at Vinh Phú; another Lan at the sibling Thành Vinh."""

    def receive(username, unit, **applicant):
        return dossier_receive(
            actor=org[username],
            desk=org.units[unit].desks.get(),
            procedure_version=tam_tru,
            applicant=dict(CITIZEN, **applicant),
            checklist=all_documents(),
        )

    return {
        "lan": receive("tiepnhan.vinhphu", "VINHPHU"),
        "duc": receive(
            "tiepnhan.vinhphu",
            "VINHPHU",
            name="Đặng Văn Đức",
            id_number="040085001122",
            phone="0987 654 321",
            proxy_name="Trần Văn Bình",
            proxy_id_number="040090003344",
            proxy_authorisation="Giấy ủy quyền số 7",
        ),
        "sibling": receive(
            "tiepnhan.thanhvinh", "THANHVINH", name="Nguyễn Văn Lan", id_number="040190099999"
        ),
    }


def found(org, q, username="tiepnhan.vinhphu"):
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
        ("nguyen lan", {"Nguyễn Thị Lan"}),  # not Thành Vinh's Nguyễn Văn Lan
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
    client.force_login(org["xuly.vinhphu"])
    html = client.get(SEARCH + "?" + urlencode({"q": "dang van duc"})).content.decode()
    assert f'data-code="{people["duc"].code}"' in html
    assert people["lan"].code not in html
    assert "Đặng Văn Đức" in html

    html = client.get(SEARCH + "?" + urlencode({"q": "040190099999"})).content.decode()
    assert 'data-testid="no-results"' in html
    assert people["sibling"].code not in html


def test_a_search_result_row_links_the_dossier_and_names_its_status(client, org, people):
    """The row's link, status words and column labels, looked up once per page."""
    import re

    from django.urls import reverse

    duc = people["duc"]
    client.force_login(org["xuly.vinhphu"])
    html = client.get(SEARCH, {"q": "dang van duc"}).content.decode()
    row = re.search(rf'<tr data-code="{re.escape(duc.code)}">(.*?)</tr>', html, re.S)[1]
    assert f'href="{reverse("dossier-detail", args=[duc.code])}"' in row
    assert f'<td data-label="Trạng thái">{duc.get_status_display()}</td>' in row
    labels = re.findall(r'data-label="([^"]*)"', row)
    assert labels == ["Mã hồ sơ", "Thủ tục", "Người nộp", "Tiếp nhận", "Trạng thái", "Còn lại"]
    assert client.get(reverse("dossier-detail", args=[duc.code])).status_code == 200


def test_the_queues_page_has_the_search_box(client, org, people):
    client.force_login(org["tiepnhan.vinhphu"])
    html = client.get("/can-bo/ho-so/").content.decode()
    assert 'data-testid="dossier-search"' in html and f'action="{SEARCH}"' in html


def test_the_search_page_answers_odd_input_without_an_error(client, org, people):
    client.force_login(org["tiepnhan.vinhphu"])
    for params in ({"q": "%_\\"}, {"q": "x" * 5000}, {"q": "lan", "trang": "abc"}, {}):
        assert client.get(SEARCH, params).status_code == 200


def test_the_api_q_uses_the_same_search(client, org, people):
    api = ApiAs(client, org["tiepnhan.vinhphu"])
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


# ------------------------------------------------- the newest rows first (newest_matching)

# Received at Vinh Phú on 27/11/2026, oldest first, one every 20 minutes from 08:00, except that
# the 5th and 6th share 09:20 (a tie the order breaks by id).
CROWD = [
    "Lê Văn Bình",  # 08:00
    "Nguyễn Thị Khánh",  # 08:20, the only Khánh
    "Trần Bình",  # 08:40
    "Vũ Thị Hoa",  # 09:00
    "Phạm Văn Bình",  # 09:20
    "Hồ Thị Bình",  # 09:20
    "Vũ Văn Bình",  # 09:40
    "Đặng Thị Mai",  # 10:00
    "Nguyễn Văn Bình",  # 10:20
    "Vũ Thanh Bình",  # 10:40
]
CROWD_TIMES = [0, 20, 40, 60, 80, 80, 100, 120, 140, 160]  # minutes after 08:00


@pytest.fixture
def crowd(org, tam_tru, friday_16h):
    """CROWD at Vinh Phú, and two Bình at the sibling Thành Vinh received after all of them."""
    from datetime import datetime, timedelta

    from motcua.worktime.core import VN_TZ

    eight = datetime(2026, 11, 27, 8, 0, tzinfo=VN_TZ)

    def receive(username, unit, name, at):
        return dossier_receive(
            actor=org[username],
            desk=org.units[unit].desks.get(),
            procedure_version=tam_tru,
            applicant=dict(CITIZEN, name=name),
            checklist=all_documents(),
            at=at,
        )

    rows = {
        name: receive("tiepnhan.vinhphu", "VINHPHU", name, eight + timedelta(minutes=m))
        for name, m in zip(CROWD, CROWD_TIMES, strict=True)
    }
    for n, name in enumerate(["Lý Văn Bình", "Mai Thị Bình"]):
        receive("tiepnhan.thanhvinh", "THANHVINH", name, eight + timedelta(hours=7, minutes=n))
    if connection.vendor == "postgresql":
        # The statistics autovacuum would gather: the search reads PostgreSQL's estimates.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dossiers_dossier")
    return rows


@pytest.fixture
def always_try_the_window(monkeypatch):
    """PostgreSQL's estimates for a dozen rows are guesses (no histogram under 100 values), so the
    window's own tests try it whatever they say; the estimates have their own test."""
    monkeypatch.setattr(selectors, "_expected_in_window", lambda q: float("inf"))
    # ... and a commune's leader the window of the commune's own units.
    monkeypatch.setattr(
        selectors, "_all_units_window_suffices", lambda expected, units, needed: False
    )


def names(rows):
    return [d.applicant_name for d in rows]


def plain_page(user, q, limit, offset=0):
    """The query before newest_matching: every match sorted, then the page cut."""
    rows = selectors.matching(Dossier.objects.for_user(user), q)
    return names(rows.order_by("-received_at", "-id")[offset : offset + limit])


# Vinh Phú's Bình, newest first (Hồ Thị Bình before Phạm Văn Bình: same time, received later).
BINH = [
    "Vũ Thanh Bình",
    "Nguyễn Văn Bình",
    "Vũ Văn Bình",
    "Hồ Thị Bình",
    "Phạm Văn Bình",
    "Trần Bình",
    "Lê Văn Bình",
]


SIBLING_BINH = ["Mai Thị Bình", "Lý Văn Bình"]  # Thành Vinh's, the newest of all


@pytest.mark.parametrize("window", [4, 6, 12, 2000])
@pytest.mark.parametrize(
    "q, limit, offset, leader, inspector",
    [
        ("binh", 3, 0, BINH[:3], SIBLING_BINH + BINH[:1]),
        ("Bình", 2, 2, BINH[2:4], BINH[0:2]),
        ("binh", 3, 4, BINH[4:7], BINH[2:5]),  # the tie at 09:20 kept in id order
        ("binh", 50, 0, BINH, SIBLING_BINH + BINH),
        ("vu", 2, 0, ["Vũ Thanh Bình", "Vũ Văn Bình"], ["Vũ Thanh Bình", "Vũ Văn Bình"]),
        ("vu binh", 5, 0, ["Vũ Thanh Bình", "Vũ Văn Bình"], ["Vũ Thanh Bình", "Vũ Văn Bình"]),
        ("khanh", 2, 0, ["Nguyễn Thị Khánh"], ["Nguyễn Thị Khánh"]),  # older than any window
        ("thi", 1, 0, ["Đặng Thị Mai"], ["Mai Thị Bình"]),
        ("xyz", 3, 0, [], []),
    ],
)
def test_a_page_of_matches_is_the_same_whichever_way_it_is_found(
    org, crowd, always_try_the_window, monkeypatch, window, q, limit, offset, leader, inspector
):
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", window)
    for username, expected in (("lanhdao.vinhphu", leader), ("thanhtra", inspector)):
        user = org[username]
        assert names(selectors.search_page(user, q, limit=limit, offset=offset)) == expected
        assert names(selectors.dossier_search(user, q=q, limit=limit, offset=offset)) == expected
        assert plain_page(user, q, limit, offset) == expected


def test_a_common_word_is_found_among_the_newest_rows_and_a_rare_one_through_the_index(
    org, crowd, always_try_the_window, monkeypatch
):
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 6)
    leader = org["lanhdao.vinhphu"]
    rows = Dossier.objects.for_user(leader)
    # The 6 newest of all: Thành Vinh's two (not the leader's), then Vũ Thanh Bình, Nguyễn Văn
    # Bình, Đặng Thị Mai, Vũ Văn Bình: three of the leader's Bình.
    page = selectors.newest_window_page(rows, "binh", limit=3)
    assert [crowd[n].pk for n in BINH[:3]] == page
    # A 4th is older than the window: the index answers, with the same rows as before.
    assert selectors.newest_window_page(rows, "binh", limit=4) is None
    assert names(selectors.search_page(leader, "binh", limit=4)) == BINH[:4]
    assert selectors.newest_window_page(rows, "khanh", limit=1) is None
    # A whole code or ID number goes to its own index; nothing to look for, nothing looked for.
    assert selectors.newest_window_page(rows, crowd["Trần Bình"].code, limit=1) is None
    assert selectors.newest_window_page(rows, CITIZEN["id_number"], limit=1) is None
    assert selectors.newest_window_page(rows, "  ", limit=1) is None
    assert names(selectors.search_page(leader, crowd["Trần Bình"].code)) == ["Trần Bình"]


def test_the_api_q_pages_through_common_words_as_before(
    client, org, crowd, always_try_the_window, monkeypatch
):
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 6)
    api = ApiAs(client, org["tiepnhan.vinhphu"])
    status, body = api.get("/dossiers?" + urlencode({"q": "binh", "limit": 2}))
    assert status == 200
    assert [d["code"] for d in body["items"]] == [crowd[n].code for n in BINH[:2]]
    status, body = api.get("/dossiers?" + urlencode({"q": "binh", "limit": 2, "offset": 2}))
    assert [d["code"] for d in body["items"]] == [crowd[n].code for n in BINH[2:4]]
    assert body["next_offset"] == 4


def test_the_newest_rows_are_filtered_without_the_trigram_index(org, crowd):
    """On PostgreSQL, even where the planner must use an index, the window's filter does not
    use the trigram index (which would read every match) and the plain search does."""
    walking = selectors.matching(Dossier.objects.all(), "binh", walking=True)
    plain = selectors.matching(Dossier.objects.all(), "binh")
    if connection.vendor != "postgresql":
        assert "COLLATE" not in str(walking.query)
        assert names(walking.order_by("-received_at", "-id")) == names(
            plain.order_by("-received_at", "-id")
        )
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            assert "dossiers_dossier_search_trgm" in plain.order_by().explain()
            assert "dossiers_dossier_search_trgm" not in walking.order_by().explain()
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on")
    assert names(walking.order_by("-received_at", "-id")) == names(
        plain.order_by("-received_at", "-id")
    )


@pytest.fixture
def a_busy_desk(org, tam_tru, friday_16h):
    """300 dossiers at Vinh Phú, enough for PostgreSQL's statistics to describe the column: a
    copy of one received dossier each (codes and names changed, search column recomputed as
    save() would), 200 of them Bình, 100 Hoa; then one Khánh, received last. ANALYZE as
    autovacuum would."""
    from motcua.dossiers.models import search_text_of

    first = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=org.units["VINHPHU"].desks.get(),
        procedure_version=tam_tru,
        applicant=dict(CITIZEN, name="Nguyễn Văn Khánh"),
        checklist=all_documents(),
    )
    copies = []
    for n in range(300):
        d = Dossier.objects.get(pk=first.pk)
        d.pk = None
        d.code = f"{first.code[:-4]}{n + 5000:04d}"
        d.applicant_name = f"Trần Văn {'Bình' if n % 3 else 'Hoa'} {n}"
        d.received_at = first.received_at - timedelta(minutes=n + 1)
        d.search_text = search_text_of(d)
        copies.append(d)
    Dossier.objects.bulk_create(copies)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dossiers_dossier")
    return first


def test_the_window_is_tried_when_the_statistics_say_it_can_fill_the_page(
    org, a_busy_desk, monkeypatch
):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 30)
    leader = org["lanhdao.vinhphu"]

    def windows_tried(q, limit):
        with CaptureQueriesContext(connection) as ctx:
            found = names(selectors.search_page(leader, q, limit=limit))
        assert found == plain_page(leader, q, limit)
        # The window's query is the one bounded by a received time.
        return sum('"received_at" >=' in c["sql"] for c in ctx.captured_queries), found

    # 200 Bình in 301 rows: about 20 expected among the 30 newest, enough for a page of 10.
    tried, found = windows_tried("binh", 10)
    assert tried == 1 and len(found) == 10 and all("Bình" in name for name in found)
    if connection.vendor == "postgresql":
        assert selectors._expected_in_window("binh") >= 10
        # 1 Khánh in 301: not worth a window.
        assert selectors._expected_in_window("khanh") < 1
        assert windows_tried("khanh", 10) == (0, ["Nguyễn Văn Khánh"])
    else:
        # No estimates: the window is tried, then the scan answers.
        assert windows_tried("khanh", 10) == (1, ["Nguyễn Văn Khánh"])


# ------------------------------------- a small unit's own window (newest of the caller's units)

# Thành Vinh's own dossiers, older than all of Vinh Phú's CROWD (26/11/2026), oldest first.
SMALL_UNIT = [("Đỗ Văn Bình", 9), ("Lâm Thị Hoa", 10), ("Lâm Văn Bình", 11)]
# Thành Vinh's Bình, newest first: the crowd's two of 27/11 15:00-15:01, then these.
SMALL_BINH = ["Mai Thị Bình", "Lý Văn Bình", "Lâm Văn Bình", "Đỗ Văn Bình"]


@pytest.fixture
def small_unit(org, crowd, tam_tru):
    from datetime import datetime

    from motcua.worktime.core import VN_TZ

    for name, hour in SMALL_UNIT:
        dossier_receive(
            actor=org["tiepnhan.thanhvinh"],
            desk=org.units["THANHVINH"].desks.get(),
            procedure_version=tam_tru,
            applicant=dict(CITIZEN, name=name),
            checklist=all_documents(),
            at=datetime(2026, 11, 26, hour, 0, tzinfo=VN_TZ),
        )
    return org["lanhdao.thanhvinh"]


def test_a_small_units_window_is_its_own_newest_dossiers(
    org, small_unit, always_try_the_window, monkeypatch
):
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 4)
    leader = small_unit
    units = selectors.scope_unit_ids(leader)
    # The commune and its teams: every unit in the leader's subtree, no other.
    thanhvinh = org.units["THANHVINH"]
    assert thanhvinh.pk in units
    assert set(units) == set(
        type(thanhvinh).objects.filter(path__startswith=thanhvinh.path).values_list("pk", flat=True)
    )
    rows = Dossier.objects.for_user(leader)
    # The 4 newest of all units hold only 2 of Thành Vinh's Bình (the other 2 are Vinh Phú's):
    # no page of 3 there. The 4 newest of Thành Vinh (Mai, Lý, Lâm Văn Bình, Lâm Thị Hoa) hold 3.
    assert selectors.newest_window_page(rows, "binh", limit=3) is None
    page = selectors.newest_window_page(rows, "binh", limit=3, units=units)
    by_pk = dict(Dossier.objects.filter(pk__in=page).values_list("pk", "applicant_name"))
    assert [by_pk[pk] for pk in page] == SMALL_BINH[:3]
    # The 4th Bình is older than the unit's window: the index answers, the same rows as before.
    assert selectors.newest_window_page(rows, "binh", limit=4, units=units) is None
    assert names(selectors.search_page(leader, "binh", limit=4)) == SMALL_BINH
    # Vinh Phú's leader's window is Vinh Phú's: never a Thành Vinh row in it.
    vinhphu = org["lanhdao.vinhphu"]
    page = selectors.newest_window_page(
        Dossier.objects.for_user(vinhphu), "binh", limit=3, units=selectors.scope_unit_ids(vinhphu)
    )
    assert [Dossier.objects.get(pk=pk).applicant_name for pk in page] == BINH[:3]


def test_a_province_wide_caller_keeps_the_window_of_all_units(org):
    assert selectors.scope_unit_ids(org["thanhtra"]) is None  # more units than the window walks
    assert len(selectors.scope_unit_ids(org["lanhdao.vinhphu"])) <= selectors.SCOPE_WINDOW_UNITS


@pytest.mark.parametrize("window", [2, 3, 4, 5, 2000])
@pytest.mark.parametrize(
    "q, limit, offset, expected",
    [
        ("binh", 3, 0, SMALL_BINH[:3]),
        ("binh", 2, 1, SMALL_BINH[1:3]),
        ("binh", 50, 0, SMALL_BINH),
        ("Lâm", 1, 0, ["Lâm Văn Bình"]),
        ("hoa", 1, 0, ["Lâm Thị Hoa"]),  # never Vinh Phú's Vũ Thị Hoa
        ("thi", 2, 0, ["Mai Thị Bình", "Lâm Thị Hoa"]),
        ("vu", 1, 0, []),
    ],
)
def test_a_small_units_page_is_the_same_whichever_way_it_is_found(
    org, small_unit, always_try_the_window, monkeypatch, window, q, limit, offset, expected
):
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", window)
    leader = small_unit
    assert names(selectors.search_page(leader, q, limit=limit, offset=offset)) == expected
    assert names(selectors.dossier_search(leader, q=q, limit=limit, offset=offset)) == expected
    assert plain_page(leader, q, limit, offset) == expected


def test_a_small_units_common_word_is_served_from_its_own_window(
    org, small_unit, always_try_the_window, monkeypatch
):
    """Before the units' own window, Thành Vinh's page of 3 Bình did not fit in the window of
    all units (4 rows, 2 of them Vinh Phú's) and the whole search answered it."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 4)
    with CaptureQueriesContext(connection) as ctx:
        found = names(selectors.search_page(small_unit, "binh", limit=3))
    assert found == SMALL_BINH[:3]
    # The page read by primary key: the rows the window found, not the whole search's.
    assert '"dossiers_dossier"."id" IN (' in ctx.captured_queries[-1]["sql"]


def test_a_small_units_window_keeps_the_apis_other_filters(
    org, small_unit, always_try_the_window, monkeypatch
):
    """The units' own newest matches are the page only when the caller's rows hold them all: a
    status or deadline filter that leaves some out goes the long way, with the same rows."""
    from motcua.dossiers.models import Status

    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 4)
    leader = small_unit
    assert names(selectors.dossier_search(leader, q="binh", limit=2, overdue=True)) == []
    assert (
        names(selectors.dossier_search(leader, q="binh", limit=2, overdue=False))
        == (SMALL_BINH[:2])
    )
    # Lý Văn Bình, the 2nd newest, moved to another status (as if waiting for a supplement).
    status = Dossier.objects.get(applicant_name="Mai Thị Bình").status
    assert status != Status.SUPPLEMENT
    Dossier.objects.filter(applicant_name="Lý Văn Bình").update(status=Status.SUPPLEMENT)
    expected = ["Mai Thị Bình", "Lâm Văn Bình"]
    assert names(selectors.dossier_search(leader, q="binh", limit=2, status=status)) == expected
    rows = selectors.matching(Dossier.objects.for_user(leader).filter(status=status), "binh")
    assert names(rows.order_by("-received_at", "-id")[:2]) == expected


# ------------------------------------- the cheaper page: keys first, scope by unit ids, values


@pytest.mark.parametrize("q", ["", "binh", "vu", "khanh", "thi mai"])
def test_the_api_list_is_the_bytes_its_schema_renders(client, org, crowd, q):
    """The list is rendered without pydantic's validation of its rows: byte for byte what
    DossierPage gives for the same dossiers read as models (the list before), in any page."""
    import json

    from ninja.responses import NinjaJSONEncoder

    from motcua.api.routers.dossiers import _list_item
    from motcua.api.schemas_dossiers import DossierPage

    user = org["lanhdao.vinhphu"]
    auth = ApiAs(client, user).auth
    # A due in the middle of a session, with microseconds: the encoder's own rounding shows.
    Dossier.objects.filter(pk=crowd["Vũ Thanh Bình"].pk).update(
        due_at=crowd["Vũ Thanh Bình"].due_at + timedelta(microseconds=123456)
    )
    for limit, offset in ((3, 0), (2, 1), (50, 0)):
        response = client.get(
            "/api/v1/dossiers?" + urlencode({"q": q, "limit": limit, "offset": offset}), **auth
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        rows = selectors.matching(Dossier.objects.for_user(user), q).order_by("-received_at", "-id")
        rows = list(
            rows.select_related("procedure_version__procedure", "receiving_unit", "handling_unit")[
                offset : offset + limit + 1
            ]
        )
        page = {
            "items": [_list_item(d) for d in rows[:limit]],
            "limit": limit,
            "offset": offset,
            "next_offset": offset + limit if len(rows) > limit else None,
        }
        expected = json.dumps(DossierPage.model_validate(page).model_dump(), cls=NinjaJSONEncoder)
        assert response.content.decode() == expected
    assert any(response.json()["items"]) or q in ("khanh",)


def test_the_scope_by_unit_ids_is_the_scope(org, crowd, small_unit):
    """Search and the API list find their keys among the user's dossiers written with the ids
    of the user's units: the same dossiers as the scope's join to the units' paths, for every
    kind of user (a superuser and an inactive one included)."""
    from motcua.org.models import User

    inactive = org["lanhdao.thanhvinh"]
    for username in ("lanhdao.vinhphu", "thanhtra", "lanhdao.thanhvinh", "tiepnhan.vinhphu"):
        user = org[username]
        assert set(selectors._scoped(user)) == set(Dossier.objects.for_user(user))
        assert selectors._scoped(user).count() > 0
    root = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "root.h9", password="x" * 12
    )
    assert selectors._scoped(root).count() == Dossier.objects.count()
    inactive = User.objects.get(pk=inactive.pk)
    inactive.is_active = False
    assert selectors._scoped(inactive).count() == 0
    assert selectors.dossier_search(inactive, q="binh").count() == 0


def test_a_search_asks_no_estimate_twice_and_no_query_per_row(client, org, crowd, monkeypatch):
    """Once PostgreSQL's estimates are known (remembered for a minute), a search asks for: the
    user's units, the window's edge and window or the index's page, and the page's rows by key;
    never a query per row (the plain list costs the same for 2 rows as for 50)."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 6)
    user = org["lanhdao.vinhphu"]
    api = ApiAs(client, user)
    client.force_login(user)

    def queries(get):
        get()  # the estimates and the token's minute stamp, once
        with CaptureQueriesContext(connection) as ctx:
            get()
        sqls = [c["sql"] for c in ctx.captured_queries]
        assert not [s for s in sqls if s.startswith("EXPLAIN")]
        return len(sqls)

    plain = {limit: queries(lambda n=limit: api.get(f"/dossiers?limit={n}")) for limit in (2, 50)}
    assert plain[2] == plain[50] <= 4  # token, units, the keys, the page's rows
    for q in ("binh", "vu thanh binh", "khanh"):
        for limit in (2, 50):
            path = "/dossiers?" + urlencode({"q": q, "limit": limit})
            assert queries(lambda p=path: api.get(p)) <= 6
        # The page's own: session, user, notices; the calendar of the rows' time left.
        assert queries(lambda q=q: client.get(SEARCH, {"q": q})) <= 11
