from ninja import Router, Schema

from motcua.org.selectors import units_for_user

router = Router(tags=["org"])


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    unit_code: str | None
    unit_name: str | None
    capabilities: list[str]


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    agency_id: str
    parent_code: str | None
    depth: int


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": user.role,
        "unit_code": user.unit.code if user.unit_id else None,
        "unit_name": user.unit.name if user.unit_id else None,
        "capabilities": sorted(user.capabilities),
    }


@router.get("/units", response=list[UnitOut])
def units(request):
    return [
        {
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "agency_id": u.agency_id,
            "parent_code": u.parent.code if u.parent_id else None,
            "depth": u.depth,
        }
        for u in units_for_user(request.user)
    ]
