"""explorer.links: a page's view in its URL, restored in a fresh session, written back after each run."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest import APP


def linked_page() -> None:
    import streamlit as st

    from explorer import links

    links.begin()
    options = ["a", "b", "c"]
    chosen = st.multiselect("m", options, **links.linked("m", ["a"], options=options))
    depth = st.slider("d", 1, 4, **links.linked("d", 1))
    flag = st.checkbox("f", **links.linked("f", False))
    centre = st.selectbox("c", options, index=None, **links.linked("c", None, options=options))
    st.write(repr((chosen, depth, flag, centre)))
    links.publish()


def shown(at: AppTest) -> str:
    return at.markdown[-1].value


def test_a_link_opened_in_a_fresh_session_restores_every_value():
    at = AppTest.from_function(linked_page)
    at.query_params.update({"m": ["b", "c"], "d": "3", "f": "1", "c": "b"})
    at.run()
    assert not at.exception
    assert shown(at) == "(['b', 'c'], 3, True, 'b')"


def test_values_a_link_names_that_are_not_options_are_dropped():
    at = AppTest.from_function(linked_page)
    at.query_params.update({"m": ["b", "gone"], "c": "gone", "d": "many"})
    at.run()
    assert not at.exception
    assert shown(at) == "(['b'], 1, False, None)"


def test_the_url_says_only_what_differs_from_the_defaults():
    at = AppTest.from_function(linked_page)
    at.run()
    assert dict(at.query_params) == {}
    at.checkbox[0].check().run()
    at.slider[0].set_value(4).run()
    assert dict(at.query_params) == {"d": "4", "f": "1"}
    at.checkbox[0].uncheck().run()
    assert dict(at.query_params) == {"d": "4"}


def test_a_list_chosen_empty_is_said_in_the_url_and_read_back_empty():
    at = AppTest.from_function(linked_page)
    at.run()
    at.multiselect[0].set_value([]).run()
    assert at.query_params["m"] == ""
    again = AppTest.from_function(linked_page)
    again.query_params.update({"m": [""]})
    again.run()
    assert shown(again) == "([], 1, False, None)"


def test_the_language_of_a_link_is_the_language_of_the_first_page_shown(store_path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["language"] = "en"
    at.run()
    assert not at.exception
    assert at.sidebar.radio[0].label == "Language"
    assert at.sidebar.radio[0].value == "en"
    assert dict(at.query_params) == {"language": "en"}


def test_the_copy_link_control_holds_the_views_link(store_path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["language"] = "en"
    at.run()
    codes = [element.value for element in at.sidebar.code]
    assert len(codes) == 1 and codes[0].endswith("?language=en")
