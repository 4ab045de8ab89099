"""An external mentor confirms a case log through a signed one-time link: it works once,
expires, cannot be altered to confirm another record, and every use is audited."""

import datetime

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.training.helpers import case, technique
from yicai.access.models import AuditEntry
from yicai.training.models import ConfirmationLink
from yicai.training.services.mentoring import (
    LINK_SALT,
    case_log_verify,
    confirmation_link_create,
    confirmation_link_open,
    confirmation_link_use,
)


@pytest.fixture
def log(world):
    return case(world, technique(world))


def test_the_link_confirms_its_case_log_once_and_is_audited(world, log):
    token = confirmation_link_create(case_log=log, user=world.hospital_a)
    confirmed = confirmation_link_use(token=token, name="孙名医", remote_addr="10.1.2.3")
    assert confirmed.pk == log.pk and confirmed.verified and confirmed.verified_by_name == "孙名医"
    entry = AuditEntry.objects.filter(event="confirm", object_pk=str(log.pk)).latest("pk")
    assert entry.additional_data["确认人"] == "孙名医" and entry.remote_addr == "10.1.2.3"
    assert AuditEntry.objects.filter(event="confirm", object_pk=str(log.pk)).count() == 2
    with pytest.raises(ValidationError, match="已使用过"):
        confirmation_link_use(token=token, name="孙名医")


def test_a_link_to_a_record_verified_meanwhile_keeps_who_verified_it(world, log):
    token = confirmation_link_create(case_log=log, user=world.hospital_a)
    case_log_verify(case_log=log, user=world.hospital_a)
    with pytest.raises(ValidationError, match="已审核"):
        confirmation_link_use(token=token, name="孙名医")
    log.refresh_from_db()
    assert (log.verified_by, log.verified_by_name) == (world.hospital_a, "hospital_a")


def test_an_expired_link_is_refused(world, log):
    token = confirmation_link_create(case_log=log, user=world.hospital_a, days=1)
    ConfirmationLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="已过期"):
        confirmation_link_use(token=token, name="孙名医")
    log.refresh_from_db()
    assert not log.verified


def test_an_altered_token_confirms_nothing(world, log):
    other = case(world, technique(world, "经皮肾镜取石术"))
    token = confirmation_link_create(case_log=log, user=world.hospital_a)
    payload = signing.loads(token, salt=LINK_SALT)
    forged = [
        token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),  # the signature touched
        signing.dumps({**payload, "record": other.pk}, salt="another-salt"),
        # Re-signed with the right salt (the server's key leaked, say): the link row still
        # belongs to the first record, so the swap is caught.
        signing.dumps({**payload, "record": other.pk}, salt=LINK_SALT),
        signing.dumps({**payload, "nonce": "guessed"}, salt=LINK_SALT),
        "not-a-token",
    ]
    for bad in forged:
        with pytest.raises(ValidationError, match="无效或已被修改"):
            confirmation_link_use(token=bad, name="冒充者")
    for item in (log, other):
        item.refresh_from_db()
        assert not item.verified
    assert confirmation_link_use(token=token, name="孙名医").pk == log.pk


def test_the_link_asks_for_a_name_and_stays_usable_until_given_one(world, log):
    token = confirmation_link_create(case_log=log, user=world.hospital_a)
    with pytest.raises(ValidationError) as raised:
        confirmation_link_use(token=token, name="  ")
    assert "name" in raised.value.message_dict
    assert confirmation_link_open(token).used_at is None


def test_the_database_keeps_no_usable_token(world, log):
    token = confirmation_link_create(case_log=log, user=world.hospital_a)
    nonce = signing.loads(token, salt=LINK_SALT)["nonce"]
    stored = ConfirmationLink.objects.get()
    assert nonce not in stored.token_digest and token not in stored.token_digest
