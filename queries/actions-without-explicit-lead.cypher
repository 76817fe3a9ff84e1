// name: actions-without-explicit-lead
// title: 未明确牵头单位的行动 | Actions without an explicit lead
// description: Actions whose note names no lead; the first-listed unit leads by convention only. These are the assignments a planner may want confirmed.
// param: city: city = null — 城市 | narrow to one government
// example: city=仙桃市
MATCH (x:Action)
WHERE $city IS NULL OR x.city = $city
OPTIONAL MATCH (e:Agency)-[l:LEADS]->(x)
WHERE l.basis = 'explicit'
WITH x, count(e) AS explicit
WHERE explicit = 0
OPTIONAL MATCH (f:Agency)-[fl:LEADS]->(x)
WHERE fl.derived_from IS NULL
RETURN x.city AS city, x.number AS number, x.title AS action, x.kind AS kind, f.name AS first_listed
ORDER BY city, x.seq
