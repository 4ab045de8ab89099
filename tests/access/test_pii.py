"""Identifiers are encrypted at rest with either algorithm and stay readable across both."""

import base64
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yicai.access import pii


@pytest.mark.parametrize("algorithm", ["aes-256-gcm", "sm4-gcm"])
def test_values_round_trip_and_never_appear_in_the_stored_form(settings, algorithm):
    settings.FIELD_ENCRYPTION_ALGORITHM = algorithm
    stored = pii.encrypt("31011319800101001X")
    assert stored.startswith("s1:" if algorithm == "sm4-gcm" else "a1:")
    assert "1980" not in stored
    assert pii.decrypt(stored) == "31011319800101001X"
    assert pii.encrypt("31011319800101001X") != stored  # a fresh nonce every time


def test_values_written_under_one_algorithm_are_read_under_the_other(settings):
    settings.FIELD_ENCRYPTION_ALGORITHM = "sm4-gcm"
    sm4 = pii.encrypt("13800138000")
    settings.FIELD_ENCRYPTION_ALGORITHM = "aes-256-gcm"
    assert pii.decrypt(sm4) == "13800138000"


@pytest.mark.parametrize("algorithm", ["aes-256-gcm", "sm4-gcm"])
def test_a_tampered_value_is_refused(settings, algorithm):
    from cryptography.exceptions import InvalidTag

    settings.FIELD_ENCRYPTION_ALGORITHM = algorithm
    stored = pii.encrypt("secret")
    tampered = stored[:-4] + ("AAAA" if stored[-4:] != "AAAA" else "BBBB")
    with pytest.raises((InvalidTag, ValueError)):
        pii.decrypt(tampered)


def test_the_blind_index_is_keyed_case_blind_and_differs_by_algorithm(settings):
    aes = pii.blind_index("31011319800101001x")
    assert aes == pii.blind_index("31011319800101001X") and len(aes) == 64
    settings.SECRET_KEY = "another-key"
    assert pii.blind_index("31011319800101001X") != aes
    settings.FIELD_ENCRYPTION_ALGORITHM = "sm4-gcm"
    assert pii.blind_index("31011319800101001X") not in (aes, "")


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_text_round_trips(text):
    assert pii.decrypt(pii.encrypt(text)) == text


def test_masks_show_only_the_last_four_digits():
    assert pii.mask_last4("001X", 18) == "*" * 14 + "001X"
    assert pii.mask_last4("8000", 11) == "*******8000"
    assert pii.mask_last4("", 18) == ""


def _nonce(stored: str) -> bytes:
    return base64.b64decode(stored[3:])[:12]


def test_bulk_sealing_reads_like_single_values_with_a_fresh_nonce_each():
    seal, index = pii.bulk_functions()
    sealed = [seal("31011319800101001X") for _ in range(10000)]  # past one pool of nonces
    assert {pii.decrypt(value) for value in sealed} == {"31011319800101001X"}
    assert len({_nonce(value) for value in sealed}) == len(sealed)
    assert index("31011319800101001x") == pii.blind_index("31011319800101001X")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_process_never_reuses_the_nonces_its_parent_holds():
    seal, _index = pii.bulk_functions()
    seal("warm the pool")
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: send its next nonce, then leave without cleanup
        try:
            os.write(writer, _nonce(seal("child")))
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(reader, 12)
    os.close(reader), os.close(writer)
    assert len(child) == 12 and child != _nonce(seal("parent"))
