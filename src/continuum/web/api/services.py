"""Making and revoking personal API tokens, each audited in its own transaction."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from continuum.web.accounts.models import User
from continuum.web.api.models import ApiToken
from continuum.web.audit.services import audit_event_record, user_county

TOKEN_PREFIX = "ctm_"
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
# Characters of the token kept in clear to tell tokens apart: the marker and four more.
SHOWN_CHARACTERS = len(TOKEN_PREFIX) + 4


def token_digest(raw: str) -> str:
    """The SHA-256 digest under which a token is stored (a token has 256 random bits, so a
    fast hash is enough: it cannot be guessed, only stolen, and the digest cannot be used)."""
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: the stored row and the token itself, shown to its user once."""

    token: ApiToken
    raw: str


def api_token_create(*, actor: User | None, user: User, name: str, days: int | None) -> NewToken:
    """A new token of the user's, valid ``days`` days (None: until revoked), made by ``actor``
    (the user on their tokens page; None for the operator's ``continuum web api-token``);
    audited (``api_token_create``, with its user, name, prefix and expiry, never the token)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:SHOWN_CHARACTERS],
            digest=token_digest(raw),
            expires_at=expires_at,
        )
        audit_event_record(
            actor=actor,
            verb="api_token_create",
            subject=token,
            county=user_county(user),
            details={
                "user": user.get_username(),
                "name": name,
                "prefix": token.prefix,
                "expires": expires_at.isoformat() if expires_at else "never",
            },
        )
    return NewToken(token=token, raw=raw)


def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens (another's, or one already revoked, is 404);
    audited (``api_token_revoke``)."""
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update()
            .filter(pk=token_id, user=actor, revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise Http404
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_event_record(
            actor=actor,
            verb="api_token_revoke",
            subject=token,
            details={"name": token.name, "prefix": token.prefix},
        )
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The token sent, if it is known, not revoked, not expired and its user active (None
    otherwise); its last-used time is brought up to date, to the minute."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
