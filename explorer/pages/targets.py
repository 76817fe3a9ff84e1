"""Targets: quantified targets and deadlines by year and city, as a chart and as tables.

Text from the documents (metrics, target text, quotes) is shown only in dataframes. A year the target does
not give itself but takes from its plan (Target.year_inferred: the end of the plan's period) is counted in
its year and marked in the table ("2027（推定）"). The filters are in the link (explorer.links).
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from explorer.i18n import t, t_or
from explorer.links import linked, set_linked
from explorer.state import cities, graph_or_stop, plan_scope
from explorer.widgets import download_buttons
from views import matrix

# the inferred flag is shown in the year column ("2027（推定）"), not as a column of its own
LABELS = {column: f"targets.col_{column}" for column in matrix.TARGET_COLUMNS if column != "year_inferred"}


def chart(frame, no_year: str) -> alt.Chart:
    counts = matrix.targets_long(frame, no_year)
    order = sorted(year for year in counts["year"].unique() if year != no_year)
    order += [no_year] if (counts["year"] == no_year).any() else []
    return alt.Chart(counts, title=t("targets.chart_title")).mark_bar().encode(
        x=alt.X("year:N", sort=order, title=t("targets.axis_year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(targets):Q", title=t("targets.axis_count")),
        color=alt.Color("city:N", title=t("targets.legend_city")),
        tooltip=[alt.Tooltip("year:N", title=t("targets.axis_year")),
                 alt.Tooltip("city:N", title=t("targets.legend_city")),
                 alt.Tooltip("targets:Q", title=t("targets.axis_count"))],
    )


st.title(t("page.targets"))
st.caption(t("targets.intro"))
left, middle, right, last = st.columns([2, 2, 1, 1])
city_options = cities()
chosen = left.multiselect(t("targets.filter_cities"), city_options, placeholder=t("targets.all"),
                          **linked("targets-cities", [], options=city_options)) or None
every = matrix.targets_table(graph_or_stop(plan_scope(cities=chosen)))
if every.empty:
    st.info(t("targets.none"))
    st.stop()

every = every.rename(columns={"year_inferred": "inferred"})
no_year = t("targets.no_year")
years = sorted({int(year) for year in every["year"].dropna()})
span = None
if len(years) > 1:
    whole = (years[0], years[-1])
    years_kwargs = linked("targets-years", whole)
    kept = st.session_state["targets-years:kept"]
    if not (isinstance(kept, tuple | list) and len(kept) == 2 and whole[0] <= kept[0] <= kept[1] <= whole[1]):
        set_linked("targets-years", whole)  # a link's years outside the plans' (or not a pair): all of them
        st.session_state["targets-years"] = whole
    span = middle.slider(t("targets.years"), whole[0], whole[1], **years_kwargs)
include_no_year = right.checkbox(t("targets.include_no_year"), **linked("targets-no-year", True))
corrected_only = last.checkbox(t("targets.corrected_only"), **linked("targets-corrected-only", False))
shown = matrix.filter_targets(every, cities=chosen, years=span, include_no_year=include_no_year,
                              corrected_only=corrected_only)

counts = st.columns(5)
counts[0].metric(t("targets.total"), len(shown))
counts[1].metric(t("targets.with_year"), int(shown["year"].notna().sum()))
counts[2].metric(t("targets.year_inferred"), int(shown["inferred"].sum()), help=t("targets.year_inferred_help"))
counts[3].metric(t("targets.without_year"), int(shown["year"].isna().sum()))
counts[4].metric(t("targets.with_deadline"), int((shown["deadline"] != "").sum()))
if shown.empty:
    st.info(t("targets.none_match"))
    st.stop()

st.altair_chart(chart(shown, no_year), width="stretch")

st.subheader(t("targets.per_year"))
per_year = matrix.targets_per_year(shown, no_year)
st.dataframe(per_year, hide_index=True, column_config={
    "year": st.column_config.TextColumn(t("targets.col_year")),
    "total": st.column_config.NumberColumn(t("targets.col_total"))})

st.subheader(t("targets.every_target"))
st.caption(t("targets.goal_note"))
years_shown = [t("targets.inferred", year=label) if inferred else label
               for label, inferred in zip(matrix.year_labels(shown, no_year), shown["inferred"], strict=True)]
table = shown.assign(year=years_shown,
                     qualifier=shown["qualifier"].map(lambda q: t_or(f"targets.qualifier.{q}", q) if q else ""))
table = table.drop(columns=["inferred"])
config = {column: st.column_config.TextColumn(t(key)) for column, key in LABELS.items()}
config["value"] = st.column_config.NumberColumn(t("targets.col_value"), format="%g")
config["value_max"] = st.column_config.NumberColumn(t("targets.col_value_max"), format="%g")
st.dataframe(table, hide_index=True, column_config=config, placeholder="", height=min(38 + 35 * len(table), 800))
st.caption(t("targets.downloads"))
download_buttons(table.rename(columns={column: t(key) for column, key in LABELS.items()}), "targets",
                 key="targets-table")
