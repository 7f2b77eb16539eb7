"""The exception hierarchy and the attributes every exception carries."""

import pickle

import pytest

import scrm
from conftest import at

ERRORS = {
    scrm.ValidationError: "VALIDATION",
    scrm.NotFoundError: "NOT_FOUND",
    scrm.ConflictError: "CONFLICT",
    scrm.SegmentSyntaxError: "SEGMENT_SYNTAX",
    scrm.SegmentTypeError: "SEGMENT_TYPE",
    scrm.StoreError: "STORE",
}


def test_hierarchy():
    assert issubclass(scrm.ScrmError, Exception)
    for error in ERRORS:
        assert issubclass(error, scrm.ScrmError)
        assert error.__module__ == "scrm" and error.__name__ in scrm.__all__
    assert scrm.ValidationError.__qualname__ == "ValidationError"


@pytest.mark.parametrize("error, code", ERRORS.items())
def test_classes_carry_defaults_so_python_raised_ones_work_too(error, code):
    e = error("by hand")
    assert (e.code, e.field, e.line, e.column) == (code, None, None, None)
    assert scrm.ScrmError("x").code is None


def trigger(engine, code):
    """Makes the engine raise the error with this code."""
    if code == "VALIDATION":
        engine.upsert_customer("c-1", attributes={"2nd": 1})
    elif code == "NOT_FOUND":
        engine.customer("nobody")
    elif code == "CONFLICT":
        engine.save_segment("a", "tag:x")
        engine.save_segment("b", "segment:a")
        engine.drop_segment("a")
    elif code == "SEGMENT_SYNTAX":
        engine.count("tag:")
    elif code == "SEGMENT_TYPE":
        engine.upsert_customer("c-1", attributes={"city": "Shanghai"}, at=at(1))
        engine.count('attr.city >= 3')
    elif code == "STORE":
        engine.close()
        engine.stats()


@pytest.mark.parametrize("error, code", ERRORS.items())
def test_each_error_from_the_engine(engine, error, code):
    with pytest.raises(error) as info:
        trigger(engine, code)
    e = info.value
    assert type(e) is error and e.code == code
    assert isinstance(e, scrm.ScrmError)
    assert str(e)
    if code == "VALIDATION":
        assert e.field == "customer.attributes.2nd"
    else:
        assert e.field is None
    if code.startswith("SEGMENT"):
        assert isinstance(e.line, int) and isinstance(e.column, int)
    elif code != "NOT_FOUND":
        assert e.line is None and e.column is None


def test_one_except_clause_catches_all(engine):
    caught = []
    for code in ERRORS.values():
        with scrm.Engine() as fresh:
            try:
                trigger(fresh, code)
            except scrm.ScrmError as e:
                caught.append(e.code)
    assert caught == list(ERRORS.values())


def test_messages_are_the_cores(engine):
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customer("")
    assert str(info.value).startswith("invalid customer.id: ")
    with pytest.raises(scrm.SegmentSyntaxError) as info:
        engine.count("tag:vip and (")
    assert str(info.value).startswith("segment expression: ")
    assert str(info.value).endswith("at line 1, column 14")


def test_errors_survive_pickling_as_their_class(engine):
    with pytest.raises(scrm.NotFoundError) as info:
        engine.customer("nobody")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is scrm.NotFoundError and copy.code == "NOT_FOUND" and str(copy) == str(info.value)
