from django.core.management import call_command

from motcua.reform.models import Cycle, Result


def test_seed_demo_publishes_an_illustrative_2025_year_once(db):
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")
    cycle = Cycle.objects.get(year=2025)
    assert cycle.status == "published"
    results = {r.unit.code: r for r in Result.objects.filter(cycle=cycle).select_related("unit")}
    assert set(results) == {"VINHPHU", "THANHVINH", "PC06"}
    # Ranked among units of the same kind: the department alone, the two wards against each other.
    assert (results["PC06"].rank, results["PC06"].rank_of) == (1, 1)
    assert [results[c].rank_of for c in ("VINHPHU", "THANHVINH")] == [2, 2]
    assert sorted(results[c].rank for c in ("VINHPHU", "THANHVINH")) in ([1, 2], [1, 1])
    assert all(r.band for r in results.values())
