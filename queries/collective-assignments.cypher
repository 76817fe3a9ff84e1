// name: collective-assignments
// title: 集体单位的任务 | Collective assignments
// description: Actions the notes give to collective units (各区人民政府, 各镇街道场区 …), and how many members the documents name for each.
// param: city: city = null — 城市 | narrow to one city's plans (a district plan's units included)
// example: city=鄂州市
MATCH (c:Agency)-[r]->(x:Action)
WHERE c.collective = true AND r.derived_from IS NULL AND ($city IS NULL OR x.city = $city)
OPTIONAL MATCH (c)-[:INCLUDES]->(m:Agency)
WITH c, r, x, count(DISTINCT m) AS members
RETURN c.city AS city, c.name AS collective, x.number AS number, x.title AS action, type(r) AS role, members
ORDER BY city, collective, x.seq
