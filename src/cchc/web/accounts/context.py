from cchc.web.accounts.roles import role_of, unit_of


def user_role(request) -> dict:
    """`role` and `my_unit` for every template (the menu depends on them)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"role": role_of(user), "my_unit": unit_of(user)}
