// name: district-profile
// title: 区域概况 | District profile
// why: the district's own units are found first, then their actions. With one MATCH, LadybugDB expanded every agency's actions before joining on the city (270 ms at 10,000 plans); OPTIONAL MATCH from the bound units expands only theirs.
// description: What the plans say about a district: the actions that name it, the parks and platforms in it, and its own government's or management committee's assignments.
// param: district: district — 区域名称 | the district, county, zone or town
// example: district=临空经济区
MATCH (d:District) WHERE d.id IN $district
MATCH (x:Action)-[:MENTIONS]->(d)
RETURN d.name AS district, d.city AS city, 'mentioned by action' AS relation, x.number AS item, x.title AS detail
UNION ALL
MATCH (d:District) WHERE d.id IN $district
MATCH (p)-[:LOCATED_IN]->(d)
RETURN d.name AS district, d.city AS city, 'located here' AS relation, labels(p)[0] AS item, p.name AS detail
UNION ALL
MATCH (d:District) WHERE d.id IN $district
MATCH (a:Agency) WHERE a.city = d.city AND a.name STARTS WITH d.name
OPTIONAL MATCH (a)-[r]->(x:Action)
WITH d, a, r, x WHERE x IS NOT NULL
RETURN d.name AS district, d.city AS city, 'assigned to ' + a.name AS relation, x.number AS item,
       type(r) + ': ' + x.title AS detail
