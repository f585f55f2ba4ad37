"""A property-based fuzz of the whole API over real HTTP: no server error, no status code the
OpenAPI document does not list.

Schemathesis reads the document the app serves and generates requests for every operation,
valid ones and deliberately invalid ones, sent with a receptionist's API token so that the
dossier endpoints are exercised beyond their 401. Path codes are drawn at random and, in a
second pass, taken from real seeded objects (a received dossier, a demo procedure) so that the
actions meet real state. Bounded (examples per operation, no shrinking) to stay within a few
minutes on two cores.
"""

import contextlib

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from motcua.org import demo as org_demo
from motcua.org.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 12

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"


def _seed(capsys) -> tuple[str, str, str]:
    """(token, a dossier code, a procedure code), all made through the commands and services."""
    from django.core.files.base import ContentFile

    from motcua.catalog.selectors import procedures_for_desk
    from motcua.dossiers.services import dossier_receive
    from motcua.org.models import Desk, User

    call_command("seed_demo", "--quiet-logins")
    username = next(
        name
        for name, _full, role, unit, _pos in org_demo.USERS
        if role == Role.RECEPTIONIST and unit == "VINHPHU"
    )
    capsys.readouterr()
    call_command("create_token", user=username)
    token = capsys.readouterr().out.strip()
    receptionist = User.objects.get(username=username)
    desk = Desk.objects.get(code="VINHPHU-MC")
    procedure = procedures_for_desk(desk, receptionist).select_related("current_version")[0]
    version = procedure.current_version
    dossier = dossier_receive(
        actor=receptionist,
        desk=desk,
        procedure_version=version,
        applicant={"kind": "person", "name": "Nguyễn Thị Lan", "id_number": "040190012345"},
        checklist=[d["name"] for d in version.documents],
        files=[ContentFile(PDF, name="to-khai.pdf")],
    )
    return token, dossier.code, procedure.code


def _documented(operation) -> set[str]:
    return {str(code) for code in operation.definition.raw.get("responses", {})}


def test_it_answers_every_generated_request_without_a_server_error_or_an_undocumented_status(
    live_server, capsys
):
    token, dossier_code, procedure_code = _seed(capsys)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {token}"}
    problems: list[str] = []
    calls, answered = 0, set()

    def fuzz(operation, mode, path_parameters=None):
        documented = _documented(operation)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
        def run(case):
            nonlocal calls
            response = case.call(base_url=live_server.url, headers=headers, timeout=60)
            calls += 1
            status = response.status_code
            answered.add(status)
            if status >= 500 or str(status) not in documented:
                problems.append(
                    f"{status} {case.method} {case.formatted_path} "
                    f"query={case.query} body={str(case.body)[:200]}"
                )

        # Nothing invalid can be sent to an operation without parameters (e.g. /health).
        with contextlib.suppress(Unsatisfiable):
            run()

    for result in schema.get_all_operations():
        operation = result.ok()
        real = {}
        if "{code}" in operation.path:
            real["code"] = dossier_code if "/dossiers" in operation.path else procedure_code
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode)
            if real:
                fuzz(operation, mode, real)

    assert calls > 200, "the fuzz sent too few requests to mean anything"
    # Past authentication: real answers, refusals by role and state, not only 401s.
    assert {200, 404, 422}.issubset(answered) and answered & {403, 409}
    assert sorted(set(problems)) == []
