from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.verify import Change, State, apply_diff, diff_states
from scenarios.verify.diff import changed_fields, pk_sort_key


def test_added_removed_updated_by_primary_key() -> None:
    before: State = {"bookings": {"1": {"id": 1, "t": "a"}, "2": {"id": 2, "t": "b"}}}
    after: State = {"bookings": {"2": {"id": 2, "t": "B"}, "3": {"id": 3, "t": "c"}}}
    d = diff_states(before, after).table("bookings")
    assert d.added == {"3": {"id": 3, "t": "c"}}
    assert d.removed == {"1": {"id": 1, "t": "a"}}
    assert list(d.updated) == ["2"]
    assert d.updated["2"].before == {"id": 2, "t": "b"}
    assert d.updated["2"].after == {"id": 2, "t": "B"}
    assert d.updated["2"].fields == ("t",)


def test_identical_states_give_an_empty_diff() -> None:
    state: State = {"bookings": {"1": {"id": 1}}}
    diff = diff_states(state, {"bookings": {"1": {"id": 1}}})
    assert diff.is_empty
    assert len(diff) == 0
    assert list(diff.changes()) == []
    assert diff.table("bookings").is_empty


def test_table_only_before_is_all_removed_and_only_after_is_all_added() -> None:
    diff = diff_states({"old": {"1": {"a": 1}}}, {"new": {"7": {"b": 2}}})
    assert [(c.table, c.op, c.pk) for c in diff.changes()] == [
        ("new", "added", "7"),
        ("old", "removed", "1"),
    ]


def test_an_empty_table_on_one_side_is_no_change() -> None:
    assert diff_states({"t": {}}, {}).is_empty
    assert diff_states({}, {"t": {}}).is_empty


def test_composite_keys_are_plain_keys() -> None:
    before: State = {"seats": {"LH1/12A": {"flight": "LH1", "seat": "12A", "who": None}}}
    after: State = {"seats": {"LH1/12A": {"flight": "LH1", "seat": "12A", "who": "ann"}}}
    (change,) = diff_states(before, after).changes()
    assert change == Change(
        "seats",
        "updated",
        "LH1/12A",
        after["seats"]["LH1/12A"],
        ("who",),
        before["seats"]["LH1/12A"],
    )
    assert change.describe() == "seats updated #LH1/12A (who)"


def test_column_added_or_dropped_counts_as_changed_and_fields_are_sorted() -> None:
    assert changed_fields({"b": 1, "a": 1, "z": 0}, {"b": 2, "a": 2, "c": None}) == (
        "a",
        "b",
        "c",
        "z",
    )
    assert changed_fields({"a": None}, {}) == ("a",)


def test_changes_are_ordered_by_table_then_numeric_key() -> None:
    after: State = {
        "b": {"10": {}, "9": {}, "x": {}},
        "a": {"2/10": {}, "2/9": {}, "-1": {}},
    }
    keys = [(c.table, c.pk) for c in diff_states({}, after).changes()]
    assert keys == [
        ("a", "-1"),
        ("a", "2/9"),
        ("a", "2/10"),
        ("b", "9"),
        ("b", "10"),
        ("b", "x"),
    ]


def test_pk_sort_key_breaks_ties_deterministically() -> None:
    assert sorted(["5", "05", "005"], key=pk_sort_key) == ["005", "05", "5"]


def test_change_describe() -> None:
    assert Change("bookings", "added", "5", {}).describe() == "bookings added #5"
    assert (
        Change("bookings", "updated", "2", {}, ("date", "title"), {}).describe()
        == "bookings updated #2 (date, title)"
    )


def test_to_json() -> None:
    diff = diff_states({"t": {"1": {"a": 1}}}, {"t": {"1": {"a": 2}, "2": {"a": 3}}})
    assert diff.to_json() == {
        "t": {
            "added": {"2": {"a": 3}},
            "removed": {},
            "updated": {"1": {"before": {"a": 1}, "after": {"a": 2}, "fields": ["a"]}},
        }
    }


def test_apply_diff_leaves_its_input_alone() -> None:
    before: State = {"t": {"1": {"a": 1}}}
    after: State = {"t": {"1": {"a": 2}}}
    assert apply_diff(before, diff_states(before, after)) == after
    assert before == {"t": {"1": {"a": 1}}}


_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=3),
)
_rows = st.dictionaries(st.sampled_from(["id", "date", "room", "title"]), _json_scalars)
_tables = st.dictionaries(st.sampled_from(["1", "2", "10", "a", "1/2"]), _rows, max_size=4)
_states = st.dictionaries(st.sampled_from(["bookings", "audit", "users"]), _tables, max_size=3)


# Other work shares the test machine: a slow draw or example is load, not a bug.
_relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _without_empty_tables(state: State) -> State:
    return {name: rows for name, rows in state.items() if rows}


@_relaxed
@given(_states)
def test_a_state_diffed_with_itself_is_empty(state: State) -> None:
    assert diff_states(state, state).is_empty


@_relaxed
@given(_states, _states)
def test_applying_the_diff_of_a_and_b_to_a_gives_b(a: State, b: State) -> None:
    diff = diff_states(a, b)
    assert apply_diff(a, diff) == _without_empty_tables(b)
    assert len(diff) == len(list(diff.changes()))
