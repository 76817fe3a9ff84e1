// name: targets-by-year
// title: 按年份的目标 | Targets by year
// description: Quantified targets and deadlines, with the year they are due, the metric, value and unit, and the action that sets them (empty for targets in a plan's goals); year_inferred is true where the target gives no year and the year is the plan's (the end of its period).
// param: year: int = null — 年份 | only targets due in this year
// param: city: city = null — 城市 | narrow to one government
// example: year=2027 city=仙桃市
MATCH (t:Target)
WHERE ($year IS NULL OR t.year = $year) AND ($city IS NULL OR t.city = $city)
OPTIONAL MATCH (x:Action)-[:SETS_TARGET]->(t)
RETURN t.year AS year, t.city AS city, t.metric AS metric, t.value AS value, t.value_max AS value_max,
       t.unit AS unit, t.qualifier AS qualifier, t.deadline AS deadline, x.number AS action, t.text AS text,
       t.year_inferred AS year_inferred
ORDER BY year, city, t.id
