"""`seed-demo` gives the community-sentence officers something to work on: the agency PC10,
its officer and the two wards' officers, four cases through the real services, once."""

from django.core.management import call_command

from motcua.org.demo import DEMO_PASSWORD
from motcua.org.models import User
from motcua.sentences.models import Absence, Case, Kind, Task, Violation


def test_seed_demo_gives_each_ward_its_cases_on_its_to_do_page(client, db):
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")  # idempotent: nothing added the second time
    cases = {c.full_name: c for c in Case.objects.select_related("commune")}
    assert {name: (c.commune.code, c.kind) for name, c in cases.items()} == {
        "Nguyễn Văn Cường": ("VINHPHU", Kind.SUSPENDED),
        "Lê Thị Dung": ("VINHPHU", Kind.REFORM),
        "Phan Văn Hùng": ("THANHVINH", Kind.SUSPENDED),
        "Trần Văn Khoa": ("THANHVINH", Kind.REFORM),
    }
    assert Absence.objects.get().case == cases["Phan Văn Hùng"]
    assert Violation.objects.get().case == cases["Trần Văn Khoa"]
    assert cases["Lê Thị Dung"].officer is None
    # The unassigned file waits on Vinh Phú's list as an assignment.
    assert Task.objects.filter(case=cases["Lê Thị Dung"], kind="assign", is_open=True).exists()

    def todo(username):
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD) and user.role == "sentence_officer"
        client.force_login(user)
        response = client.get("/can-bo/thi-hanh-an/viec-can-lam/")
        assert response.status_code == 200
        return response.content.decode()

    page = todo("thihanhan.vinhphu")
    for name in ("Nguyễn Văn Cường", "Lê Thị Dung"):
        assert cases[name].code in page
    for name in ("Phan Văn Hùng", "Trần Văn Khoa"):
        assert cases[name].code not in page
    page = todo("thihanhan.thanhvinh")
    for name in ("Phan Văn Hùng", "Trần Văn Khoa"):
        assert cases[name].code in page
    for name in ("Nguyễn Văn Cường", "Lê Thị Dung"):
        assert cases[name].code not in page
    # The provincial agency sees the province's files.
    page = todo("thihanhan.pc10")
    assert all(c.code in page for c in cases.values())
