"""Editing a one-stop desk the way its administrator does: the admin's change form."""

from django.test import Client


def desk_edit_in_admin(org, desk, **changes) -> None:
    """Post the desk's admin form as the system administrator (`quantri`), with `changes`."""
    data = {
        "unit": desk.unit_id,
        "code": desk.code,
        "name": desk.name,
        "address": desk.address,
        "phone": desk.phone,
        "opening_hours": desk.opening_hours,
        "served_units": [u.pk for u in desk.served_units.all()],
        "is_active": "on" if desk.is_active else "",
        **changes,
    }
    client = Client()
    client.force_login(org["quantri"])
    response = client.post(f"/quan-tri/org/desk/{desk.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    desk.refresh_from_db()
