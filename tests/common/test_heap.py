"""An import pauses the cycle collector while it runs and leaves it as it found it, whatever happens inside."""

import gc

import pytest

from common.heap import collector_paused


def test_the_collector_is_off_inside_and_back_on_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # an import inside an import (a preview reads the file)
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one did not turn it back on
    assert gc.isenabled()


def test_an_error_inside_still_turns_it_back_on():
    @collector_paused()
    def failing_import():
        assert not gc.isenabled()
        raise ValueError("a bad row")

    with pytest.raises(ValueError, match="a bad row"):
        failing_import()
    assert gc.isenabled()


def test_a_collector_already_off_is_left_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
