"""Writes about people: memberships and citizen sign-up. Access is checked inside; every change is audited."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from nq57.accounts.models import Membership, User
from nq57.core import access
from nq57.core.audit import acting
from nq57.core.errors import ServiceError
from nq57.core.roles import role


@acting
@transaction.atomic
def membership_add(*, user: User, organisation, role_code: str, actor) -> Membership:
    """Make ``user`` a member of ``organisation`` with ``role_code`` (idempotent). Office or ``access.SYSTEM``."""
    access.require(access.can_manage_people(actor), "Chỉ Cơ quan Thường trực được phân vai trò cho người dùng.")
    if role(role_code) is None:
        raise ServiceError(f"Vai trò không có trong danh mục: {role_code}.", field="role")
    membership, _ = Membership.objects.get_or_create(user=user, organisation=organisation, role=role_code)
    user.forget_memberships()
    return membership


@acting
@transaction.atomic
def membership_remove(*, user: User, organisation, role_code: str, actor) -> int:
    access.require(access.can_manage_people(actor), "Chỉ Cơ quan Thường trực được phân vai trò cho người dùng.")
    removed = 0
    for membership in Membership.objects.filter(user=user, organisation=organisation, role=role_code):
        membership.delete()  # one by one, so each deletion has its history row
        removed += 1
    user.forget_memberships()
    return removed


# --- citizens -------------------------------------------------------------------------------------------------

def _normalise_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip()).lower()


def sign_up_problems(*, email: str | None, full_name: str | None) -> dict[str, list[str]]:
    """Every problem of a sign-up the service judges (the address already used, the name), by field."""
    from nq57.core import limits
    from nq57.core.errors import Problems

    problems = Problems()
    email = _normalise_email(email or "")
    if not email:
        problems.add("email", "Hãy nhập địa chỉ thư điện tử.")
    elif User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        problems.add("email", "Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác.")
    full_name = (full_name or "").strip()
    if not full_name:
        problems.add("full_name", "Hãy nhập họ và tên.")
    limits.check(problems, "full_name", "Họ và tên", full_name, limits.PERSON_NAME)
    return problems.errors


@transaction.atomic
def citizen_sign_up(*, email: str, full_name: str, password: str, verify_url_base: str) -> User:
    """Create an inactive account (a citizen: no membership) and send the verification link to ``email``.

    The account becomes active only through ``citizen_verify_email`` with the link's token (signed, expiring after
    ``PASSWORD_RESET_TIMEOUT`` seconds). The e-mail address is the user name. ``verify_url_base`` is the scheme and
    host the link starts with (from the request)."""
    problems = sign_up_problems(email=email, full_name=full_name)
    if problems:
        raise ServiceError.of(problems)
    email = _normalise_email(email)
    full_name = full_name.strip()
    user = User(username=email, email=email, full_name=full_name[:200], is_active=False)
    user.set_password(password)
    user.save()
    link = verify_url_base.rstrip("/") + verification_path(user)
    body = render_to_string("accounts/email_verify.txt", {"user": user, "link": link,
                                                          "hours": settings.PASSWORD_RESET_TIMEOUT // 3600})
    transaction.on_commit(lambda: send_mail("Xác nhận địa chỉ thư điện tử — nq57", body, None, [email]))
    return user


def verification_path(user: User) -> str:
    """The path of the e-mail verification link: the account id and a signed token that expires."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:verify_email", args=[uid, default_token_generator.make_token(user)])


def verification_user(uidb64: str, token: str) -> User | None:
    """The account a verification link names, when its token is valid and not expired; None otherwise."""
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@acting
@transaction.atomic
def citizen_verify_email(*, uidb64: str, token: str) -> User:
    """Activate the account the link names (idempotent while the link is valid)."""
    user = verification_user(uidb64, token)
    if user is None:
        raise ServiceError("Liên kết xác nhận không hợp lệ hoặc đã hết hạn. Hãy đăng ký lại hoặc liên hệ quản trị.")
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user
