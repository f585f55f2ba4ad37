"""What every staff page's header needs."""

from motcua.dossiers.selectors import unread_notice_count


def notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff_member:
        return {}
    return {"unread_notices": unread_notice_count(user)}
