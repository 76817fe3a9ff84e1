"""Targets: quantified targets and deadlines by year and city, as a chart and as tables.

Text from the documents (metrics, target text, quotes) is shown only in dataframes.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from explorer.i18n import t, t_or
from explorer.state import get_graph
from explorer.widgets import download_buttons
from views import matrix

LABELS = {column: f"targets.col_{column}" for column in matrix.TARGET_COLUMNS}


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
graph = get_graph()
every = matrix.targets_table(graph)
if every.empty:
    st.info(t("targets.none"))
    st.stop()

no_year = t("targets.no_year")
years = sorted({int(year) for year in every["year"].dropna()})
left, middle, right, last = st.columns([2, 2, 1, 1])
chosen = left.multiselect(t("targets.filter_cities"), sorted(every["city"].unique()), key="targets-cities",
                          placeholder=t("targets.all")) or None
span = None
if len(years) > 1:
    span = middle.slider(t("targets.years"), years[0], years[-1], (years[0], years[-1]), key="targets-years")
include_no_year = right.checkbox(t("targets.include_no_year"), value=True, key="targets-no-year")
corrected_only = last.checkbox(t("targets.corrected_only"), value=False, key="targets-corrected-only")
shown = matrix.filter_targets(every, cities=chosen, years=span, include_no_year=include_no_year,
                              corrected_only=corrected_only)

counts = st.columns(4)
counts[0].metric(t("targets.total"), len(shown))
counts[1].metric(t("targets.with_year"), int(shown["year"].notna().sum()))
counts[2].metric(t("targets.without_year"), int(shown["year"].isna().sum()))
counts[3].metric(t("targets.with_deadline"), int((shown["deadline"] != "").sum()))
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
table = shown.assign(year=matrix.year_labels(shown, no_year),
                     qualifier=shown["qualifier"].map(lambda q: t_or(f"targets.qualifier.{q}", q) if q else ""))
config = {column: st.column_config.TextColumn(t(key)) for column, key in LABELS.items()}
config["value"] = st.column_config.NumberColumn(t("targets.col_value"), format="%g")
config["value_max"] = st.column_config.NumberColumn(t("targets.col_value_max"), format="%g")
st.dataframe(table, hide_index=True, column_config=config, placeholder="", height=min(38 + 35 * len(table), 800))
st.caption(t("targets.downloads"))
download_buttons(table.rename(columns={column: t(key) for column, key in LABELS.items()}), "targets",
                 key="targets-table")
